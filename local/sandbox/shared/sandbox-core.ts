/** The HTTP server under both sandboxes: loopback listener, request log, fault injection, inspection routes, prompt close. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { performance } from 'node:perf_hooks';
import { FaultInjector, type FaultDecision } from './fault-injector';
import { RequestLog } from './request-log';
import type { Router } from './router';
import { BodyTooLargeError, readRawBody, type SandboxRequest, type SandboxResponse } from './sandbox-http';
import { SeededRandom } from './seeded-random';

export interface SandboxOptions {
  /** 0 (default) lets the OS pick a free port. */
  readonly port?: number;
  /** Added to every API response. */
  readonly latencyMs?: number;
  /** Seeds ratio faults and generated ids/tokens so that runs repeat. */
  readonly seed?: number;
  /** Epoch ms; drives token expiry, rate windows, outages and timestamps. */
  readonly clock?: () => number;
  readonly maxLoggedRequests?: number;
}

/** What a CRM sandbox plugs into the core. */
export interface SandboxVendor {
  readonly headersOfInterest: readonly string[];
  readonly inspection: Router;
  handle(request: SandboxRequest): Promise<SandboxResponse>;
  faultResponse(request: SandboxRequest, decision: FaultDecision): SandboxResponse;
  internalError(request: SandboxRequest): SandboxResponse;
  /** The body as it should appear in the request log (secrets removed). */
  logBody(request: SandboxRequest): unknown;
}

const MAX_BODY_BYTES = 10 * 1024 * 1024;
const INSPECTION_PREFIX = '/__sandbox/';

export class SandboxCore {
  readonly clock: () => number;
  readonly random: SeededRandom;
  readonly faults: FaultInjector;
  readonly log: RequestLog;
  private readonly latencyMs: number;
  private readonly port: number;
  private server: Server | undefined;
  private address: string | undefined;
  private closed = false;
  private readonly sleepers = new Set<() => void>();

  constructor(options: SandboxOptions = {}) {
    this.clock = options.clock ?? Date.now;
    this.random = new SeededRandom(options.seed);
    this.faults = new FaultInjector(this.clock, this.random);
    this.log = new RequestLog(options.maxLoggedRequests ?? 10_000);
    this.latencyMs = options.latencyMs ?? 0;
    this.port = options.port ?? 0;
  }

  get url(): string {
    if (this.address === undefined) throw new Error('sandbox is not listening yet');
    return this.address;
  }

  async listen(vendor: SandboxVendor): Promise<string> {
    const server = createServer((incoming, outgoing) => {
      this.serve(vendor, incoming, outgoing).catch(() => outgoing.destroy());
    });
    this.server = server;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.port, '127.0.0.1', () => resolve());
    });
    const { port } = server.address() as AddressInfo;
    this.address = `http://127.0.0.1:${port}`;
    return this.address;
  }

  /** Drops keep-alive and in-flight connections instead of waiting for clients to let go. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    for (const wake of this.sleepers) wake();
    const server = this.server;
    if (!server) return;
    await new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
  }

  private async serve(vendor: SandboxVendor, incoming: IncomingMessage, outgoing: ServerResponse) {
    const started = performance.now();
    const arrivedAt = new Date(this.clock()).toISOString();
    const url = new URL(incoming.url ?? '/', 'http://sandbox.invalid');
    let rawBody: Buffer;
    try {
      rawBody = await readRawBody(incoming, MAX_BODY_BYTES);
    } catch (error) {
      const status = error instanceof BodyTooLargeError ? 413 : 400;
      write(outgoing, { status, body: { error: (error as Error).message } });
      return;
    }
    const request: SandboxRequest = {
      method: (incoming.method ?? 'GET').toUpperCase(),
      path: url.pathname,
      query: url.searchParams,
      headers: incoming.headers,
      rawBody,
      params: {},
    };

    if (request.path.startsWith(INSPECTION_PREFIX)) {
      const response = await vendor.inspection.dispatch(request, () => ({
        status: 404,
        body: { error: `no sandbox route ${request.method} ${request.path}` },
      }));
      write(outgoing, response);
      return;
    }

    await this.sleep(this.latencyMs + this.faults.delayMs);
    if (this.closed) {
      outgoing.destroy();
      return;
    }
    const decision = this.faults.decide(request.method, request.path);
    let response: SandboxResponse;
    if (decision) {
      response = vendor.faultResponse(request, decision);
    } else {
      try {
        response = await vendor.handle(request);
      } catch {
        response = vendor.internalError(request);
      }
    }
    write(outgoing, response);
    this.log.add({
      at: arrivedAt,
      method: request.method,
      path: request.path,
      query: url.search.replace(/^\?/, ''),
      headers: pickHeaders(request, vendor.headersOfInterest),
      bodySize: rawBody.length,
      body: rawBody.length > 0 ? vendor.logBody(request) : undefined,
      status: response.status,
      durationMs: Math.round((performance.now() - started) * 100) / 100,
      ...(decision ? { fault: decision.kind } : {}),
    });
  }

  private sleep(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve();
    return new Promise((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.sleepers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.sleepers.add(wake);
    });
  }
}

function pickHeaders(request: SandboxRequest, names: readonly string[]): Record<string, string> {
  const picked: Record<string, string> = {};
  for (const name of names) {
    const value = request.headers[name.toLowerCase()];
    if (value !== undefined) picked[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return picked;
}

function write(outgoing: ServerResponse, response: SandboxResponse): void {
  if (outgoing.destroyed) return;
  const headers: Record<string, string> = { ...response.headers };
  let payload: string | undefined;
  if (response.status !== 204 && response.body !== undefined) {
    payload = typeof response.body === 'string' ? response.body : JSON.stringify(response.body);
    const hasType = Object.keys(headers).some((name) => name.toLowerCase() === 'content-type');
    if (!hasType) headers['Content-Type'] = 'application/json;charset=utf-8';
  }
  outgoing.writeHead(response.status, headers);
  outgoing.end(payload);
}
