// The signed /events API: HMAC-SHA256 over "timestamp.body", 5-minute window, rotating keys.
import { createHmac } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  genericApiSource,
  signGenericApiRequest,
  verifyGenericApiSignature,
} from '../../../lib/events/sources/generic-api';
import type { WebhookRequest } from '../../../lib/events/webhook';
import { genericApiSignature } from '../../../local/webhook-signing';

const body = readFileSync(join(__dirname, '../../fixtures/api/events-batch.json'));
const OLD_KEY = 'old-key-2023';
const NEW_KEY = 'new-key-2024';
const secrets = { keys: [OLD_KEY, NEW_KEY] };
const now = new Date('2024-05-01T12:00:00.000Z');
const nowSeconds = now.getTime() / 1000;

function signedRequest(options: { key?: string; timestamp?: number; rawBody?: Buffer } = {}): WebhookRequest {
  const timestamp = String(options.timestamp ?? nowSeconds - 2);
  const rawBody = options.rawBody ?? body;
  const signature = genericApiSignature(options.key ?? NEW_KEY, timestamp, rawBody);
  return {
    method: 'POST',
    url: 'https://hooks.example.com/events',
    headers: { 'x-leadscore-timestamp': timestamp, 'x-leadscore-signature': signature },
    rawBody,
  };
}
const withHeaders = (request: WebhookRequest, headers: Record<string, string | undefined>) => ({
  ...request,
  headers: { ...request.headers, ...headers },
});

describe('verifyGenericApiSignature', () => {
  it('accepts a request signed with the current key', () => {
    expect(verifyGenericApiSignature(signedRequest(), secrets, now)).toEqual({ ok: true });
  });

  it('accepts a request signed with a key being rotated out', () => {
    expect(verifyGenericApiSignature(signedRequest({ key: OLD_KEY }), secrets, now).ok).toBe(true);
  });

  it('rejects a key that is not configured', () => {
    expect(verifyGenericApiSignature(signedRequest({ key: 'guessed' }), secrets, now)).toEqual({
      ok: false,
      reason: 'api: signature mismatch',
    });
  });

  it('rejects a forged body under a valid signature', () => {
    const forged = {
      ...signedRequest(),
      rawBody: Buffer.from(body.toString('utf8').replace('pricing', 'careers')),
    };
    expect(verifyGenericApiSignature(forged, secrets, now).ok).toBe(false);
  });

  it('rejects a valid signature moved to another timestamp', () => {
    const request = signedRequest();
    expect(
      verifyGenericApiSignature(
        withHeaders(request, { 'x-leadscore-timestamp': String(nowSeconds) }),
        secrets,
        now,
      ).ok,
    ).toBe(false);
  });

  it('accepts the 5-minute edge and rejects one second beyond, both ways', () => {
    expect(verifyGenericApiSignature(signedRequest({ timestamp: nowSeconds - 300 }), secrets, now).ok).toBe(
      true,
    );
    expect(verifyGenericApiSignature(signedRequest({ timestamp: nowSeconds + 300 }), secrets, now).ok).toBe(
      true,
    );
    expect(verifyGenericApiSignature(signedRequest({ timestamp: nowSeconds - 301 }), secrets, now)).toEqual({
      ok: false,
      reason: 'api: timestamp outside the 5-minute window',
    });
    expect(verifyGenericApiSignature(signedRequest({ timestamp: nowSeconds + 301 }), secrets, now).ok).toBe(
      false,
    );
  });

  it('rejects a captured request replayed after the window', () => {
    const captured = signedRequest();
    expect(verifyGenericApiSignature(captured, secrets, new Date(now.getTime() + 10 * 60 * 1000)).ok).toBe(
      false,
    );
  });

  it('rejects a timestamp in milliseconds (outside the window by far)', () => {
    expect(verifyGenericApiSignature(signedRequest({ timestamp: now.getTime() }), secrets, now).ok).toBe(
      false,
    );
  });

  it.each([
    [
      'no headers',
      { 'x-leadscore-timestamp': undefined, 'x-leadscore-signature': undefined },
      'api: missing signature headers',
    ],
    ['no timestamp', { 'x-leadscore-timestamp': undefined }, 'api: missing signature headers'],
    ['no signature', { 'x-leadscore-signature': undefined }, 'api: missing signature headers'],
    ['a fractional timestamp', { 'x-leadscore-timestamp': '1714564798.5' }, 'api: malformed timestamp'],
    ['a negative timestamp', { 'x-leadscore-timestamp': '-1714564798' }, 'api: malformed timestamp'],
    ['an ISO timestamp', { 'x-leadscore-timestamp': '2024-05-01T12:00:00Z' }, 'api: malformed timestamp'],
    ['a signature without scheme', { 'x-leadscore-signature': 'a'.repeat(64) }, 'api: malformed signature'],
    ['an unknown scheme', { 'x-leadscore-signature': `v2=${'a'.repeat(64)}` }, 'api: malformed signature'],
    ['a short signature', { 'x-leadscore-signature': 'v1=abc' }, 'api: malformed signature'],
    [
      'a base64 signature',
      { 'x-leadscore-signature': `v1=${'A/+='.repeat(16)}` },
      'api: malformed signature',
    ],
  ])('rejects %s', (_case, headers, reason) => {
    expect(verifyGenericApiSignature(withHeaders(signedRequest(), headers), secrets, now)).toEqual({
      ok: false,
      reason,
    });
  });

  it('accepts an upper-case hex signature', () => {
    const request = signedRequest();
    const upper = request.headers['x-leadscore-signature']?.replace(
      /^v1=(.*)$/,
      (_m, hex: string) => `v1=${hex.toUpperCase()}`,
    );
    expect(
      verifyGenericApiSignature(withHeaders(request, { 'x-leadscore-signature': upper }), secrets, now).ok,
    ).toBe(true);
  });

  it('rejects everything when no key is configured, and never treats an empty key as a key', () => {
    expect(verifyGenericApiSignature(signedRequest({ key: '' }), { keys: [] }, now)).toEqual({
      ok: false,
      reason: 'api: no signing keys configured',
    });
    expect(verifyGenericApiSignature(signedRequest({ key: '' }), { keys: [''] }, now).ok).toBe(false);
    expect(verifyGenericApiSignature(signedRequest({ key: '' }), { keys: ['', NEW_KEY] }, now).ok).toBe(
      false,
    );
  });
});

describe('signGenericApiRequest', () => {
  it('produces the headers a caller sends, computed as documented', () => {
    const headers = signGenericApiRequest('{"id":"1"}', 'k', 1714564800);
    const expected = createHmac('sha256', 'k').update('1714564800.{"id":"1"}').digest('hex');
    expect(headers).toEqual({
      'x-leadscore-timestamp': '1714564800',
      'x-leadscore-signature': `v1=${expected}`,
    });
  });

  it('signs a request that verifies, with whole seconds', () => {
    const headers = signGenericApiRequest(body, NEW_KEY, nowSeconds + 0.9);
    const request = { method: 'POST', url: 'https://hooks.example.com/events', headers, rawBody: body };
    expect(headers['x-leadscore-timestamp']).toBe(String(nowSeconds));
    expect(verifyGenericApiSignature(request, secrets, now)).toEqual({ ok: true });
  });
});

describe('genericApiSource', () => {
  it('serves /events as source api with the default reply', () => {
    expect(genericApiSource.route).toBe('/events');
    expect(genericApiSource.source).toBe('api');
    expect(genericApiSource.accepted).toBeUndefined();
  });
});
