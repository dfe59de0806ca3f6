/**
 * The generic signed `POST /events` API, for everything without a vendor webhook: web tracking, direct-mail
 * responses, telesales outcomes, product usage.
 *
 * Request
 *   POST /events
 *   Content-Type: application/json
 *   X-Leadscore-Timestamp: <epoch seconds>
 *   X-Leadscore-Signature: v1=<hex HMAC-SHA256(key, timestamp + "." + raw body)>
 *
 *   The timestamp must lie within 5 minutes of the server clock. Several keys may be configured at once so
 *   they can be rotated: a request signed with any of them is accepted.
 *
 * Body: one event, or up to 500 as { "events": [ ... ] }. Each event:
 *   {
 *     "id": "crm-call-8812",                 caller's unique id: the dedupe key (retries must reuse it)
 *     "type": "call.completed",              one of the LeadEvent types (email.*, page.viewed, form.submitted,
 *                                            crm.*, call.completed, meeting.booked, mail.responded,
 *                                            product.used, custom)
 *     "occurredAt": "2024-05-01T12:00:00Z", ISO-8601 (an offset is converted to UTC)
 *     "email": "ada@example.com",            who: an email and/or a CRM record, at least one
 *     "crm": { "system": "hubspot" | "salesforce", "objectType": "contact", "id": "123" },
 *     "fields": { "outcome": "connected" },  what rules filter on: string, number, boolean or null values
 *     "profile": { "jobtitle": "CTO" },      CRM field changes
 *     "mergedIds": ["456"]                   crm.merged only: ids folded into crm.id
 *   }
 *
 * Answers: 200 when queued, 401 bad signature or stale timestamp, 400 malformed (the reason names the event
 * index), 413 too large.
 */
import { firstIssue } from '../../issue-text';
import * as z from 'zod/mini';
import {
  CrmRefSchema,
  FieldValueSchema,
  LEAD_EVENT_TYPES,
  LeadEventSchema,
  type LeadEvent,
  type LeadEventType,
} from '../lead-event';
import type { ParsedBatch, SourceAdapter } from '../source';
import {
  FIVE_MINUTES_MS,
  MalformedBodyError,
  VERIFIED,
  hmac,
  parseJsonBody,
  rejected,
  safeEqual,
  withinWindow,
  type Verdict,
  type WebhookRequest,
} from '../webhook';

export interface GenericApiSecrets {
  /** Every key currently valid; list the new one beside the old while callers rotate. */
  readonly keys: readonly string[];
}

export const GENERIC_API_MAX_EVENTS = 500;
export const GENERIC_API_TIMESTAMP_HEADER = 'x-leadscore-timestamp';
export const GENERIC_API_SIGNATURE_HEADER = 'x-leadscore-signature';

/** Callers already speak our vocabulary: each type maps to itself. */
export const GENERIC_API_EVENT_TYPES: Readonly<Record<LeadEventType, LeadEventType>> = Object.freeze(
  Object.fromEntries(LEAD_EVENT_TYPES.map((type) => [type, type])) as Record<LeadEventType, LeadEventType>,
);

const SIGNATURE = /^v1=([0-9a-f]{64})$/i;

function signature(body: string | Buffer, key: string, timestamp: string): string {
  return hmac('sha256', key, Buffer.concat([Buffer.from(`${timestamp}.`), Buffer.from(body)])).toString(
    'hex',
  );
}

/** Headers (lower-case names) that authenticate `body` for the /events API. For callers, the demo and tests. */
export function signGenericApiRequest(
  body: string | Buffer,
  key: string,
  timestampSeconds: number,
): Record<typeof GENERIC_API_TIMESTAMP_HEADER | typeof GENERIC_API_SIGNATURE_HEADER, string> {
  const timestamp = String(Math.floor(timestampSeconds));
  return {
    [GENERIC_API_TIMESTAMP_HEADER]: timestamp,
    [GENERIC_API_SIGNATURE_HEADER]: `v1=${signature(body, key, timestamp)}`,
  };
}

/** Pure, never throws. Every configured key is tried, without stopping at the first match. */
export function verifyGenericApiSignature(
  request: WebhookRequest,
  secrets: GenericApiSecrets,
  now: Date,
): Verdict {
  const keys = secrets.keys.filter((key) => key.length > 0);
  if (keys.length === 0) return rejected('api: no signing keys configured');
  const timestamp = request.headers[GENERIC_API_TIMESTAMP_HEADER];
  const header = request.headers[GENERIC_API_SIGNATURE_HEADER];
  if (timestamp === undefined || header === undefined) return rejected('api: missing signature headers');
  if (!/^\d{1,12}$/.test(timestamp)) return rejected('api: malformed timestamp');
  if (!withinWindow(Number(timestamp) * 1000, now, FIVE_MINUTES_MS)) {
    return rejected('api: timestamp outside the 5-minute window');
  }
  const given = SIGNATURE.exec(header.trim())?.[1]?.toLowerCase();
  if (given === undefined) return rejected('api: malformed signature');
  let matched = false;
  for (const key of keys) {
    matched = safeEqual(signature(request.rawBody, key, timestamp), given) || matched;
  }
  return matched ? VERIFIED : rejected('api: signature mismatch');
}

