/**
 * One builder per webhook source: a fixture body in, an API Gateway (v2) event out, authenticated the way
 * that vendor does it with the test keys below (or with wrong ones, for forgeries).
 */
import { generateKeyPairSync, randomBytes, type KeyObject } from 'node:crypto';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiGatewayEvent } from './api-gateway';
import { sign, signedNotification, TEST_CERT_URL, TEST_TOPIC_ARN, type Envelope } from './sns-envelopes';
import {
  basicAuthorization,
  genericApiSignature,
  hubSpotV3Signature,
  mailgunSignature,
  mandrillSignature,
  sendGridSignature,
  snsHeaders,
} from '../../local/webhook-signing';

export const TEST_HOST = 'hooks.example.com';
export const TEST_BASE_URL = `https://${TEST_HOST}`;

const sendGridKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const otherEcKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
let otherRsaKey: KeyObject | undefined;
// RSA generation is slow, so the forger's key is made on first use, and small: it only has to be wrong.
const forgerRsaKey = () => (otherRsaKey ??= generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey);

export const TEST_KEYS = {
  hubspotClientSecret: 'test-hubspot-client-secret',
  salesforceOrganizationId: '00D1I000003qqqEUAQ',
  salesforceUrlToken: 'test-salesforce-url-token',
  sendgridPrivateKey: sendGridKeys.privateKey,
  mandrillWebhookKey: 'test-mandrill-webhook-key',
  mailchimpUrlToken: 'test-mailchimp-url-token',
  mailgunSigningKey: 'test-mailgun-signing-key',
  postmarkUsername: 'postmark-hooks',
  postmarkPassword: 'test-postmark-password',
  sesTopicArn: TEST_TOPIC_ARN,
  apiKey: 'test-api-key-0123456789',
} as const;

/** The webhook secrets document (lib/ingest/webhook-secrets.ts) with all nine sources installed. */
export const TEST_WEBHOOK_SECRETS = {
  hubspot: { clientSecret: TEST_KEYS.hubspotClientSecret },
  // The 15-character form: Salesforce sends 18, and the first 15 must match.
  salesforce: {
    organizationIds: [TEST_KEYS.salesforceOrganizationId.slice(0, 15)],
    urlToken: TEST_KEYS.salesforceUrlToken,
  },
  sendgrid: { publicKey: sendGridKeys.publicKey.export({ type: 'spki', format: 'der' }).toString('base64') },
  mandrill: { webhookKey: TEST_KEYS.mandrillWebhookKey },
  mailchimp: { urlToken: TEST_KEYS.mailchimpUrlToken },
  mailgun: { signingKey: TEST_KEYS.mailgunSigningKey },
  postmark: { username: TEST_KEYS.postmarkUsername, password: TEST_KEYS.postmarkPassword },
  ses: { topicArns: [TEST_KEYS.sesTopicArn] },
  api: { keys: [TEST_KEYS.apiKey] },
};

export interface SignOptions {
  /** The clock a signature's timestamp comes from (default: now). */
  readonly now?: Date;
  /** Authenticate with a key or token that is not the configured one. */
  readonly forged?: boolean;
  readonly method?: string;
}

type Body = string | Buffer;
const seconds = (date: Date) => String(Math.floor(date.getTime() / 1000));
const nowOf = (options: SignOptions) => options.now ?? new Date();
const urlOf = (path: string, query = '') => `${TEST_BASE_URL}${path}${query ? `?${query}` : ''}`;

function event(path: string, body: Body, headers: Record<string, string>, options: SignOptions, query = '') {
  return apiGatewayEvent({ method: options.method, path, query, headers, body, host: TEST_HOST });
}

/** HubSpot v3 signature, timestamped one second before `now` (ms). */
export function signedHubSpot(body: Body, options: SignOptions & { timestampMs?: number } = {}) {
  const path = '/webhooks/hubspot';
  const timestamp = String(options.timestampMs ?? nowOf(options).getTime() - 1000);
  const secret = options.forged ? 'not-the-client-secret' : TEST_KEYS.hubspotClientSecret;
  return event(
    path,
    body,
    {
      'content-type': 'application/json',
      'x-hubspot-signature-v3': hubSpotV3Signature(
        secret,
        options.method ?? 'POST',
        urlOf(path),
        body,
        timestamp,
      ),
      'x-hubspot-request-timestamp': timestamp,
    },
    options,
  );
}

/** Salesforce Outbound Message: the URL token; the OrganizationId is the body's own. */
export function signedSalesforce(body: Body, options: SignOptions = {}) {
  const token = options.forged ? 'not-the-url-token' : TEST_KEYS.salesforceUrlToken;
  const headers = { 'content-type': 'text/xml; charset=utf-8', soapaction: '""' };
  return event('/webhooks/salesforce', body, headers, options, `token=${token}`);
}

/** SendGrid signed Event Webhook, timestamped `timestampSeconds` (default: now). */
export function signedSendGrid(body: Body, options: SignOptions & { timestampSeconds?: number } = {}) {
  const timestamp =
    options.timestampSeconds === undefined ? seconds(nowOf(options)) : String(options.timestampSeconds);
  const key = options.forged ? otherEcKeys.privateKey : TEST_KEYS.sendgridPrivateKey;
  return event(
    '/webhooks/sendgrid',
    body,
    {
      'content-type': 'application/json',
      'x-twilio-email-event-webhook-signature': sendGridSignature(key, timestamp, body),
      'x-twilio-email-event-webhook-timestamp': timestamp,
    },
    options,
  );
}

