/** SendGrid Event Webhook: ECDSA signature over timestamp + raw body, and its JSON event array → LeadEvents. */
import { createPublicKey, verify, type KeyObject } from 'node:crypto';
import * as z from 'zod/mini';
import type { ParsedBatch, SourceAdapter } from '../source';
import {
  VERIFIED,
  parseJsonBody,
  rejected,
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

export interface SendGridSecrets {
  /**
   * The verification key SendGrid shows under Settings → Mail Settings → Event Webhook → Signed Event
   * Webhook: base64 SPKI DER of a P-256 key (a PEM block is accepted too).
   */
  readonly publicKey: string;
}

export const SENDGRID_SIGNATURE_HEADER = 'x-twilio-email-event-webhook-signature';
export const SENDGRID_TIMESTAMP_HEADER = 'x-twilio-email-event-webhook-timestamp';

/**
 * SendGrid documents no tolerance. Ten minutes absorbs its batching delay and clock skew, while a captured
 * request stops being replayable soon after; within the window `sg_event_id` dedupes downstream.
 */
export const SENDGRID_REPLAY_WINDOW_MS = 10 * 60 * 1000;

/** SendGrid `event` → vocabulary; a bounce whose `type` is `blocked` is keyed `bounce:blocked`. */
export const SENDGRID_EVENT_TYPES = {
  delivered: { type: 'email.delivered' },
  open: { type: 'email.opened' },
  click: { type: 'email.clicked' },
  bounce: { type: 'email.bounced', bounceKind: 'hard' },
  'bounce:blocked': { type: 'email.bounced', bounceKind: 'blocked' },
  dropped: { type: 'email.bounced', bounceKind: 'dropped' },
  unsubscribe: { type: 'email.unsubscribed' },
  group_unsubscribe: { type: 'email.unsubscribed' },
  group_resubscribe: { type: 'email.subscribed' },
  spamreport: { type: 'email.spam_reported' },
  processed: null,
  deferred: null,
} as const satisfies EmailEventTable;

const BatchSchema = z.lazy(() => z.array(z.looseObject({ event: z.string(), type: lenient(z.string()) })));

const EventSchema = z.lazy(() =>
  z.object({
    email: z.string(),
    timestamp: z.number(),
    sg_event_id: nonEmptyString(),
    sg_message_id: lenient(z.string()),
    url: lenient(z.string()),
    category: StringOrListSchema,
    marketing_campaign_name: lenient(z.string()),
    reason: lenient(z.string()),
    useragent: lenient(z.string()),
    sg_machine_open: lenient(z.boolean()),
    asm_group_id: lenient(z.number()),
  }),
);

let cachedKey: { readonly text: string; readonly key: KeyObject | undefined } | undefined;

/** The configured key as a P-256 public key, or undefined; cached because secrets rarely change. */
function publicKeyOf(text: string): KeyObject | undefined {
  if (cachedKey?.text === text) return cachedKey.key;
  let key: KeyObject | undefined;
  try {
    const trimmed = text.trim();
    key = trimmed.includes('BEGIN PUBLIC KEY')
      ? createPublicKey(trimmed)
      : createPublicKey({ key: Buffer.from(trimmed, 'base64'), format: 'der', type: 'spki' });
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1')
      key = undefined;
  } catch {
    key = undefined;
  }
  cachedKey = { text, key };
  return key;
}

/** Pure, never throws: the signature covers the timestamp header's text followed by the exact body bytes. */
export function verifySendGridSignature(
  request: WebhookRequest,
  secrets: SendGridSecrets,
  now: Date,
): Verdict {
  const signature = request.headers[SENDGRID_SIGNATURE_HEADER];
  const timestamp = request.headers[SENDGRID_TIMESTAMP_HEADER];
  if (!signature || !timestamp) return rejected('sendgrid: missing signature or timestamp header');
  if (!/^\d{1,12}$/.test(timestamp)) return rejected('sendgrid: malformed timestamp');
  if (!withinWindow(Number(timestamp) * 1000, now, SENDGRID_REPLAY_WINDOW_MS)) {
    return rejected('sendgrid: timestamp outside the 10-minute window');
  }
  const key = publicKeyOf(secrets.publicKey);
  if (!key) return rejected('sendgrid: configured public key is not a P-256 key');
  let valid: boolean;
  try {
    const signed = Buffer.concat([Buffer.from(timestamp, 'utf8'), request.rawBody]);
    valid = verify('sha256', signed, { key, dsaEncoding: 'der' }, Buffer.from(signature, 'base64'));
  } catch {
    valid = false;
  }
  return valid ? VERIFIED : rejected('sendgrid: signature mismatch');
}

export function parseSendGridEvents(request: WebhookRequest, _now: Date): ParsedBatch {
  const body = parseJsonBody(request.rawBody, 'sendgrid');
  const items = parseWire(BatchSchema, body, 'sendgrid: body is not an array of events');
  return mapEvents(
    items,
    (item) => {
      const key = item.event === 'bounce' && item.type === 'blocked' ? 'bounce:blocked' : item.event;
      const mapping = lookupEvent(SENDGRID_EVENT_TYPES, key);
      if (!mapping) return null;
      const event = parseWire(EventSchema, item, 'sendgrid: event lacks email, timestamp or sg_event_id');
      const category = joinList(event.category);
      return buildEmailEvent({
        source: 'sendgrid',
        sourceEventId: event.sg_event_id,
        mapping,
        occurredAt: epochSecondsToIso(event.timestamp, 'sendgrid'),
        email: event.email,
        fields: {
          url: event.url,
          campaign: event.marketing_campaign_name ?? category,
          tag: category,
          reason: event.reason,
          messageId: event.sg_message_id,
          userAgent: event.useragent,
          machineOpen: event.sg_machine_open,
          unsubscribeGroupId: event.asm_group_id,
        },
      });
    },
    'sendgrid',
  );
}

export const sendgridSource: SourceAdapter<SendGridSecrets> = {
  source: 'sendgrid',
  route: '/webhooks/sendgrid',
  verify: verifySendGridSignature,
  parse: parseSendGridEvents,
};
