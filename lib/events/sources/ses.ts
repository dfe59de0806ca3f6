/** Amazon SES events delivered by SNS: the SNS-verified envelope, its SES record → one LeadEvent per recipient. */
import * as z from 'zod/mini';
import type { LeadEvent } from '../lead-event';
import type { ParsedBatch, SourceAdapter } from '../source';
import { MalformedBodyError, type WebhookRequest } from '../webhook';
import {
  buildEmailEvent,
  isoToUtc,
  lenient,
  lookupEvent,
  nonEmptyString,
  parseWire,
  type EmailEventMapping,
  type EmailEventTable,
} from './email-events';
import { parseJsonOrUndefined, parseSnsEnvelope, type SnsEnvelope } from './sns-envelope';
import { verifySnsMessage, type SnsSecrets } from './sns-signature';

/** SES needs what SNS verification needs: the subscribed topics and the fetched signing certificates. */
export type SesSecrets = SnsSecrets;

/**
 * SES `eventType` (event publishing) or `notificationType` (identity feedback notifications) → vocabulary;
 * a Bounce is keyed by its `bounceType`. A Transient bounce is scored as a soft bounce rather than ignored:
 * SES publishes one only after it has given up retrying, so the mail really did not arrive. Undetermined
 * counts as soft too (not proven permanent). Subscription yields events only for opt-outs.
 */
export const SES_EVENT_TYPES = {
  Delivery: { type: 'email.delivered' },
  Open: { type: 'email.opened' },
  Click: { type: 'email.clicked' },
  'Bounce:Permanent': { type: 'email.bounced', bounceKind: 'hard' },
  'Bounce:Transient': { type: 'email.bounced', bounceKind: 'soft' },
  'Bounce:Undetermined': { type: 'email.bounced', bounceKind: 'soft' },
  Complaint: { type: 'email.spam_reported' },
  Subscription: { type: 'email.unsubscribed' },
  Send: null,
  Reject: null,
  'Rendering Failure': null,
  DeliveryDelay: null,
  // Sent once when feedback notifications are pointed at a topic.
  AmazonSnsSubscriptionSucceeded: null,
} as const satisfies EmailEventTable;

const HeadSchema = z.lazy(() =>
  z.object({ eventType: lenient(z.string()), notificationType: lenient(z.string()) }),
);
const RecipientsSchema = z.lazy(() => z.array(z.object({ emailAddress: z.string() })));
const MailSchema = z.lazy(() =>
  z.object({
    messageId: nonEmptyString(),
    timestamp: lenient(z.string()),
    destination: lenient(z.array(z.string())),
    tags: lenient(z.record(z.string(), z.array(z.string()))),
  }),
);
const TopicPreferencesSchema = z.lazy(() =>
  z.object({
    unsubscribeAll: lenient(z.boolean()),
    topicSubscriptionStatus: lenient(
      z.array(z.object({ topicName: z.string(), subscriptionStatus: z.string() })),
    ),
  }),
);
type TopicPreferences = z.infer<typeof TopicPreferencesSchema>;

const DETAIL_SCHEMAS = {
  Bounce: z.object({
    bounce: z.object({
      bounceType: z.string(),
      bounceSubType: lenient(z.string()),
      bouncedRecipients: RecipientsSchema,
      timestamp: lenient(z.string()),
    }),
  }),
  Complaint: z.object({
    complaint: z.object({
      complainedRecipients: RecipientsSchema,
      complaintFeedbackType: lenient(z.string()),
      complaintSubType: lenient(z.string()),
      timestamp: lenient(z.string()),
    }),
  }),
  Delivery: z.object({
    delivery: z.object({ recipients: z.array(z.string()), timestamp: lenient(z.string()) }),
  }),
  Open: z.object({ open: z.object({ timestamp: lenient(z.string()), userAgent: lenient(z.string()) }) }),
  Click: z.object({
    click: z.object({ link: z.string(), timestamp: lenient(z.string()), userAgent: lenient(z.string()) }),
  }),
  Subscription: z.object({
    subscription: z.object({
      contactList: lenient(z.string()),
      timestamp: lenient(z.string()),
      newTopicPreferences: lenient(TopicPreferencesSchema),
      oldTopicPreferences: lenient(TopicPreferencesSchema),
    }),
  }),
};

type Fields = Record<string, string | boolean | undefined>;
type Mail = z.infer<typeof MailSchema>;

/** Who an SES record is about, when it happened and what rules may filter on. */
interface Affected {
  readonly mapping: EmailEventMapping;
  readonly mail: Mail;
  readonly recipients: readonly string[];
  readonly at: string | undefined;
  readonly fields: Fields;
}

export function parseSesEvents(request: WebhookRequest, _now: Date): ParsedBatch {
  const envelope = parseSnsEnvelope(request.rawBody);
  if (envelope === undefined) throw new MalformedBodyError('ses: body is not an SNS message');
  // Confirmations carry no SES record: the handler confirms the subscription, nothing is queued.
  if (envelope.Type === 'SubscriptionConfirmation' || envelope.Type === 'UnsubscribeConfirmation') {
    return { events: [], ignored: 0 };
  }
  if (envelope.Type !== 'Notification') throw new MalformedBodyError('ses: unknown SNS message type');
  return notificationEvents(envelope);
}

/**
 * SES notifications that SNS delivered to the events queue itself (an SQS subscription, raw delivery off):
 * the message body is the SNS envelope, and the events are those the webhook would have queued for it
 * (same ids: SNS's MessageId). No signature to check: the queue's policy admits only the subscribed
 * topics (and our ingest function), so IAM vouches for the sender. Undefined when the body is no SNS
 * notification; MalformedBodyError for a broken SES record.
 */
