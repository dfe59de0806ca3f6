/** Mailchimp Transactional (Mandrill) webhooks: HMAC-SHA1 over URL + sorted POST fields, `mandrill_events` → LeadEvents. */
import * as z from 'zod/mini';
import type { ParsedBatch, SourceAdapter } from '../source';
import {
  MalformedBodyError,
  VERIFIED,
  hmac,
  rejected,
  safeEqual,
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
import { parseForm, readForm } from './email-form';

export interface MandrillSecrets {
  /** The webhook's authentication key (Settings → Webhooks, Key column; `webhooks/add` returns it). */
  readonly webhookKey: string;
}

export const MANDRILL_SIGNATURE_HEADER = 'x-mandrill-signature';

/**
 * Adding a webhook, Mandrill first sends HEAD; if that does not answer 200 it POSTs `mandrill_events=[]`
 * signed with this generic key instead of the webhook's own, which does not exist yet.
 */
export const MANDRILL_TEST_WEBHOOK_KEY = 'test-webhook';

/** Mandrill's documented maximum per POST. */
export const MANDRILL_MAX_EVENTS = 1000;

/** Message `event` → vocabulary. Sync events (`type` allowlist/denylist, no `event`) are ignored too. */
export const MANDRILL_EVENT_TYPES = {
  delivered: { type: 'email.delivered' },
  open: { type: 'email.opened' },
  click: { type: 'email.clicked' },
  hard_bounce: { type: 'email.bounced', bounceKind: 'hard' },
  soft_bounce: { type: 'email.bounced', bounceKind: 'soft' },
  spam: { type: 'email.spam_reported' },
  unsub: { type: 'email.unsubscribed' },
  send: null,
  deferral: null,
  reject: null,
  inbound: null,
} as const satisfies EmailEventTable;

const BatchSchema = z.lazy(() =>
  z.array(z.looseObject({ event: lenient(z.string()) })).check(z.maxLength(MANDRILL_MAX_EVENTS)),
);

const MessageEventSchema = z.lazy(() =>
  z.object({
    _id: nonEmptyString(),
    ts: z.number(),
    url: lenient(z.string()),
    user_agent: lenient(z.string()),
    msg: z.object({
      email: z.string(),
      tags: StringOrListSchema,
      bounce_description: lenient(z.string()),
    }),
  }),
);

/** What Mandrill signs: the URL exactly as registered, then each POST key and value, keys sorted. */
export function mandrillSignedData(url: string, form: ReadonlyMap<string, string>): string {
  const keys = [...form.keys()].sort();
  return url + keys.map((key) => key + form.get(key)).join('');
}

const sign = (key: string, data: string) => hmac('sha1', key, data).toString('base64');

function isEmptyTestBatch(form: ReadonlyMap<string, string>): boolean {
  if (form.size !== 1) return false;
  try {
    const events: unknown = JSON.parse(form.get('mandrill_events') ?? 'null');
    return Array.isArray(events) && events.length === 0;
  } catch {
    return false;
  }
}

/**
 * Pure, never throws. `request.url` must be the URL exactly as registered in Mandrill (a trailing slash or
 * query string counts). Mandrill sends no timestamp, so replays are caught by the sourceEventId dedupe.
 */
export function verifyMandrillSignature(
  request: WebhookRequest,
  secrets: MandrillSecrets,
  _now: Date,
): Verdict {
  if (!secrets.webhookKey) return rejected('mandrill: no webhook key configured');
  const signature = request.headers[MANDRILL_SIGNATURE_HEADER];
  if (!signature) return rejected('mandrill: missing X-Mandrill-Signature header');
  const form = readForm(request.rawBody);
  if (!form) return rejected('mandrill: form field repeated');
  const signed = mandrillSignedData(request.url, form);
  if (safeEqual(sign(secrets.webhookKey, signed), signature)) return VERIFIED;
  // Anyone can sign with the generic key, which is why only the empty batch, which queues nothing, passes.
  if (isEmptyTestBatch(form) && safeEqual(sign(MANDRILL_TEST_WEBHOOK_KEY, signed), signature))
    return VERIFIED;
  return rejected('mandrill: signature mismatch');
}

export function parseMandrillEvents(request: WebhookRequest, _now: Date): ParsedBatch {
  const field = parseForm(request.rawBody, 'mandrill').get('mandrill_events');
  if (field === undefined) throw new MalformedBodyError('mandrill: no mandrill_events field');
  let body: unknown;
  try {
    body = JSON.parse(field);
  } catch {
    throw new MalformedBodyError('mandrill: mandrill_events is not valid JSON');
  }
  const items = parseWire(
    BatchSchema,
    body,
    'mandrill: mandrill_events is not an array of at most 1000 events',
  );
  return mapEvents(
    items,
    (item) => {
      const mapping = item.event === undefined ? undefined : lookupEvent(MANDRILL_EVENT_TYPES, item.event);
      if (!mapping) return null;
      const event = parseWire(MessageEventSchema, item, 'mandrill: message event lacks _id, ts or msg.email');
      return buildEmailEvent({
        source: 'mandrill',
        // One message (_id) has many events: the event name and time tell them apart.
        sourceEventId: `${event._id}:${item.event}:${event.ts}`,
        mapping,
        occurredAt: epochSecondsToIso(event.ts, 'mandrill'),
        email: event.msg.email,
        fields: {
          url: event.url,
          tag: joinList(event.msg.tags),
          reason: event.msg.bounce_description,
          messageId: event._id,
          userAgent: event.user_agent,
        },
      });
    },
    'mandrill',
  );
}

export const mandrillSource: SourceAdapter<MandrillSecrets> = {
  source: 'mandrill',
  route: '/webhooks/mandrill',
  verify: verifyMandrillSignature,
  parse: parseMandrillEvents,
};
