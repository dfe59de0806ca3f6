/** Mailchimp Marketing audience webhooks: a secret token in the URL, one form-encoded event per POST → LeadEvent. */
import type { ParsedBatch, SourceAdapter } from '../source';
import {
  MalformedBodyError,
  VERIFIED,
  rejected,
  safeEqual,
  type Verdict,
  type WebhookRequest,
} from '../webhook';
import {
  buildEmailEvent,
  isoToUtc,
  lookupEvent,
  mapEvents,
  normalizeEmail,
  stableEventId,
  type EmailEventTable,
} from './email-events';
import { parseForm } from './email-form';

export interface MailchimpSecrets {
  /** The `token` query parameter of the webhook URL registered in Mailchimp (Audience → Settings → Webhooks). */
  readonly urlToken: string;
}

/**
 * `type` → vocabulary. A cleaned address whose `data[reason]` is `abuse` (a complaint, not a bounce) is keyed
 * `cleaned:abuse`. `profile` and `upemail` are ignored: merge fields are Mailchimp's names, not CRM fields, and
 * an address change is identity data the vocabulary has no event for. `campaign` is about a send, not a lead.
 */
export const MAILCHIMP_EVENT_TYPES = {
  subscribe: { type: 'email.subscribed' },
  unsubscribe: { type: 'email.unsubscribed' },
  cleaned: { type: 'email.bounced', bounceKind: 'hard' },
  'cleaned:abuse': { type: 'email.spam_reported' },
  profile: null,
  upemail: null,
  campaign: null,
} as const satisfies EmailEventTable;

/**
 * Pure, never throws. Mailchimp signs nothing; the URL carries a secret token, compared in constant time.
 * Mailchimp validates the URL with a GET carrying the same token, so this check also serves that probe.
 */
export function verifyMailchimpWebhook(
  request: WebhookRequest,
  secrets: MailchimpSecrets,
  _now: Date,
): Verdict {
  if (!secrets.urlToken) return rejected('mailchimp: no URL token configured');
  let tokens: string[];
  try {
    tokens = new URL(request.url).searchParams.getAll('token');
  } catch {
    return rejected('mailchimp: request URL is not absolute');
  }
  if (tokens.length !== 1) return rejected('mailchimp: URL needs exactly one token parameter');
  return safeEqual(tokens[0] ?? '', secrets.urlToken) ? VERIFIED : rejected('mailchimp: URL token mismatch');
}

// "2009-03-26 21:35:57": Mailchimp's documented form, read as UTC.
const FIRED_AT = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})$/;

export function parseMailchimpEvents(request: WebhookRequest, _now: Date): ParsedBatch {
  const form = parseForm(request.rawBody, 'mailchimp');
  const type = form.get('type');
  const firedAt = form.get('fired_at');
  if (!type) {
    // A JSON body (a test tool's default) reads as a form without fields.
    const json = /^\s*[[{]/.test(request.rawBody.toString('utf8', 0, 64));
    throw new MalformedBodyError(
      json
        ? 'mailchimp: body is JSON; Mailchimp posts form fields (application/x-www-form-urlencoded)'
        : 'mailchimp: no event type',
    );
  }
  const time = firedAt === undefined ? null : FIRED_AT.exec(firedAt);
  if (!time) throw new MalformedBodyError('mailchimp: fired_at missing or not "YYYY-MM-DD HH:MM:SS"');
  const occurredAt = isoToUtc(`${time[1]}T${time[2]}Z`, 'mailchimp');

  const data = (name: string) => form.get(`data[${name}]`);
  const reason = data('reason');
  const key = type === 'cleaned' && reason === 'abuse' ? 'cleaned:abuse' : type;

  return mapEvents([key], () => {
    const mapping = lookupEvent(MAILCHIMP_EVENT_TYPES, key);
    if (!mapping) return null;
    const email = data('email');
    if (!email) throw new MalformedBodyError('mailchimp: event has no data[email]');
    const campaign = data('campaign_id');
    const listId = data('list_id');
    const action = data('action');
    return buildEmailEvent({
      source: 'mailchimp',
      // Mailchimp sends no event id: these fields identify the event and are identical on a retry.
      sourceEventId: stableEventId([type, firedAt, normalizeEmail(email), listId, reason, campaign, action]),
      mapping,
      occurredAt,
      email,
      fields: { listId, reason, campaign, action },
    });
  });
}

export const mailchimpSource: SourceAdapter<MailchimpSecrets> = {
  source: 'mailchimp',
  route: '/webhooks/mailchimp',
  verify: verifyMailchimpWebhook,
  parse: parseMailchimpEvents,
};