/**
 * Mandrill: `body` is the `mandrill_events` JSON (a fixture) or the whole form as fields, or raw form bytes
 * (signed over their decoded fields, as Mandrill would have).
 */
export function signedMandrill(
  body: string | Buffer | Readonly<Record<string, string>>,
  options: SignOptions = {},
) {
  const path = '/webhooks/mandrill';
  let raw: Body;
  let fields: Record<string, string>;
  if (Buffer.isBuffer(body)) {
    raw = body;
    fields = Object.fromEntries(new URLSearchParams(body.toString('utf8')));
  } else {
    fields = typeof body === 'string' ? { mandrill_events: body } : { ...body };
    raw = new URLSearchParams(fields).toString();
  }
  const key = options.forged ? 'not-the-webhook-key' : TEST_KEYS.mandrillWebhookKey;
  const headers = {
    'content-type': 'application/x-www-form-urlencoded',
    'x-mandrill-signature': mandrillSignature(key, urlOf(path), fields),
  };
  return event(path, raw, headers, options);
}

/** Mailchimp Marketing: the URL token; `body` is already form-encoded. */
export function signedMailchimp(body: Body, options: SignOptions = {}) {
  const token = options.forged ? 'not-the-url-token' : TEST_KEYS.mailchimpUrlToken;
  const headers = { 'content-type': 'application/x-www-form-urlencoded' };
  return event('/webhooks/mailchimp', body, headers, options, `token=${token}`);
}

/**
 * Mailgun: adds the `signature` block as the first member of the JSON object `body` (a fixture holding
 * `event-data`), textually, so that whatever follows reaches the parser byte for byte. A fresh random token
 * per call unless one is given (the handler refuses a token twice).
 */
export function signedMailgun(
  body: Body,
  options: SignOptions & { timestampSeconds?: number; token?: string } = {},
) {
  const timestamp =
    options.timestampSeconds === undefined ? seconds(nowOf(options)) : String(options.timestampSeconds);
  const token = options.token ?? randomBytes(25).toString('hex');
  const key = options.forged ? 'not-the-signing-key' : TEST_KEYS.mailgunSigningKey;
  const signature = { timestamp, token, signature: mailgunSignature(key, timestamp, token) };
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body, 'utf8');
  const opening = raw.indexOf('{');
  const rest =
    opening >= 0 && raw.subarray(0, opening).toString('utf8').trim() === '' ? raw.subarray(opening + 1) : raw;
  const signed = Buffer.concat([Buffer.from(`{"signature":${JSON.stringify(signature)},`), rest]);
  return event('/webhooks/mailgun', signed, { 'content-type': 'application/json' }, options);
}

/** Postmark: Basic credentials, as Postmark sends those of the webhook URL. */
export function signedPostmark(body: Body, options: SignOptions = {}) {
  const password = options.forged ? 'not-the-password' : TEST_KEYS.postmarkPassword;
  const headers = {
    'content-type': 'application/json',
    authorization: basicAuthorization(`${TEST_KEYS.postmarkUsername}:${password}`),
  };
  return event('/webhooks/postmark', body, headers, options);
}

/** The /events API, timestamped `timestampSeconds` (default: now). */
export function signedApi(body: Body, options: SignOptions & { timestampSeconds?: number } = {}) {
  const timestamp =
    options.timestampSeconds === undefined ? seconds(nowOf(options)) : String(options.timestampSeconds);
  const key = options.forged ? 'not-the-api-key-0123' : TEST_KEYS.apiKey;
  const headers = {
    'content-type': 'application/json',
    'x-leadscore-timestamp': timestamp,
    'x-leadscore-signature': genericApiSignature(key, timestamp, body),
  };
  return event('/events', body, headers, options);
}

export interface SesSignOptions extends SignOptions {
  /** The SNS Timestamp (default: two seconds before `now`). */
  readonly timestamp?: Date;
  readonly messageId?: string;
}

/** SES: `record` (an SES event record, or any text) as the Message of an SNS Notification signed with the test key. */
export function signedSes(record: string | object, options: SesSignOptions = {}) {
  const timestamp = options.timestamp ?? new Date(nowOf(options).getTime() - 2000);
  const envelope = signedNotification(record, {
    timestamp: timestamp.toISOString(),
    ...(options.messageId === undefined ? {} : { messageId: options.messageId }),
  });
  return snsEvent(options.forged ? sign(envelope, '1', forgerRsaKey()) : envelope, options);
}

/** An SNS SubscriptionConfirmation for the test topic, signed with the test key. */
export function signedSnsConfirmation(subscribeUrl: string, options: SesSignOptions = {}) {
  const timestamp = options.timestamp ?? new Date(nowOf(options).getTime() - 2000);
  const envelope = sign({
    Type: 'SubscriptionConfirmation',
    MessageId: options.messageId ?? '165545c9-2a5c-472c-8df2-7ff2be2b3b1b',
    Token: '2336412f37f',
    TopicArn: TEST_KEYS.sesTopicArn,
    Message: `You have chosen to subscribe to the topic ${TEST_KEYS.sesTopicArn}.`,
    SubscribeURL: subscribeUrl,
    Timestamp: timestamp.toISOString(),
    SigningCertURL: TEST_CERT_URL,
  });
  return snsEvent(options.forged ? sign(envelope, '1', forgerRsaKey()) : envelope, options);
}

function snsEvent(envelope: Envelope, options: SignOptions): APIGatewayProxyEventV2 {
  return event('/webhooks/ses', JSON.stringify(envelope, null, 2), snsHeaders(envelope), options);
}
