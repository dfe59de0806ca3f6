/** The control surface both sandboxes expose, as methods and as the /__sandbox/ HTTP inspection API. */
import { z } from 'zod';
import { FaultSpecSchema, type FaultSpec } from './fault-injector';
import type { LoggedRequest } from './request-log';
import { Router } from './router';
import { jsonBody, type SandboxRequest, type SandboxResponse } from './sandbox-http';
import type { SandboxCore } from './sandbox-core';

export interface SandboxControls<R> {
  readonly url: string;
  records(): R[];
  record(id: string): R | undefined;
  /** The record disappears as if deleted in the CRM: reads miss it, writes fail the CRM's way. */
  deleteRecord(id: string): boolean;
  requests(): LoggedRequest[];
  clearRequests(): void;
  fail(spec: FaultSpec): void;
  slow(ms: number): void;
  outage(seconds: number): void;
  /** Ends outages, slowness and pending failures. */
  clearFaults(): void;
  close(): Promise<void>;
}

/** Thrown when seeded records would not be accepted by the CRM itself. */
export class SandboxSeedError extends Error {
  override readonly name = 'SandboxSeedError';
}

export interface RecordAccess<R> {
  list(): R[];
  get(id: string): R | undefined;
  delete(id: string): boolean;
}

export function sandboxControls<R>(
  core: SandboxCore,
  records: RecordAccess<R>,
): Omit<SandboxControls<R>, 'url'> {
  return {
    records: () => records.list().map((record) => structuredClone(record)),
    record: (id) => {
      const record = records.get(id);
      return record === undefined ? undefined : structuredClone(record);
    },
    deleteRecord: (id) => records.delete(id),
    requests: () => core.log.list(),
    clearRequests: () => core.log.clear(),
    fail: (spec) => core.faults.fail(spec),
    slow: (ms) => core.faults.slow(ms),
    outage: (seconds) => core.faults.outage(seconds),
    clearFaults: () => core.faults.clear(),
    close: () => core.close(),
  };
}

const SlowSchema = z.object({ ms: z.number().nonnegative() });
const OutageSchema = z.object({ seconds: z.number().nonnegative() });

/**
 * GET/POST /__sandbox/records, GET/DELETE /__sandbox/records/:id, GET/DELETE /__sandbox/requests,
 * POST/DELETE /__sandbox/faults, POST /__sandbox/slow {ms}, POST /__sandbox/outage {seconds}.
 * Vendors add their own routes to the returned router.
 */
export function inspectionRouter<R>(
  controls: Omit<SandboxControls<R>, 'url'>,
  seed: (records: unknown[]) => R[],
): Router {
  return new Router()
    .on('GET', '/__sandbox/records', () => ok(controls.records()))
    .on('POST', '/__sandbox/records', (request) =>
      guarded(() => {
        const body = jsonBody(request);
        const records = Array.isArray(body) ? body : [body];
        return { status: 201, body: seed(records) };
      }),
    )
    .on('GET', '/__sandbox/records/:id', (request) => {
      const record = controls.record(request.params.id ?? '');
      return record === undefined ? notFound(`no record ${request.params.id}`) : ok(record);
    })
    .on('DELETE', '/__sandbox/records/:id', (request) =>
      controls.deleteRecord(request.params.id ?? '')
        ? { status: 204 }
        : notFound(`no record ${request.params.id}`),
    )
    .on('GET', '/__sandbox/requests', () => ok(controls.requests()))
    .on('DELETE', '/__sandbox/requests', () => {
      controls.clearRequests();
      return { status: 204 };
    })
    .on('POST', '/__sandbox/faults', (request) =>
      guarded(() => {
        controls.fail(parseWith(FaultSpecSchema, request));
        return { status: 204 };
      }),
    )
    .on('DELETE', '/__sandbox/faults', () => {
      controls.clearFaults();
      return { status: 204 };
    })
    .on('POST', '/__sandbox/slow', (request) =>
      guarded(() => {
        controls.slow(parseWith(SlowSchema, request).ms);
        return { status: 204 };
      }),
    )
    .on('POST', '/__sandbox/outage', (request) =>
      guarded(() => {
        controls.outage(parseWith(OutageSchema, request).seconds);
        return { status: 204 };
      }),
    );
}

export function parseWith<T>(schema: z.ZodType<T>, request: SandboxRequest): T {
  return schema.parse(jsonBody(request));
}

/** Inspection answers are for test authors: a bad call says why instead of failing opaquely. */
export function guarded(run: () => SandboxResponse): SandboxResponse {
  try {
    return run();
  } catch (error) {
    const message = error instanceof z.ZodError ? z.prettifyError(error) : (error as Error).message;
    return { status: 400, body: { error: message } };
  }
}

function ok(body: unknown): SandboxResponse {
  return { status: 200, body };
}

function notFound(message: string): SandboxResponse {
  return { status: 404, body: { error: message } };
}
