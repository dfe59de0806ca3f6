/** The request/response model every sandbox handler works with, and body parsing shared by both CRMs. */
import type { IncomingHttpHeaders, IncomingMessage } from 'node:http';

export interface SandboxRequest {
  readonly method: string;
  readonly path: string;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: Buffer;
  /** Named segments of the matched route pattern (`:id` → params.id). */
  params: Record<string, string>;
}

export interface SandboxResponse {
  status: number;
  /** Serialized as JSON unless a string; omitted for 204. */
  body?: unknown;
  headers?: Record<string, string>;
}

export class InvalidJsonError extends Error {
  override readonly name = 'InvalidJsonError';
}

export class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

export function jsonBody(request: SandboxRequest): unknown {
  const text = request.rawBody.toString('utf8');
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new InvalidJsonError((error as Error).message);
  }
}

/** For the request log: a body that is not JSON is logged as absent rather than failing the call. */
export function jsonOrUndefined(request: SandboxRequest): unknown {
  try {
    return jsonBody(request);
  } catch {
    return undefined;
  }
}

export function retryAfterHeader(seconds: number | undefined): Record<string, string> {
  return seconds === undefined ? {} : { 'Retry-After': String(seconds) };
}

export function formBody(request: SandboxRequest): URLSearchParams {
  return new URLSearchParams(request.rawBody.toString('utf8'));
}

export function headerValue(request: SandboxRequest, name: string): string | undefined {
  const value = request.headers[name.toLowerCase()];
  return Array.isArray(value) ? value.join(', ') : value;
}

export function bearerToken(request: SandboxRequest): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(headerValue(request, 'authorization') ?? '');
  return match?.[1];
}

/** Repeated (`?p=a&p=b`) and comma-separated (`?p=a,b`) lists both occur on the wire. */
export function queryList(query: URLSearchParams, name: string): string[] | undefined {
  const values = query.getAll(name);
  if (values.length === 0) return undefined;
  return values
    .flatMap((value) => value.split(','))
    .map((value) => value.trim())
    .filter(Boolean);
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function readRawBody(incoming: IncomingMessage, limitBytes: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    incoming.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limitBytes) {
        reject(new BodyTooLargeError(`body over ${limitBytes} bytes`));
        incoming.resume();
        return;
      }
      chunks.push(chunk);
    });
    incoming.once('end', () => resolve(Buffer.concat(chunks)));
    incoming.once('error', reject);
  });
}
