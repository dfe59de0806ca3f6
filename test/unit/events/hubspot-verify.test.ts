// HubSpot signature verification: v3 (timestamped HMAC) and the legacy v1/v2 hashes.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { hubspotSource, verifyHubSpotSignature } from '../../../lib/events/sources/hubspot';
import type { WebhookRequest } from '../../../lib/events/webhook';
import { hubSpotV3Signature } from '../../../local/webhook-signing';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/hubspot', name));
const SECRET = 'test-client-secret-0000';
const secrets = { clientSecret: SECRET };
const URL = 'https://hooks.example.com/webhooks/hubspot';
const now = new Date('2024-05-01T12:00:00.000Z');
const body = fixture('hubspot-webhook-batch.json');

function v3Request(options: {
  url?: string;
  signedUri?: string;
  key?: string;
  timestamp?: number;
  rawBody?: Buffer;
}) {
  const url = options.url ?? URL;
  const timestamp = String(options.timestamp ?? now.getTime() - 1_000);
  const rawBody = options.rawBody ?? body;
  const signature = hubSpotV3Signature(
    options.key ?? SECRET,
    'POST',
    options.signedUri ?? url,
    rawBody,
    timestamp,
  );
  return {
    method: 'POST',
    url,
    headers: { 'x-hubspot-signature-v3': signature, 'x-hubspot-request-timestamp': timestamp },
    rawBody,
  } satisfies WebhookRequest;
}

describe('verifyHubSpotSignature v3', () => {
  it('accepts a request signed with the client secret within the window', () => {
    expect(verifyHubSpotSignature(v3Request({}), secrets, now)).toEqual({ ok: true });
  });

  it('rejects a signature made with another key', () => {
    const verdict = verifyHubSpotSignature(v3Request({ key: 'someone-else' }), secrets, now);
    expect(verdict).toEqual({ ok: false, reason: 'hubspot: v3 signature mismatch' });
  });

  it('rejects a body changed after signing', () => {
    const signed = v3Request({});
    const forged = {
      ...signed,
      rawBody: Buffer.from(body.toString('utf8').replace('subscriber', 'customer')),
    };
    expect(verifyHubSpotSignature(forged, secrets, now).ok).toBe(false);
  });

  it('rejects a request replayed to another URL', () => {
    const signed = v3Request({});
    const replayed = { ...signed, url: 'https://hooks.example.com/webhooks/hubspot?tenant=b' };
    expect(verifyHubSpotSignature(replayed, secrets, now).ok).toBe(false);
  });

  it('accepts a timestamp exactly 5 minutes old and rejects one a millisecond older', () => {
    const edge = now.getTime() - 5 * 60 * 1000;
    expect(verifyHubSpotSignature(v3Request({ timestamp: edge }), secrets, now).ok).toBe(true);
    expect(verifyHubSpotSignature(v3Request({ timestamp: edge - 1 }), secrets, now)).toEqual({
      ok: false,
      reason: 'hubspot: request timestamp outside the 5-minute window',
    });
  });

  it('rejects a timestamp more than 5 minutes in the future', () => {
    const future = now.getTime() + 5 * 60 * 1000 + 1;
    expect(verifyHubSpotSignature(v3Request({ timestamp: future }), secrets, now).ok).toBe(false);
  });

  it('rejects a stale request even when its signature is valid (replay a day later)', () => {
    const signed = v3Request({});
    const dayLater = new Date(now.getTime() + 24 * 60 * 60 * 1000);
    expect(verifyHubSpotSignature(signed, secrets, dayLater).ok).toBe(false);
  });

  it.each([
    ['missing', undefined, 'hubspot: missing request timestamp'],
    ['not a number', 'yesterday', 'hubspot: malformed request timestamp'],
    ['in seconds with a fraction', '1714564799.5', 'hubspot: malformed request timestamp'],
    ['negative', '-1714564799000', 'hubspot: malformed request timestamp'],
  ])('rejects a timestamp that is %s', (_case, timestamp, reason) => {
    const signed = v3Request({});
    const headers = { ...signed.headers, 'x-hubspot-request-timestamp': timestamp };
    expect(verifyHubSpotSignature({ ...signed, headers }, secrets, now)).toEqual({ ok: false, reason });
  });

  it.each(['', 'not base64 at all', 'A'.repeat(10_000), '\u0000\uffff'])(
    'rejects the garbage signature %#',
    (signature) => {
      const signed = v3Request({});
      const headers = { ...signed.headers, 'x-hubspot-signature-v3': signature };
      expect(verifyHubSpotSignature({ ...signed, headers }, secrets, now).ok).toBe(false);
    },
  );

  it('rejects a request without any signature header', () => {
    const request = { method: 'POST', url: URL, headers: {}, rawBody: body };
    expect(verifyHubSpotSignature(request, secrets, now)).toEqual({
      ok: false,
      reason: 'hubspot: missing signature header',
    });
  });

  it('rejects everything when no client secret is configured', () => {
    expect(verifyHubSpotSignature(v3Request({ key: '' }), { clientSecret: '' }, now).ok).toBe(false);
  });

  it('does not fall back to a valid legacy signature when the v3 one is wrong', () => {
    const signed = v3Request({ key: 'someone-else' });
    const v1 = createHash('sha256')
      .update(`${SECRET}${body.toString('utf8')}`)
      .digest('hex');
    const headers = { ...signed.headers, 'x-hubspot-signature': v1, 'x-hubspot-signature-version': 'v1' };
    expect(verifyHubSpotSignature({ ...signed, headers }, secrets, now).ok).toBe(false);
  });
});