const EventSchema = z.lazy(() =>
  z.strictObject({
    id: z.string().check(z.minLength(1), z.maxLength(256)),
    type: z.string(),
    occurredAt: z.iso.datetime({ offset: true }),
    email: z.optional(z.email()),
    crm: z.optional(CrmRefSchema),
    fields: z.optional(z.record(z.string(), FieldValueSchema)),
    profile: z.optional(z.record(z.string(), FieldValueSchema)),
    mergedIds: z.optional(z.array(z.string().check(z.minLength(1)))),
  }),
);
// The schema is built on first use (load time is the webhooks' cold start); so is this set.
let knownKeys: ReadonlySet<string> | undefined;
const isKnownKey = (key: string) =>
  (knownKeys ??= new Set(Object.keys(EventSchema._zod.def.getter().shape))).has(key);

/** `{ "events": [...] }` or one event → LeadEvents. Throws MalformedBodyError naming the failing index. */
export function parseGenericApiEvents(request: WebhookRequest, now: Date): ParsedBatch {
  const body = parseJsonBody(request.rawBody, 'api');
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new MalformedBodyError('api: body must be an event or {"events": [...]}');
  }
  // A batch holds nothing beside its events: an event that also carries `events` is not taken for one.
  if ('events' in body && Object.keys(body).length > 1) {
    throw new MalformedBodyError(
      'api: a batch is {"events": [...]} with no other member; an event has no "events"',
    );
  }
  const items: unknown[] = 'events' in body ? eventList(body.events) : [body];
  return { events: items.map((item, index) => toLeadEvent(item, index, now)), ignored: 0 };
}

function eventList(events: unknown): unknown[] {
  if (!Array.isArray(events)) throw new MalformedBodyError('api: "events" must be an array');
  if (events.length > GENERIC_API_MAX_EVENTS) {
    throw new MalformedBodyError(`api: at most ${GENERIC_API_MAX_EVENTS} events per request`);
  }
  return events;
}

/**
 * How far ahead of our clock an event may be dated. Scoring waits for a future event's time, so one dated
 * 2030 by a bug would sit in its lead for years; a day covers any clock skew.
 */
const MAX_AHEAD_MS = 24 * 60 * 60 * 1000;

function toLeadEvent(item: unknown, index: number, now: Date): LeadEvent {
  const parsed = EventSchema.safeParse(item);
  if (!parsed.success) {
    // Name the offending top-level field only when it is one of ours, so no caller content is echoed.
    const issue = parsed.error.issues[0];
    const key = issue?.path[0];
    const field =
      issue?.code === 'unrecognized_keys'
        ? ' (unknown field)'
        : typeof key === 'string' && isKnownKey(key)
          ? ` (${firstIssue(parsed.error)})`
          : '';
    throw new MalformedBodyError(`api: event ${index} is invalid${field}`);
  }
  const { id, type, occurredAt, email, crm, fields, profile, mergedIds } = parsed.data;
  if (!Object.hasOwn(GENERIC_API_EVENT_TYPES, type)) {
    throw new MalformedBodyError(`api: event ${index} has unknown type "${printable(type)}"`);
  }
  if (email === undefined && crm === undefined) {
    throw new MalformedBodyError(`api: event ${index} needs an email or a crm reference`);
  }
  if (Date.parse(occurredAt) > now.getTime() + MAX_AHEAD_MS) {
    throw new MalformedBodyError(`api: event ${index}: occurredAt is more than a day ahead of our clock`);
  }
  if (type === 'crm.merged' && crm === undefined) {
    throw new MalformedBodyError(`api: event ${index} is a crm.merged without crm, the record that remains`);
  }
  const event: LeadEvent = {
    source: 'api',
    sourceEventId: id,
    type: GENERIC_API_EVENT_TYPES[type as LeadEventType],
    occurredAt: new Date(occurredAt).toISOString(),
    who: { ...(email === undefined ? {} : { email }), ...(crm === undefined ? {} : { crm }) },
    ...(fields === undefined ? {} : { fields }),
    ...(profile === undefined ? {} : { profile }),
    ...(mergedIds === undefined ? {} : { mergedIds }),
  };
  const valid = LeadEventSchema.safeParse(event);
  if (!valid.success) throw new MalformedBodyError(`api: event ${index}: ${firstIssue(valid.error)}`);
  return valid.data;
}

/** The caller's type string, shortened and stripped to printable ASCII for the 400 reason. */
function printable(value: string): string {
  return value
    .replace(/[^\x20-\x7E]/g, '?')
    .replace(/["\\]/g, '?')
    .slice(0, 40);
}

export const genericApiSource: SourceAdapter<GenericApiSecrets> = {
  source: 'api',
  route: '/events',
  verify: verifyGenericApiSignature,
  parse: parseGenericApiEvents,
};
