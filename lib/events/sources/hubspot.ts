/** HubSpot app webhooks: signature check (v3, with v1/v2 fallback) and contact events → LeadEvents. */
import { firstIssue } from '../../issue-text';
import * as z from 'zod/mini';
import { LeadEventSchema, type LeadEvent, type LeadEventType } from '../lead-event';
import type { ParsedBatch, SourceAdapter } from '../source';
import {
  FIVE_MINUTES_MS,
  isoFromEpochMs,
  MalformedBodyError,
  VERIFIED,
  hmac,
  parseJsonBody,
  rejected,
  safeEqual,
  sha256Hex,
  withinWindow,
  type Verdict,
  type WebhookRequest,
} from '../webhook';

export interface HubSpotSecrets {
  /** The app's client secret (Developer account → app → Auth). */
  readonly clientSecret: string;
}

/** HubSpot subscription type → LeadEvent type. Anything else (company.*, deal.*, …) is ignored. */
export const HUBSPOT_EVENT_TYPES = {
  'contact.creation': 'crm.created',
  'contact.propertyChange': 'crm.updated',
  'contact.deletion': 'crm.deleted',
  'contact.merge': 'crm.merged',
  'contact.privacyDeletion': 'crm.privacy_deleted',
} as const satisfies Record<string, LeadEventType>;

type HubSpotEventType = keyof typeof HUBSPOT_EVENT_TYPES;

// Only these escapes are decoded before signing (HubSpot's v3 validation guide lists exactly these);
// one pass, so `%253A` stays `%253A`.
const V3_DECODED = /%(3A|2F|3F|40|21|24|27|28|29|2A|2C|3B)/gi;

/** The URI as HubSpot signs it for v3: the listed percent-escapes decoded, everything else verbatim. */
export function hubSpotV3Uri(url: string): string {
  return url.replace(V3_DECODED, (escape) => String.fromCharCode(parseInt(escape.slice(1), 16)));
}

/**
 * Pure, never throws. v3 (`X-HubSpot-Signature-v3`) when present; otherwise the legacy
 * `X-HubSpot-Signature` with `X-HubSpot-Signature-Version` v1 or v2, which carry no timestamp (a replayed
 * legacy request is caught by the stable `sourceEventId` downstream, not here).
 */
export function verifyHubSpotSignature(request: WebhookRequest, secrets: HubSpotSecrets, now: Date): Verdict {
  if (!secrets.clientSecret) return rejected('hubspot: no client secret configured');
  const v3 = request.headers['x-hubspot-signature-v3'];
  if (v3 !== undefined) return verifyV3(request, v3, secrets.clientSecret, now);
  const legacy = request.headers['x-hubspot-signature'];
  if (legacy === undefined) return rejected('hubspot: missing signature header');
  const version = request.headers['x-hubspot-signature-version'];
  let source: Buffer;
  if (version === 'v1') {
    source = Buffer.concat([Buffer.from(secrets.clientSecret), request.rawBody]);
  } else if (version === 'v2') {
    // v2 signs the URI exactly as called, without v3's decoding.
    const prefix = secrets.clientSecret + request.method + request.url;
    source = Buffer.concat([Buffer.from(prefix), request.rawBody]);
  } else {
    return rejected('hubspot: missing or unsupported signature version');
  }
  return safeEqual(sha256Hex(source), legacy.trim().toLowerCase())
    ? VERIFIED
    : rejected(`hubspot: ${version} signature mismatch`);
}

function verifyV3(request: WebhookRequest, signature: string, clientSecret: string, now: Date): Verdict {
  const timestamp = request.headers['x-hubspot-request-timestamp'];
  if (timestamp === undefined) return rejected('hubspot: missing request timestamp');
  if (!/^\d{1,16}$/.test(timestamp)) return rejected('hubspot: malformed request timestamp');
  if (!withinWindow(Number(timestamp), now, FIVE_MINUTES_MS)) {
    return rejected('hubspot: request timestamp outside the 5-minute window');
  }
  const message = Buffer.concat([
    Buffer.from(request.method + hubSpotV3Uri(request.url)),
    request.rawBody,
    Buffer.from(timestamp),
  ]);
  const expected = hmac('sha256', clientSecret, message).toString('base64');
  return safeEqual(expected, signature.trim()) ? VERIFIED : rejected('hubspot: v3 signature mismatch');
}

const Id = z.lazy(() => z.union([z.number(), z.string().check(z.minLength(1))]));
const PropertyValue = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null()]));

const EnvelopeSchema = z.lazy(() =>
  z.looseObject({
    subscriptionType: z.optional(z.string()),
    eventType: z.optional(z.string()),
    objectTypeId: z.optional(z.string()),
  }),
);

const ContactEventSchema = z.lazy(() =>
  z.looseObject({
    objectId: Id,
    portalId: z.optional(z.number()),
    occurredAt: z.number(),
    propertyName: z.optional(z.string()),
    propertyValue: z.optional(PropertyValue),
    changeSource: z.optional(z.string()),
    primaryObjectId: z.optional(Id),
    mergedObjectIds: z.optional(z.array(Id)),
    newObjectId: z.optional(Id),
  }),
);
type ContactEvent = z.infer<typeof ContactEventSchema>;

