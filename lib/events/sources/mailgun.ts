/** Mailgun webhooks: HMAC-SHA256 over timestamp + token inside the JSON body, and its `event-data` → LeadEvent. */
import * as z from 'zod/mini';
import type { ParsedBatch, SourceAdapter } from '../source';
import {
  FIVE_MINUTES_MS,
  VERIFIED,
  hmac,
  parseJsonBody,
  rejected,
  safeEqual,
  withinWindow,
  type Verdict,
  type WebhookRequest,
} from '../webhook';
import {
  StringOrListSchema,
  buildEmailEvent,
  epochSecondsToIso,
  joinList,
  lenient,
  lookupEvent,
  mapEvents,
  nonEmptyString,
  parseWire,
  type EmailEventTable,
} from './email-events';
import type { TokenReplayGuard } from './email-replay-guard';

export { createTokenReplayGuard, type TokenReplayGuard } from './email-replay-guard';

export interface MailgunSecrets {
  /** The HTTP webhook signing key (Mailgun → Settings → API Security → Webhook signing key), not the API key. */
  readonly signingKey: string;
}

/**
 * Mailgun only says not to be "too aggressive" with the timestamp check; five minutes is the window.
 * A token stays remembered for twice that, as a timestamp may lie that far either side of now.
 */
export const MAILGUN_TIMESTAMP_WINDOW_MS = FIVE_MINUTES_MS;
export const MAILGUN_TOKEN_TTL_MS = 2 * MAILGUN_TIMESTAMP_WINDOW_MS;

/** `event` → vocabulary; a failure is keyed by severity: `failed:permanent` bounced, `failed:temporary` retried. */
export const MAILGUN_EVENT_TYPES = {
  delivered: { type: 'email.delivered' },
  opened: { type: 'email.opened' },
  clicked: { type: 'email.clicked' },
  'failed:permanent': { type: 'email.bounced', bounceKind: 'hard' },
  'failed:temporary': null,
  unsubscribed: { type: 'email.unsubscribed' },
  complained: { type: 'email.spam_reported' },
  accepted: null,
  rejected: null,
  stored: null,
} as const satisfies EmailEventTable;

const SignatureSchema = z.lazy(() =>
  z.object({
    signature: z.object({
      timestamp: z.union([z.string(), z.number()]),
      token: nonEmptyString(),
      signature: z.string(),
      // Present for a subaccount's domain: signed with the primary account's key.
      'parent-signature': lenient(z.string()),
    }),
  }),
);

const BodySchema = z.lazy(() =>
  z.object({
    'event-data': z.looseObject({ event: z.string(), severity: lenient(z.string()) }),
  }),
);

const EventDataSchema = z.lazy(() =>
  z.object({
    id: nonEmptyString(),
    timestamp: z.number(),
    recipient: z.string(),
    url: lenient(z.string()),
    reason: lenient(z.string()),
    tags: StringOrListSchema,
    message: lenient(z.object({ headers: lenient(z.object({ 'message-id': lenient(z.string()) })) })),
    'client-info': lenient(z.object({ 'user-agent': lenient(z.string()) })),
  }),
);

type MailgunSignature = z.infer<typeof SignatureSchema>['signature'];

function readSignature(rawBody: Buffer): MailgunSignature | undefined {
  try {
    const result = SignatureSchema.safeParse(JSON.parse(rawBody.toString('utf8')));
    return result.success ? result.data.signature : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Pure, never throws. The signature covers only timestamp + token, not the event data: what binds them is
 * Mailgun sending both in one body over TLS, and the handler refusing a token twice
 * (see `checkMailgunTokenReplay`), which this pure function cannot remember.
 */
export function verifyMailgunSignature(request: WebhookRequest, secrets: MailgunSecrets, now: Date): Verdict {
  if (!secrets.signingKey) return rejected('mailgun: no signing key configured');
  const signature = readSignature(request.rawBody);
  if (!signature) return rejected('mailgun: body has no signature block');
  const timestamp = String(signature.timestamp);
  if (!/^\d{1,12}$/.test(timestamp)) return rejected('mailgun: malformed timestamp');
  if (!withinWindow(Number(timestamp) * 1000, now, MAILGUN_TIMESTAMP_WINDOW_MS)) {
    return rejected('mailgun: timestamp outside the 5-minute window');
  }
  const expected = hmac('sha256', secrets.signingKey, timestamp + signature.token).toString('hex');
  const parent = signature['parent-signature'];
  // Both comparisons always run, so the time taken does not tell which signature matched.
  const own = safeEqual(expected, signature.signature.toLowerCase());
  const primary = parent !== undefined && safeEqual(expected, parent.toLowerCase());
  return own || primary ? VERIFIED : rejected('mailgun: signature mismatch');
}

/** The one-time token of a Mailgun request, for a replay guard; undefined when the body has none. */
export function mailgunSignatureToken(request: WebhookRequest): string | undefined {
  return readSignature(request.rawBody)?.token;
}

/** For the handler, once `verifyMailgunSignature` passed: refuses a token this instance has already seen. */
export function checkMailgunTokenReplay(
  request: WebhookRequest,
  guard: TokenReplayGuard,
  now: Date,
): Verdict {
  const token = mailgunSignatureToken(request);
  if (token === undefined) return rejected('mailgun: body has no signature block');
  return guard.remember(token, now) ? VERIFIED : rejected('mailgun: token already used (replayed request)');
}

export function parseMailgunEvents(request: WebhookRequest, _now: Date): ParsedBatch {
  const body = parseWire(
    BodySchema,
    parseJsonBody(request.rawBody, 'mailgun'),
    'mailgun: body has no event-data',
  );
  const item = body['event-data'];
  const key = item.event === 'failed' ? `failed:${item.severity ?? ''}` : item.event;
  return mapEvents([item], () => {
    const mapping = lookupEvent(MAILGUN_EVENT_TYPES, key);
    if (!mapping) return null;
    const event = parseWire(EventDataSchema, item, 'mailgun: event-data lacks id, timestamp or recipient');
    return buildEmailEvent({
      source: 'mailgun',
      sourceEventId: event.id,
      mapping,
      occurredAt: epochSecondsToIso(event.timestamp, 'mailgun'),
      email: event.recipient,
      fields: {
        url: event.url,
        tag: joinList(event.tags),
        reason: event.reason,
        messageId: event.message?.headers?.['message-id'],
        userAgent: event['client-info']?.['user-agent'],
      },
    });
  });
}

export const mailgunSource: SourceAdapter<MailgunSecrets> = {
  source: 'mailgun',
  route: '/webhooks/mailgun',
  verify: verifyMailgunSignature,
  parse: parseMailgunEvents,
};
