/** The Amazon SNS HTTP(S) message envelope, and the URL rules that tell a link really points at SNS. */
import * as z from 'zod/mini';

export const SNS_MESSAGE_TYPES = [
  'Notification',
  'SubscriptionConfirmation',
  'UnsubscribeConfirmation',
] as const;
export type SnsMessageType = (typeof SNS_MESSAGE_TYPES)[number];

// Only the fields we sign, check or read; SNS adds others (UnsubscribeURL, MessageAttributes) we ignore.
const SnsEnvelopeSchema = z.lazy(() =>
  z.object({
    Type: z.string(),
    MessageId: z.string(),
    TopicArn: z.string(),
    Message: z.string(),
    Timestamp: z.string(),
    SignatureVersion: z.string(),
    Signature: z.string(),
    SigningCertURL: z.string(),
    Subject: z.optional(z.string()),
    SubscribeURL: z.optional(z.string()),
    Token: z.optional(z.string()),
  }),
);
export type SnsEnvelope = z.infer<typeof SnsEnvelopeSchema>;

/** The body as JSON, or undefined when it is not JSON at all. */
export function parseJsonOrUndefined(rawBody: Buffer): unknown {
  try {
    return JSON.parse(rawBody.toString('utf8'));
  } catch {
    return undefined;
  }
}

/** The SNS envelope in a request body, or undefined when the body is not one. Never throws. */
export function parseSnsEnvelope(rawBody: Buffer): SnsEnvelope | undefined {
  const parsed = SnsEnvelopeSchema.safeParse(parseJsonOrUndefined(rawBody));
  return parsed.success ? parsed.data : undefined;
}

export function isSnsMessageType(type: string): type is SnsMessageType {
  return (SNS_MESSAGE_TYPES as readonly string[]).includes(type);
}

// sns.<region>.amazonaws.com (and .com.cn in China); regions look like us-east-1, us-gov-west-1, cn-north-1.
// Anchored on the parsed hostname, so look-alikes such as sns.us-east-1.amazonaws.com.evil.com fail.
const SNS_HOST = /^sns\.[a-z]{2}(?:-[a-z]+)+-\d+\.amazonaws\.com(?:\.cn)?$/;

function parseSnsHttpsUrl(raw: string): URL | undefined {
  if (!URL.canParse(raw)) return undefined;
  const url = new URL(raw);
  const plainHttps =
    url.protocol === 'https:' && url.username === '' && url.password === '' && url.port === '';
  return plainHttps && SNS_HOST.test(url.hostname) ? url : undefined;
}

/**
 * True for a SigningCertURL we are willing to fetch: https, an SNS host, a .pem path, no query or fragment.
 * The string must already be in canonical form (what the URL parser prints back), so no escaping, default
 * port, case or whitespace trick can make the text we checked differ from the address that gets fetched.
 */
export function isSnsCertificateUrl(raw: string): boolean {
  const url = parseSnsHttpsUrl(raw);
  return (
    url !== undefined &&
    url.href === raw &&
    url.search === '' &&
    url.hash === '' &&
    url.pathname.endsWith('.pem')
  );
}

/** True for a SubscribeURL we are willing to GET: https on an SNS host, asking to ConfirmSubscription. */
export function isSnsSubscribeUrl(raw: string): boolean {
  const url = parseSnsHttpsUrl(raw);
  return url !== undefined && url.hash === '' && url.searchParams.get('Action') === 'ConfirmSubscription';
}
