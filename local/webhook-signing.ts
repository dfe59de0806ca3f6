/**
 * Signing recipes for every webhook source, written from the vendors' docs independently of lib/, so that
 * tests signing with them check lib's verifiers rather than mirror them. The demo and the traffic generator
 * sign with them too.
 */
import { createHmac, sign, type KeyObject } from 'node:crypto';

const bytes = (data: string | Buffer): Buffer => (Buffer.isBuffer(data) ? data : Buffer.from(data, 'utf8'));

/** HubSpot v3: base64 HMAC-SHA256(client secret, method + URI + body + timestamp in ms). */
export function hubSpotV3Signature(
  clientSecret: string,
  method: string,
  uri: string,
  body: string | Buffer,
  timestampMs: string,
): string {
  return createHmac('sha256', clientSecret)
    .update(Buffer.concat([Buffer.from(method + uri), bytes(body), Buffer.from(timestampMs)]))
    .digest('base64');
}

/** SendGrid signed Event Webhook: base64 DER ECDSA-P256-SHA256 over the timestamp header's text + raw body. */
export function sendGridSignature(
  privateKey: KeyObject,
  timestampSeconds: string,
  body: string | Buffer,
): string {
  return sign('sha256', Buffer.concat([Buffer.from(timestampSeconds), bytes(body)]), {
    key: privateKey,
    dsaEncoding: 'der',
  }).toString('base64');
}

/** Mandrill: base64 HMAC-SHA1(webhook key, URL as registered + each POST key and value, keys sorted). */
export function mandrillSignature(
  key: string,
  url: string,
  fields: Readonly<Record<string, string>>,
): string {
  const data =
    url +
    Object.keys(fields)
      .sort()
      .map((name) => name + fields[name])
      .join('');
  return createHmac('sha1', key).update(data, 'utf8').digest('base64');
}

/** Mailgun: hex HMAC-SHA256(signing key, timestamp + token). */
export function mailgunSignature(key: string, timestamp: string, token: string): string {
  return createHmac('sha256', key)
    .update(timestamp + token)
    .digest('hex');
}

/** HTTP Basic `Authorization` for `user:password` (Postmark sends the credentials from the webhook URL so). */
export function basicAuthorization(credentials: string): string {
  return `Basic ${Buffer.from(credentials, 'utf8').toString('base64')}`;
}

/** The /events API: `v1=` + hex HMAC-SHA256(key, timestamp + "." + raw body). */
export function genericApiSignature(key: string, timestampSeconds: string, body: string | Buffer): string {
  const hex = createHmac('sha256', key)
    .update(Buffer.concat([Buffer.from(`${timestampSeconds}.`), bytes(body)]))
    .digest('hex');
  return `v1=${hex}`;
}
