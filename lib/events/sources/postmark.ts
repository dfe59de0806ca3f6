/** Postmark webhooks: HTTP basic auth from the webhook URL, one JSON record per POST → LeadEvent. */
import * as z from 'zod/mini';
import type { ParsedBatch, SourceAdapter } from '../source';
import {
  MalformedBodyError,
  VERIFIED,
  parseJsonBody,
  rejected,
  safeEqual,
  type Verdict,
  type WebhookRequest,
} from '../webhook';
import {
  buildEmailEvent,
  isoToUtc,
  lenient,
  lookupEvent,
  mapEvents,
  normalizeEmail,
  parseWire,
  stableEventId,
  type EmailEventTable,
} from './email-events';

export interface PostmarkSecrets {
  /** The credentials in the webhook URL `https://<username>:<password>@…`, which Postmark sends as Basic auth. */
  readonly username: string;
  readonly password: string;
}

/**
 * `RecordType` → vocabulary. Bounces are keyed by their `Type`: transient ones (Transient, DnsError) are retried
 * by Postmark and autoresponders are not bounces, so those and unlisted types are ignored. A SubscriptionChange
 * is keyed by its `SuppressionReason` (`ManualSuppression` is how an unsubscribe arrives) or `Reactivated`; the
 * HardBounce and SpamComplaint suppressions are ignored because the Bounce and SpamComplaint records report them.
 */
export const POSTMARK_EVENT_TYPES = {
  Delivery: { type: 'email.delivered' },
  Open: { type: 'email.opened' },
  Click: { type: 'email.clicked' },
  SpamComplaint: { type: 'email.spam_reported' },
  'Bounce:HardBounce': { type: 'email.bounced', bounceKind: 'hard' },
  'Bounce:BadEmailAddress': { type: 'email.bounced', bounceKind: 'hard' },
  'Bounce:SoftBounce': { type: 'email.bounced', bounceKind: 'soft' },
  'Bounce:Blocked': { type: 'email.bounced', bounceKind: 'blocked' },
  'Bounce:DMARCPolicy': { type: 'email.bounced', bounceKind: 'blocked' },
  'Bounce:Transient': null,
  'Bounce:DnsError': null,
  'Bounce:AutoResponder': null,
  'SubscriptionChange:ManualSuppression': { type: 'email.unsubscribed' },
  'SubscriptionChange:Reactivated': { type: 'email.subscribed' },
  'SubscriptionChange:HardBounce': null,
  'SubscriptionChange:SpamComplaint': null,
  Inbound: null,
} as const satisfies EmailEventTable;

/** Which field holds each record type's time (Postmark has no event id, so it also identifies the event). */
const TIME_FIELDS = {
  Delivery: 'DeliveredAt',
  Open: 'ReceivedAt',
  Click: 'ReceivedAt',
  SpamComplaint: 'BouncedAt',
  Bounce: 'BouncedAt',
  SubscriptionChange: 'ChangedAt',
} as const;

const RecordSchema = z.lazy(() =>
  z.object({
    RecordType: z.string(),
    Type: lenient(z.string()),
    SuppressSending: lenient(z.boolean()),
    SuppressionReason: lenient(z.string()),
    // Null for manual suppressions and reactivations.
    MessageID: lenient(z.string()),
    // int64; beyond 2^53 JSON.parse rounds it, but always the same way, so the derived id stays stable.
    ID: lenient(z.number()),
    Recipient: lenient(z.string()),
    Email: lenient(z.string()),
    DeliveredAt: lenient(z.string()),
    ReceivedAt: lenient(z.string()),
    BouncedAt: lenient(z.string()),
    ChangedAt: lenient(z.string()),
    Tag: lenient(z.string()),
    OriginalLink: lenient(z.string()),
    UserAgent: lenient(z.string()),
    MessageStream: lenient(z.string()),
    FirstOpen: lenient(z.boolean()),
    Origin: lenient(z.string()),
  }),
);

function vendorKey(record: z.infer<typeof RecordSchema>): string {
  switch (record.RecordType) {
    case 'Bounce':
      return `Bounce:${record.Type ?? ''}`;
    case 'SubscriptionChange':
      if (record.SuppressSending === false) return 'SubscriptionChange:Reactivated';
      if (record.SuppressSending === true) {
        return `SubscriptionChange:${record.SuppressionReason ?? 'ManualSuppression'}`;
      }
      return 'SubscriptionChange';
    default:
      return record.RecordType;
  }
}

/** Pure, never throws. Both parts are compared in constant time, and both always are. */
export function verifyPostmarkAuth(request: WebhookRequest, secrets: PostmarkSecrets, _now: Date): Verdict {
  if (!secrets.username || !secrets.password) return rejected('postmark: no credentials configured');
  const header = request.headers['authorization'];
  if (!header) return rejected('postmark: missing Authorization header');
  const match = /^Basic +([A-Za-z0-9+/]+={0,2}) *$/i.exec(header);
  if (!match?.[1]) return rejected('postmark: Authorization is not Basic');
  const credentials = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = credentials.indexOf(':');
  if (colon < 0) return rejected('postmark: Basic credentials lack a colon');
  const usernameMatches = safeEqual(credentials.slice(0, colon), secrets.username);
  const passwordMatches = safeEqual(credentials.slice(colon + 1), secrets.password);
  return usernameMatches && passwordMatches ? VERIFIED : rejected('postmark: wrong username or password');
}

export function parsePostmarkEvents(request: WebhookRequest, _now: Date): ParsedBatch {
  const body = parseJsonBody(request.rawBody, 'postmark');
  const record = parseWire(RecordSchema, body, 'postmark: body is not a record with a RecordType');
  return mapEvents([record], () => {
    const mapping = lookupEvent(POSTMARK_EVENT_TYPES, vendorKey(record));
    if (!mapping) return null;
    const timeField = TIME_FIELDS[record.RecordType as keyof typeof TIME_FIELDS];
    const time = timeField === undefined ? undefined : record[timeField];
    const email = record.Recipient ?? record.Email;
    if (!time || !email) throw new MalformedBodyError('postmark: record lacks its recipient or time');
    const bounce = record.RecordType === 'Bounce' || record.RecordType === 'SpamComplaint';
    return buildEmailEvent({
      source: 'postmark',
      // One MessageID covers every recipient and every open or click; the time and recipient tell them apart.
      sourceEventId: stableEventId([
        record.RecordType,
        record.MessageID,
        time,
        bounce ? record.ID : undefined,
        normalizeEmail(email),
        record.OriginalLink,
      ]),
      mapping,
      occurredAt: isoToUtc(time, 'postmark'),
      email,
      fields: {
        url: record.OriginalLink,
        tag: record.Tag,
        reason: record.RecordType === 'Bounce' ? record.Type : record.SuppressionReason,
        origin: record.Origin,
        messageId: record.MessageID,
        messageStream: record.MessageStream,
        userAgent: record.UserAgent,
        firstOpen: record.FirstOpen,
      },
    });
  });
}

export const postmarkSource: SourceAdapter<PostmarkSecrets> = {
  source: 'postmark',
  route: '/webhooks/postmark',
  verify: verifyPostmarkAuth,
  parse: parsePostmarkEvents,
};