/** HubSpot's JSON array → LeadEvents. Throws MalformedBodyError for anything else. */
export function parseHubSpotEvents(request: WebhookRequest, _now: Date): ParsedBatch {
  const body = parseJsonBody(request.rawBody, 'hubspot');
  if (!Array.isArray(body)) throw new MalformedBodyError('hubspot: body is not a JSON array');
  const events: LeadEvent[] = [];
  let ignored = 0;
  body.forEach((item: unknown, index) => {
    const envelope = EnvelopeSchema.safeParse(item);
    if (!envelope.success) throw new MalformedBodyError(`hubspot: event ${index} is not an object`);
    const vendorType = envelope.data.subscriptionType ?? envelope.data.eventType;
    if (vendorType === undefined) {
      throw new MalformedBodyError(`hubspot: event ${index} has no subscriptionType`);
    }
    const contactType = asContactType(vendorType, envelope.data.objectTypeId);
    if (contactType === undefined) {
      ignored += 1;
      return;
    }
    const parsed = ContactEventSchema.safeParse(item);
    if (!parsed.success) throw new MalformedBodyError(`hubspot: event ${index}: ${firstIssue(parsed.error)}`);
    events.push(toLeadEvent(contactType, vendorType, parsed.data, index));
  });
  return { events, ignored };
}

/** Classic `contact.*` names, and the newer generic `object.*` ones when the object is a contact (0-1). */
function asContactType(vendorType: string, objectTypeId: string | undefined): HubSpotEventType | undefined {
  const name =
    vendorType.startsWith('object.') && objectTypeId === '0-1'
      ? `contact.${vendorType.slice('object.'.length)}`
      : vendorType;
  return Object.hasOwn(HUBSPOT_EVENT_TYPES, name) ? (name as HubSpotEventType) : undefined;
}

function toLeadEvent(
  type: HubSpotEventType,
  vendorType: string,
  event: ContactEvent,
  index: number,
): LeadEvent {
  const occurredAt = isoFromEpochMs(event.occurredAt);
  if (occurredAt === undefined) {
    throw new MalformedBodyError(
      `hubspot: event ${index}: occurredAt: expected epoch milliseconds between 2000 and 2100`,
    );
  }
  const fields: Record<string, string | number> = {};
  if (event.changeSource !== undefined) fields.changeSource = event.changeSource;
  if (event.portalId !== undefined) fields.portalId = event.portalId;
  const leadEvent: LeadEvent = {
    source: 'hubspot',
    sourceEventId: hubSpotDedupeKey(vendorType, event),
    type: HUBSPOT_EVENT_TYPES[type],
    occurredAt,
    who: { crm: { system: 'hubspot', objectType: 'contact', id: String(event.objectId) } },
  };
  if (Object.keys(fields).length > 0) leadEvent.fields = fields;
  if (type === 'contact.propertyChange') {
    if (!event.propertyName) throw new MalformedBodyError(`hubspot: event ${index} has no propertyName`);
    leadEvent.profile = { [event.propertyName]: event.propertyValue ?? null };
  }
  if (type === 'contact.merge') {
    if (event.mergedObjectIds === undefined) {
      throw new MalformedBodyError(`hubspot: event ${index} has no mergedObjectIds`);
    }
    // A merge may create a new record (newObjectId); then the former primary is folded in too.
    const survivor = String(event.newObjectId ?? event.primaryObjectId ?? event.objectId);
    const folded = [
      ...event.mergedObjectIds,
      ...(event.primaryObjectId === undefined ? [] : [event.primaryObjectId]),
    ];
    leadEvent.who = { crm: { system: 'hubspot', objectType: 'contact', id: survivor } };
    leadEvent.mergedIds = [...new Set(folded.map(String))].filter((id) => id !== survivor);
  }
  const valid = LeadEventSchema.safeParse(leadEvent);
  if (!valid.success) {
    throw new MalformedBodyError(`hubspot: event ${index}: ${firstIssue(valid.error)}`);
  }
  return valid.data;
}

/**
 * `eventId` is not unique and `attemptNumber` changes on retry, so the key is what identifies the change
 * itself: type, portal, object, property, value and when it happened.
 */
function hubSpotDedupeKey(vendorType: string, event: ContactEvent): string {
  const identity = [
    vendorType,
    event.portalId ?? null,
    String(event.objectId),
    event.propertyName ?? null,
    event.propertyValue ?? null,
    event.occurredAt,
  ];
  return sha256Hex(JSON.stringify(identity));
}

export const hubspotSource: SourceAdapter<HubSpotSecrets> = {
  source: 'hubspot',
  route: '/webhooks/hubspot',
  verify: verifyHubSpotSignature,
  parse: parseHubSpotEvents,
};
