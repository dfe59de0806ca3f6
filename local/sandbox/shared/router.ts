/** Method + path-pattern routing (`/sobjects/:type/:id`) for the sandboxes, without a framework. */
import type { SandboxRequest, SandboxResponse } from './sandbox-http';

export type Handler = (request: SandboxRequest) => SandboxResponse | Promise<SandboxResponse>;

interface Route {
  readonly method: string;
  readonly pattern: RegExp;
  readonly keys: readonly string[];
  readonly handler: Handler;
}

export interface RouteMatch {
  readonly handler: Handler;
  readonly params: Record<string, string>;
}

export class Router {
  private readonly routes: Route[] = [];

  /** Routes are tried in the order added, so literal paths go before patterns that would shadow them. */
  on(method: string, path: string, handler: Handler): this {
    const keys: string[] = [];
    const source = path
      .split('/')
      .map((segment) => {
        if (!segment.startsWith(':')) return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
        keys.push(segment.slice(1));
        return '([^/]+)';
      })
      .join('/');
    this.routes.push({ method: method.toUpperCase(), pattern: new RegExp(`^${source}/?$`), keys, handler });
    return this;
  }

  match(method: string, path: string): RouteMatch | undefined {
    for (const route of this.routes) {
      if (route.method !== method.toUpperCase()) continue;
      const found = route.pattern.exec(path);
      if (!found) continue;
      const params: Record<string, string> = {};
      route.keys.forEach((key, index) => {
        params[key] = decodeURIComponent(found[index + 1] ?? '');
      });
      return { handler: route.handler, params };
    }
    return undefined;
  }

  /** Runs the matching handler, or `fallback` when no route matches. */
  async dispatch(request: SandboxRequest, fallback: Handler): Promise<SandboxResponse> {
    const found = this.match(request.method, request.path);
    if (!found) return fallback(request);
    request.params = found.params;
    return found.handler(request);
  }
}
