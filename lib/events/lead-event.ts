/**
 * The normalized `LeadEvent`: one thing that happened to or by a lead, whatever source reported it.
 * Written with zod/mini because the ingest function bundles it and must stay small.
 */
import * as z from 'zod/mini';

export const SOURCES = [
  'hubspot',
  'salesforce',
  'sendgrid',
  'mandrill',
  'mailchimp',
  'mailgun',
  'postmark',
  'ses',
  'api',
] as const;
export type Source = (typeof SOURCES)[number];

/** One vocabulary for every source; each source maps its own event names onto it in one table. */
export const LEAD_EVENT_TYPES = [
  'email.delivered',
  'email.opened',
  'email.clicked',
  'email.bounced',
  'email.unsubscribed',
  'email.spam_reported',
  'email.subscribed',
  'page.viewed',
  'form.submitted',
  'crm.created',
  'crm.updated',
  'crm.deleted',
  'crm.merged',
  'crm.privacy_deleted',
  'call.completed',
  'meeting.booked',
  'mail.responded',
  'product.used',
  'custom',
] as const;
export type LeadEventType = (typeof LEAD_EVENT_TYPES)[number];

/** Events that maintain the lead record rather than describe what the lead did: never scored as events. */
export const RECORD_EVENT_TYPES: ReadonlySet<string> = new Set([
  'crm.updated',
  'crm.deleted',
  'crm.merged',
  'crm.privacy_deleted',
]);

/** The types rules may count: every type but record changes. */
export const SCORED_EVENT_TYPES: readonly LeadEventType[] = LEAD_EVENT_TYPES.filter(
  (type) => !RECORD_EVENT_TYPES.has(type),
);

export const CRM_SYSTEMS = ['hubspot', 'salesforce'] as const;
export type CrmSystem = (typeof CRM_SYSTEMS)[number];

const nonEmpty = () => z.string().check(z.minLength(1));

/**
 * A CRM id is a lead's key, and DynamoDB keys stop at 2 KB: longer ids would fail the whole worker batch
 * that reads them. HubSpot ids are numbers and Salesforce's 18 characters; 255 leaves room for any other.
 */
export const MAX_CRM_ID_LENGTH = 255;
/** Folding more records than this in one event would outgrow a DynamoDB transaction's 100 items. */
export const MAX_MERGED_IDS = 99;

const CrmIdSchema = () =>
  z
    .string()
    .check(
      z.minLength(1, 'a CRM id cannot be empty'),
      z.maxLength(MAX_CRM_ID_LENGTH, `a CRM id has at most ${MAX_CRM_ID_LENGTH} characters`),
    );

export const CrmRefSchema = z.lazy(() =>
  z.object({
    system: z.enum(CRM_SYSTEMS),
    /**
     * `contact` (HubSpot), `Lead` or `Contact` (Salesforce), or another object's API name. Without `:`, so
     * that the lead id `system:objecttype:id` names one record only.
     */
    objectType: z
      .string()
      .check(
        z.regex(
          /^[A-Za-z0-9_-]{1,80}$/,
          'an object type is an API name: 1 to 80 letters, digits, "_" or "-" (contact, Lead, Contact)',
        ),
      ),
    id: CrmIdSchema(),
  }),
);
export type CrmRef = z.infer<typeof CrmRefSchema>;

export const WhoSchema = z.lazy(() =>
  z
    .object({
      email: z.optional(nonEmpty()),
      crm: z.optional(CrmRefSchema),
    })
    .check(
      z.refine((who) => who.email !== undefined || who.crm !== undefined, 'who needs an email or a CRM id'),
    ),
);
export type Who = z.infer<typeof WhoSchema>;

export const FieldValueSchema = z.lazy(() => z.union([z.string(), z.number(), z.boolean(), z.null()]));
export type FieldValue = z.infer<typeof FieldValueSchema>;

export const LeadEventSchema = z.lazy(() =>
  z
    .object({
      source: z.enum(SOURCES),
      /** Stable dedupe key: the same real-world event always yields the same id, retries included. */
      sourceEventId: nonEmpty(),
      type: z.enum(LEAD_EVENT_TYPES),
      /** ISO-8601 UTC. */
      occurredAt: z.iso.datetime(),
      who: WhoSchema,
      /** CRM field → new value (a profile change); null clears the field. */
      profile: z.optional(z.record(z.string(), FieldValueSchema)),
      /** What rules filter on: url, campaign, formId, reason, bounceKind, … */
      fields: z.optional(z.record(z.string(), FieldValueSchema)),
      /** For `crm.merged`: the CRM ids folded into `who.crm.id`. */
      mergedIds: z.optional(
        z
          .array(CrmIdSchema())
          .check(
            z.maxLength(
              MAX_MERGED_IDS,
              `at most ${MAX_MERGED_IDS} ids per merge: send larger merges as several events`,
            ),
          ),
      ),
    })
    .check(
      z.refine((event) => event.type !== 'crm.merged' || event.who.crm !== undefined, {
        message: 'a crm.merged event names the surviving record in who.crm',
        path: ['who', 'crm'],
      }),
    ),
);
export type LeadEvent = z.infer<typeof LeadEventSchema>;

/** Emails compare trimmed and lower-case everywhere: in events, identities and queue keys. */
export const normalizeEmail = (email: string): string => email.trim().toLowerCase();
