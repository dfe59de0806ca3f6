/**
 * Every source's wire format → normalized LeadEvents, with the table mapping its event names onto our
 * vocabulary. Parsers throw MalformedBodyError for a body that is not their format.
 */
export { MalformedBodyError } from './webhook';
export type { ParsedBatch, SourceAdapter, WebhookReply } from './source';
export { parseHubSpotEvents, HUBSPOT_EVENT_TYPES, hubspotSource } from './sources/hubspot';
export {
  parseSalesforceOutboundMessage,
  SALESFORCE_EVENT_TYPES,
  SALESFORCE_ACK,
  salesforceSource,
} from './sources/salesforce';
export { parseSendGridEvents, SENDGRID_EVENT_TYPES, sendgridSource } from './sources/sendgrid';
export { parseMandrillEvents, MANDRILL_EVENT_TYPES, mandrillSource } from './sources/mandrill';
export { parseMailchimpEvents, MAILCHIMP_EVENT_TYPES, mailchimpSource } from './sources/mailchimp';
export { parseMailgunEvents, MAILGUN_EVENT_TYPES, mailgunSource } from './sources/mailgun';
export { parsePostmarkEvents, POSTMARK_EVENT_TYPES, postmarkSource } from './sources/postmark';
export { parseSesEvents, SES_EVENT_TYPES, sesSource } from './sources/ses';
export { parseGenericApiEvents, GENERIC_API_EVENT_TYPES, genericApiSource } from './sources/generic-api';
