/** Salesforce Outbound Messages: org + URL-token check and Lead/Contact notifications → LeadEvents. */
import { firstIssue } from '../../issue-text';
import { LeadEventSchema, type LeadEvent, type LeadEventType } from '../lead-event';
import type { ParsedBatch, SourceAdapter, WebhookReply } from '../source';
import {
  MalformedBodyError,
  VERIFIED,
  rejected,
  safeEqual,
  type Verdict,
  type WebhookRequest,
} from '../webhook';
import { readOrganizationId, readOutboundMessage, type OutboundNotification } from './salesforce-soap';

export interface SalesforceSecrets {
  /** Orgs allowed to send, 15- or 18-character ids. */
  readonly organizationIds: readonly string[];
  /** The secret the admin puts in the endpoint URL as `?token=…`. */
  readonly urlToken: string;
}

/**
 * An Outbound Message says only "this record, as of sending"; whether it was just created is read from its
 * dates (CreatedDate equal to LastModifiedDate).
 */
export const SALESFORCE_EVENT_TYPES = {
  created: 'crm.created',
  updated: 'crm.updated',
} as const satisfies Record<string, LeadEventType>;

/** sObject types we score; notifications about any other object are ignored. */
export const SALESFORCE_OBJECT_TYPES: readonly string[] = ['Lead', 'Contact'];

/** Salesforce retries anything but this exact acknowledgement. */
export const SALESFORCE_ACK = `<?xml version="1.0" encoding="UTF-8"?>
<soapenv:Envelope xmlns:soapenv="http://schemas.xmlsoap.org/soap/envelope/" xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
 <soapenv:Body>
  <notificationsResponse xmlns="http://soap.sforce.com/2005/09/outbound">
   <Ack>true</Ack>
  </notificationsResponse>
 </soapenv:Body>
</soapenv:Envelope>
`;

const XSD_DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;

// An 18-character id is the 15-character one plus a case-insensitivity checksum.
const ID_PREFIX_LENGTH = 15;

/**
 * Pure, never throws. Outbound Messages are unsigned, so authenticity is the URL token (constant-time)
 * plus an OrganizationId we know. The token is checked first, so an unauthenticated body is never read.
 * Past the token, a body that is not XML at all is malformed rather than unauthentic: it is let through for
 * parse, which reads the same bytes, to answer 400 with the reason.
 */
export function verifySalesforceOutboundMessage(
  request: WebhookRequest,
  secrets: SalesforceSecrets,
  _now: Date,
): Verdict {
  if (!secrets.urlToken) return rejected('salesforce: no URL token configured');
  let token: string | null;
  try {
    token = new URL(request.url).searchParams.get('token');
  } catch {
    return rejected('salesforce: unparseable request URL');
  }
  if (token === null) return rejected('salesforce: missing URL token');
  if (!safeEqual(token, secrets.urlToken)) return rejected('salesforce: URL token mismatch');
  let organizationId: string | undefined;
  try {
    organizationId = readOrganizationId(request.rawBody);
  } catch (error) {
    // parse fails on these bytes the same way, so nothing from an unchecked org can be queued.
    return error instanceof MalformedBodyError ? VERIFIED : rejected('salesforce: unreadable body');
  }
  if (organizationId === undefined) return rejected('salesforce: no OrganizationId in the body');
  const known = secrets.organizationIds.some(
    (configured) =>
      configured.length >= ID_PREFIX_LENGTH &&
      safeEqual(configured.slice(0, ID_PREFIX_LENGTH), organizationId.slice(0, ID_PREFIX_LENGTH)),
  );
  return known ? VERIFIED : rejected('salesforce: unknown OrganizationId');
}

/** One LeadEvent per Lead/Contact notification. Throws MalformedBodyError for anything not the SOAP message. */
export function parseSalesforceOutboundMessage(request: WebhookRequest, now: Date): ParsedBatch {
  const message = readOutboundMessage(request.rawBody);
  const events: LeadEvent[] = [];
  let ignored = 0;
  message.notifications.forEach((notification, index) => {
    if (SALESFORCE_OBJECT_TYPES.includes(notification.objectType)) {
      events.push(toLeadEvent(notification, index, now));
    } else {
      ignored += 1;
    }
  });
  return { events, ignored };
}

function toLeadEvent(notification: OutboundNotification, index: number, now: Date): LeadEvent {
  const { Id: recordId, ...profile } = notification.fields;
  if (!recordId) throw new MalformedBodyError(`salesforce: notification ${index} sObject has no Id`);
  const created = instant(profile.CreatedDate, index);
  const modified = instant(profile.LastModifiedDate, index);
  const occurredAt = modified ?? instant(profile.SystemModstamp, index) ?? now.toISOString();
  const email = profile.Email?.trim();
  const event: LeadEvent = {
    source: 'salesforce',
    sourceEventId: notification.id,
    type: SALESFORCE_EVENT_TYPES[created !== undefined && created === modified ? 'created' : 'updated'],
    occurredAt,
    who: {
      crm: { system: 'salesforce', objectType: notification.objectType, id: recordId },
      ...(email ? { email } : {}),
    },
    profile,
  };
  const valid = LeadEventSchema.safeParse(event);
  if (!valid.success) {
    throw new MalformedBodyError(`salesforce: notification ${index}: ${firstIssue(valid.error)}`);
  }
  return valid.data;
}

/** A Salesforce dateTime as ISO-8601 UTC; undefined when absent or nil. */
function instant(value: string | null | undefined, index: number): string | undefined {
  if (value === undefined || value === null || value.trim() === '') return undefined;
  // Date's own parser accepts almost anything ("private-42" is a date to V8), so check the xsd shape first.
  const date = XSD_DATE_TIME.test(value.trim()) ? new Date(value.trim()) : new Date(NaN);
  if (Number.isNaN(date.getTime())) {
    throw new MalformedBodyError(`salesforce: notification ${index} has an invalid date`);
  }
  return date.toISOString();
}

const ACCEPTED: WebhookReply = { statusCode: 200, contentType: 'text/xml', body: SALESFORCE_ACK };

export const salesforceSource: SourceAdapter<SalesforceSecrets> = {
  source: 'salesforce',
  route: '/webhooks/salesforce',
  verify: verifySalesforceOutboundMessage,
  parse: parseSalesforceOutboundMessage,
  accepted: ACCEPTED,
};