describe('verifyHubSpotSignature v3 URI decoding', () => {
  it('signs the URI with the listed escapes decoded, in either case, others left as sent', () => {
    const url = `${URL}?next=%2Fthanks%3Fa%3Db&who=%40me%21%24%27%28%29%2a%2c%3b&t=%3A&sp=a%20b`;
    const decodedByHand = `${URL}?next=/thanks?a%3Db&who=@me!$'()*,;&t=:&sp=a%20b`;
    expect(verifyHubSpotSignature(v3Request({ url, signedUri: decodedByHand }), secrets, now).ok).toBe(true);
  });

  it('rejects a signature computed over the still-encoded URI', () => {
    const url = `${URL}?next=%2Fthanks`;
    expect(verifyHubSpotSignature(v3Request({ url, signedUri: url }), secrets, now).ok).toBe(false);
  });

  it('decodes once: an encoded percent sign stays encoded', () => {
    const url = `${URL}?v=%253A`;
    expect(verifyHubSpotSignature(v3Request({ url, signedUri: url }), secrets, now).ok).toBe(true);
  });
});

describe('verifyHubSpotSignature v1/v2 fallback', () => {
  // Vectors published in HubSpot's v1 and v2 request-validation FAQ pages.
  const DOCS_SECRET = 'yyyyyyyy-yyyy-yyyy-yyyy-yyyyyyyyyyyy';
  const docsBody = Buffer.from(fixture('hubspot-webhook-contact-creation.json').toString('utf8').trimEnd());

  it('accepts the documented v1 example (sha256 of secret + body)', () => {
    const request = {
      method: 'POST',
      url: URL,
      headers: {
        'x-hubspot-signature': '232db2615f3d666fe21a8ec971ac7b5402d33b9a925784df3ca654d05f4817de',
        'x-hubspot-signature-version': 'v1',
      },
      rawBody: docsBody,
    };
    expect(verifyHubSpotSignature(request, { clientSecret: DOCS_SECRET }, now)).toEqual({ ok: true });
  });

  it('accepts the documented v2 example (sha256 of secret + method + URI + body)', () => {
    const request = {
      method: 'GET',
      url: 'https://www.example.com/webhook_uri',
      headers: {
        'x-hubspot-signature': 'eee2dddcc73c94d699f5e395f4b9d454a069a6855fbfa152e91e88823087200e',
        'x-hubspot-signature-version': 'v2',
      },
      rawBody: Buffer.alloc(0),
    };
    expect(verifyHubSpotSignature(request, { clientSecret: DOCS_SECRET }, now)).toEqual({ ok: true });
  });

  it('signs the v2 URI exactly as called, without v3 decoding', () => {
    const url = `${URL}?next=%2Fthanks`;
    const v2 = createHash('sha256')
      .update(`${SECRET}POST${url}${body.toString('utf8')}`)
      .digest('hex');
    const headers = { 'x-hubspot-signature': v2, 'x-hubspot-signature-version': 'v2' };
    expect(verifyHubSpotSignature({ method: 'POST', url, headers, rawBody: body }, secrets, now).ok).toBe(
      true,
    );
  });

  it.each([
    ['a v1 hash with the wrong secret', 'v1', `wrong${body.toString('utf8')}`],
    ['a v1 hash labelled v2', 'v2', `${SECRET}${body.toString('utf8')}`],
    ['an unknown version', 'v9', `${SECRET}${body.toString('utf8')}`],
    ['no version header', undefined, `${SECRET}${body.toString('utf8')}`],
  ])('rejects %s', (_case, version, signedSource) => {
    const signature = createHash('sha256').update(signedSource).digest('hex');
    const headers = { 'x-hubspot-signature': signature, 'x-hubspot-signature-version': version };
    expect(
      verifyHubSpotSignature({ method: 'POST', url: URL, headers, rawBody: body }, secrets, now).ok,
    ).toBe(false);
  });
});

describe('hubspotSource', () => {
  it('serves /webhooks/hubspot with the default reply', () => {
    expect(hubspotSource.route).toBe('/webhooks/hubspot');
    expect(hubspotSource.source).toBe('hubspot');
    expect(hubspotSource.accepted).toBeUndefined();
    expect(hubspotSource.verify(v3Request({}), secrets, now).ok).toBe(true);
  });
});
