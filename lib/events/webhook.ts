/** What every webhook source shares: the request as verifiers see it, verdicts, and the errors mapped to HTTP. */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';

/** A webhook request as received. Header names are lower-case. */
export interface WebhookRequest {
  readonly method: string;
  /** The full public URL the sender called: scheme, host, path and query. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | undefined>>;
  readonly rawBody: Buffer;
  readonly sourceIp?: string;
}

export type Verdict = { readonly ok: true } | { readonly ok: false; readonly reason: string };

export const VERIFIED: Verdict = Object.freeze({ ok: true });
export const rejected = (reason: string): Verdict => ({ ok: false, reason });

/** Body could not be parsed as the source's wire format: answered 400 with `message`. */
export class MalformedBodyError extends Error {
  override readonly name = 'MalformedBodyError';
}

/** Constant-time comparison of two strings (a length mismatch is answered without comparing bytes). */
export function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  if (left.length !== right.length) {
    // Compare against itself so the time spent does not depend on where the strings differ.
    timingSafeEqual(left, left);
    return false;
  }
  return timingSafeEqual(left, right);
}

export function hmac(algorithm: 'sha1' | 'sha256', key: string | Buffer, data: string | Buffer): Buffer {
  return createHmac(algorithm, key).update(data).digest();
}

export function sha256Hex(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** True when `timestampMs` lies within `windowMs` of `now`, in either direction. */
export function withinWindow(timestampMs: number, now: Date, windowMs: number): boolean {
  return Number.isFinite(timestampMs) && Math.abs(now.getTime() - timestampMs) <= windowMs;
}

export const FIVE_MINUTES_MS = 5 * 60 * 1000;

/** Parses JSON or throws MalformedBodyError naming the source. */
// Event times between 2000 and 2100: anything else is a corrupt timestamp, or seconds sent as milliseconds.
const MIN_EPOCH_MS = Date.UTC(2000, 0, 1);
const MAX_EPOCH_MS = Date.UTC(2100, 0, 1);

/** An event time in epoch milliseconds as ISO-8601 UTC; undefined outside 2000–2100. */
export function isoFromEpochMs(ms: number): string | undefined {
  return ms >= MIN_EPOCH_MS && ms < MAX_EPOCH_MS ? new Date(Math.round(ms)).toISOString() : undefined;
}

/** Strict: invalid bytes throw instead of becoming U+FFFD (a Latin-1 "Jörg" stored as "J\uFFFDrg"); a BOM is dropped. */
const UTF8 = new TextDecoder('utf-8', { fatal: true });

/** The body as text; MalformedBodyError when it is not UTF-8. */
export function decodeUtf8(rawBody: Buffer, source: string): string {
  try {
    return UTF8.decode(rawBody);
  } catch {
    throw new MalformedBodyError(`${source}: body is not UTF-8`);
  }
}

export function parseJsonBody(rawBody: Buffer, source: string): unknown {
  if (rawBody[0] === 0x1f && rawBody[1] === 0x8b) {
    throw new MalformedBodyError(`${source}: body is gzip-compressed: send it uncompressed`);
  }
  const text = decodeUtf8(rawBody, source);
  try {
    return JSON.parse(text);
  } catch {
    throw new MalformedBodyError(`${source}: body is not valid JSON`);
  }
}
