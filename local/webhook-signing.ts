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

/** An Amazon SNS HTTP(S) message: the JSON object SNS POSTs, every value a string. */
export type SnsMessage = Record<string, string>;

// "Verifying the signatures of Amazon SNS messages": these pairs, in this order, as `name\nvalue\n` each;
// Subject only when present.
const SNS_SIGNED_FIELDS = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  Confirmation: ['Message', 'MessageId', 'SubscribeURL', 'Timestamp', 'Token', 'TopicArn', 'Type'],
} as const;

/**
 * SNS: sets SignatureVersion and Signature (base64 RSA, SHA1 for version 1 and SHA256 for 2, with the key of
 * the certificate at SigningCertURL) over the message's current fields.
 */
export function signSnsMessage(
  message: SnsMessage,
  privateKey: string | KeyObject,
  version: '1' | '2' = '1',
): SnsMessage {
  const fields = SNS_SIGNED_FIELDS[message.Type === 'Notification' ? 'Notification' : 'Confirmation'];
  const stringToSign = fields
    .filter((name) => message[name] !== undefined)
    .map((name) => `${name}\n${message[name]}\n`)
    .join('');
  const signature = sign(version === '1' ? 'sha1' : 'sha256', Buffer.from(stringToSign, 'utf8'), privateKey);
  return { ...message, SignatureVersion: version, Signature: signature.toString('base64') };
}

export interface SnsNotificationFields {
  readonly topicArn: string;
  readonly messageId: string;
  /** An SES record is JSON-encoded, as SNS does. */
  readonly message: string | object;
  readonly timestamp: string;
  readonly signingCertUrl: string;
  readonly subject?: string;
}

/** An SNS Notification as SNS delivers it to an HTTPS subscriber, signed with `privateKey`. */
export function snsNotification(
  fields: SnsNotificationFields,
  privateKey: string | KeyObject,
  version: '1' | '2' = '1',
): SnsMessage {
  const { topicArn } = fields;
  const message: SnsMessage = {
    Type: 'Notification',
    MessageId: fields.messageId,
    TopicArn: topicArn,
    Message: typeof fields.message === 'string' ? fields.message : JSON.stringify(fields.message),
    Timestamp: fields.timestamp,
    SigningCertURL: fields.signingCertUrl,
    UnsubscribeURL: `https://${new URL(fields.signingCertUrl).host}/?Action=Unsubscribe&SubscriptionArn=${topicArn}:c9135db0`,
  };
  if (fields.subject !== undefined) message.Subject = fields.subject;
  return signSnsMessage(message, privateKey, version);
}

/** The headers SNS sends with a message (its body goes as text/plain JSON). */
export function snsHeaders(message: SnsMessage): Record<string, string> {
  return {
    'content-type': 'text/plain; charset=UTF-8',
    'x-amz-sns-message-type': message.Type ?? '',
    'x-amz-sns-topic-arn': message.TopicArn ?? '',
  };
}
