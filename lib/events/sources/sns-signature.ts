/** Verifies Amazon SNS HTTP(S) messages: topic allowlist, certificate URL, freshness and the RSA signature. */
import { X509Certificate, verify as verifySignature } from 'node:crypto';
import { rejected, VERIFIED, type Verdict, type WebhookRequest } from '../webhook';
import {
  isSnsCertificateUrl,
  isSnsMessageType,
  parseJsonOrUndefined,
  parseSnsEnvelope,
  type SnsEnvelope,
  type SnsMessageType,
} from './sns-envelope';

export interface SnsSecrets {
  /** The topics we subscribed to; a message from any other topic is refused even though AWS signed it. */
  readonly topicArns: readonly string[];
  /** PEM certificates by SigningCertURL, fetched beforehand (sns-certificates) so that verifying stays pure. */
  readonly certificates: ReadonlyMap<string, string>;
}

/**
 * Oldest Timestamp we accept. A retried delivery keeps the Timestamp of the original publish, and SNS caps
 * the total retry time of an HTTP/S delivery policy at 3,600 s (a hard limit, per "Amazon SNS message delivery
 * retries"), so one hour lets every genuine retry through while a captured message cannot be replayed later.
 * Replays inside the hour carry the same MessageId, hence the same sourceEventId, and are deduplicated.
 */
export const SNS_MAX_MESSAGE_AGE_MS = 60 * 60 * 1000;
/** How far ahead of our clock a Timestamp may be (clock skew). */
export const SNS_MAX_CLOCK_SKEW_MS = 5 * 60 * 1000;

/** The one rejection that a fetched certificate can cure. */
export const CERTIFICATE_NOT_AVAILABLE = 'certificate not available';

// Name-value pairs of the string to sign, in byte order, per "Verifying the signatures of Amazon SNS messages".
const CONFIRMATION_KEYS = [
  'Message',
  'MessageId',
  'SubscribeURL',
  'Timestamp',
  'Token',
  'TopicArn',
  'Type',
] as const;
const SIGNED_KEYS: Record<SnsMessageType, readonly (keyof SnsEnvelope)[]> = {
  Notification: ['Message', 'MessageId', 'Subject', 'Timestamp', 'TopicArn', 'Type'],
  SubscriptionConfirmation: CONFIRMATION_KEYS,
  UnsubscribeConfirmation: CONFIRMATION_KEYS,
};
const OPTIONAL_SIGNED_KEYS: ReadonlySet<keyof SnsEnvelope> = new Set(['Subject']);

const ALGORITHM_BY_SIGNATURE_VERSION: Readonly<Record<string, string>> = {
  '1': 'RSA-SHA1',
  '2': 'RSA-SHA256',
};

/** The exact string SNS signed (`key\nvalue\n` per pair), or undefined when a required pair is missing. */
export function snsStringToSign(envelope: SnsEnvelope): string | undefined {
  if (!isSnsMessageType(envelope.Type)) return undefined;
  let stringToSign = '';
  for (const key of SIGNED_KEYS[envelope.Type]) {
    const value = envelope[key];
    if (value === undefined) {
      if (OPTIONAL_SIGNED_KEYS.has(key)) continue;
      return undefined;
    }
    stringToSign += `${key}\n${value}\n`;
  }
  return stringToSign;
}

/**
 * The SigningCertURL of a request when it is one we may fetch, so the handler knows which certificate to get
 * before calling verifySnsMessage. Undefined for a missing or untrusted URL (verification then fails anyway).
 */
export function snsSigningCertUrl(request: WebhookRequest): string | undefined {
  const body = parseJsonOrUndefined(request.rawBody);
  if (typeof body !== 'object' || body === null || !('SigningCertURL' in body)) return undefined;
  const url = body.SigningCertURL;
  return typeof url === 'string' && isSnsCertificateUrl(url) ? url : undefined;
}

/**
 * Pure SNS verification; never throws. 'certificate not available' is only answered once every other check
 * short of the signature has passed, so a handler may verify with the certificates it has cached, fetch the
 * certificate on that answer alone, and verify again: untrusted topics or stale messages trigger no fetch.
 */
export function verifySnsMessage(request: WebhookRequest, secrets: SnsSecrets, now: Date): Verdict {
  try {
    return verifyEnvelope(request, secrets, now);
  } catch {
    return rejected('sns: verification failed');
  }
}

function verifyEnvelope(request: WebhookRequest, secrets: SnsSecrets, now: Date): Verdict {
  const envelope = parseSnsEnvelope(request.rawBody);
  if (envelope === undefined) return rejected('sns: body is not an SNS message');
  if (!isSnsMessageType(envelope.Type)) return rejected('sns: unknown message type');
  const typeHeader = request.headers['x-amz-sns-message-type'];
  if (typeHeader !== undefined && typeHeader !== envelope.Type) {
    return rejected('sns: message type header disagrees with the body');
  }
  const topicHeader = request.headers['x-amz-sns-topic-arn'];
  if (topicHeader !== undefined && topicHeader !== envelope.TopicArn) {
    return rejected('sns: topic header disagrees with the body');
  }
  if (!secrets.topicArns.includes(envelope.TopicArn)) return rejected('sns: topic not allowed');
  const algorithm = ALGORITHM_BY_SIGNATURE_VERSION[envelope.SignatureVersion];
  if (algorithm === undefined) return rejected('sns: unsupported signature version');
  if (!isSnsCertificateUrl(envelope.SigningCertURL))
    return rejected('sns: untrusted signing certificate URL');
  const stringToSign = snsStringToSign(envelope);
  if (stringToSign === undefined) return rejected('sns: a signed field is missing');

  const timestamp = Date.parse(envelope.Timestamp);
  if (!Number.isFinite(timestamp)) return rejected('sns: bad timestamp');
  const age = now.getTime() - timestamp;
  if (age > SNS_MAX_MESSAGE_AGE_MS) return rejected('sns: stale timestamp');
  if (age < -SNS_MAX_CLOCK_SKEW_MS) return rejected('sns: timestamp in the future');

  const pem = secrets.certificates.get(envelope.SigningCertURL);
  if (pem === undefined) return rejected(CERTIFICATE_NOT_AVAILABLE);
  const certificate = new X509Certificate(pem);
  const validFrom = Date.parse(certificate.validFrom);
  const validTo = Date.parse(certificate.validTo);
  if (!(validFrom <= now.getTime() && now.getTime() <= validTo)) {
    return rejected('sns: certificate expired or not yet valid');
  }
  const publicKey = certificate.publicKey;
  if (publicKey.asymmetricKeyType !== 'rsa') return rejected('sns: certificate key is not RSA');

  const signature = Buffer.from(envelope.Signature, 'base64');
  const valid = verifySignature(algorithm, Buffer.from(stringToSign, 'utf8'), publicKey, signature);
  return valid ? VERIFIED : rejected('sns: signature mismatch');
}