export function parseQueuedSesNotification(body: string): LeadEvent[] | undefined {
  const envelope = parseSnsEnvelope(Buffer.from(body, 'utf8'));
  return envelope?.Type === 'Notification' ? notificationEvents(envelope).events : undefined;
}

/** The events of an SNS Notification's SES record, one per recipient. */
function notificationEvents(envelope: SnsEnvelope): ParsedBatch {
  const affected = affectedBy(parseJsonOrUndefined(Buffer.from(envelope.Message, 'utf8')));
  if (affected === undefined) return { events: [], ignored: 1 };
  const { mapping, mail, recipients, fields } = affected;
  const occurredAt = isoToUtc(affected.at ?? mail.timestamp ?? envelope.Timestamp, 'ses');
  const events = recipients.map((email, index): LeadEvent =>
    buildEmailEvent({
      source: 'ses',
      // SNS keeps the MessageId across its retries, so the id is stable for the same delivery.
      sourceEventId: `${envelope.MessageId}:${index}`,
      mapping,
      occurredAt,
      email,
      fields: { ...fields, messageId: mail.messageId, campaign: mail.tags?.campaign?.[0] },
    }),
  );
  return events.length > 0 ? { events, ignored: 0 } : { events, ignored: 1 };
}

/** Undefined for a record we recognise or not but do not score; MalformedBodyError for a broken one. */
function affectedBy(record: unknown): Affected | undefined {
  const head = parseWire(HeadSchema, record, 'ses: SNS Message is not an SES event record');
  const kind = head.eventType ?? head.notificationType;
  if (kind === undefined) throw new MalformedBodyError('ses: record has no eventType or notificationType');
  const bounce =
    kind === 'Bounce'
      ? parseWire(DETAIL_SCHEMAS.Bounce, record, 'ses: malformed bounce record').bounce
      : undefined;
  const mapping = lookupEvent(SES_EVENT_TYPES, bounce ? `Bounce:${bounce.bounceType}` : kind);
  if (!mapping) return undefined;
  const mail = parseWire(MailSchema, (record as { mail?: unknown }).mail, 'ses: record lacks mail.messageId');
  const destination = () => {
    if (mail.destination === undefined) throw new MalformedBodyError('ses: record lacks mail.destination');
    return mail.destination;
  };
  const found = (recipients: readonly string[], at: string | undefined, fields: Fields = {}): Affected => ({
    mapping,
    mail,
    recipients,
    at,
    fields,
  });
  if (bounce) {
    const recipients = bounce.bouncedRecipients.map((recipient) => recipient.emailAddress);
    return found(recipients, bounce.timestamp, { reason: bounce.bounceSubType });
  }
  switch (kind) {
    case 'Complaint': {
      const { complaint } = parseWire(DETAIL_SCHEMAS.Complaint, record, 'ses: malformed complaint record');
      // Not a new complaint: SES refused to send to an address already on the account suppression list.
      if (complaint.complaintSubType === 'OnAccountSuppressionList') return undefined;
      const recipients = complaint.complainedRecipients.map((recipient) => recipient.emailAddress);
      return found(recipients, complaint.timestamp, { reason: complaint.complaintFeedbackType });
    }
    case 'Delivery': {
      const { delivery } = parseWire(DETAIL_SCHEMAS.Delivery, record, 'ses: malformed delivery record');
      return found(delivery.recipients, delivery.timestamp);
    }
    case 'Open': {
      const { open } = parseWire(DETAIL_SCHEMAS.Open, record, 'ses: malformed open record');
      return found(destination(), open.timestamp, { userAgent: open.userAgent });
    }
    case 'Click': {
      const { click } = parseWire(DETAIL_SCHEMAS.Click, record, 'ses: malformed click record');
      return found(destination(), click.timestamp, { url: click.link, userAgent: click.userAgent });
    }
    case 'Subscription': {
      const { subscription } = parseWire(
        DETAIL_SCHEMAS.Subscription,
        record,
        'ses: malformed subscription record',
      );
      const optOut = optedOut(subscription.newTopicPreferences, subscription.oldTopicPreferences);
      if (optOut === undefined) return undefined;
      return found(destination(), subscription.timestamp, {
        contactList: subscription.contactList,
        ...optOut,
      });
    }
    default:
      return undefined;
  }
}

/** What a preference change opted out of (all topics, or topics newly OptOut); undefined for no opt-out. */
function optedOut(
  now: TopicPreferences | undefined,
  before: TopicPreferences | undefined,
): Fields | undefined {
  const unsubscribeAll = now?.unsubscribeAll === true && before?.unsubscribeAll !== true;
  const wasOut = new Set(
    (before?.topicSubscriptionStatus ?? [])
      .filter((topic) => topic.subscriptionStatus === 'OptOut')
      .map((topic) => topic.topicName),
  );
  const newlyOut = (now?.topicSubscriptionStatus ?? [])
    .filter((topic) => topic.subscriptionStatus === 'OptOut' && !wasOut.has(topic.topicName))
    .map((topic) => topic.topicName);
  if (!unsubscribeAll && newlyOut.length === 0) return undefined;
  return { unsubscribeAll, topics: newlyOut.length > 0 ? newlyOut.join(',') : undefined };
}

export const sesSource: SourceAdapter<SesSecrets> = {
  source: 'ses',
  route: '/webhooks/ses',
  verify: verifySnsMessage,
  parse: parseSesEvents,
};
