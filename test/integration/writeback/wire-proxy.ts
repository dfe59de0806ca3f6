/**
 * A loopback proxy in front of a sandbox, for wire answers a sandbox does not give: call-level errors it
 * models per record, or a body rewritten on its way back (another record's id).
 */
import { createServer, request as httpRequest, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface CannedAnswer {
  readonly status: number;
  readonly headers?: Record<string, string>;
  readonly body: string;
}

export interface ProxiedRequest {
  readonly method: string;
  readonly path: string;
}

/** Answer in the sandbox's place, pass the request on, or pass it on and rewrite the answer. */
export type Intercept = (
  request: ProxiedRequest,
) => CannedAnswer | 'pass' | { readonly rewrite: (status: number, body: string) => CannedAnswer };

export interface WireProxy {
  readonly url: string;
  /** Every request that reached the proxy, with the status it answered. */
  readonly log: (ProxiedRequest & { readonly status: number })[];
  close(): Promise<void>;
}

export const jsonAnswer = (status: number, body: unknown): CannedAnswer => ({
  status,
  headers: { 'content-type': 'application/json' },
  body: JSON.stringify(body),
});

async function readAll(stream: AsyncIterable<unknown>): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export async function startWireProxy(target: string, intercept: Intercept): Promise<WireProxy> {
  const log: WireProxy['log'] = [];
  const server = createServer(async (incoming: IncomingMessage, response) => {
    const body = await readAll(incoming);
    const request = { method: incoming.method ?? 'GET', path: incoming.url ?? '/' };
    const send = (answer: CannedAnswer, headers: Record<string, string> = {}) => {
      log.push({ ...request, status: answer.status });
      response.writeHead(answer.status, { ...headers, ...answer.headers });
      response.end(answer.body);
    };
    const decision = intercept(request);
    if (decision !== 'pass' && !('rewrite' in decision)) return send(decision);
    const url = new URL(request.path, target);
    const upstream = httpRequest(
      url,
      { method: request.method, headers: { ...incoming.headers, host: url.host } },
      async (answer) => {
        const text = await readAll(answer);
        const headers: Record<string, string> = {};
        for (const [name, value] of Object.entries(answer.headers)) {
          if (typeof value === 'string' && name !== 'content-length' && name !== 'transfer-encoding') {
            headers[name] = value;
          }
        }
        const status = answer.statusCode ?? 502;
        send(decision === 'pass' ? { status, body: text } : decision.rewrite(status, text), headers);
      },
    );
    upstream.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    log,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
