/**
 * Every source's authenticity check in one place, for reuse outside the ingest function: each is pure,
 * (request, secrets, now) → Verdict, constant-time, and never throws.
 */
export type { Verdict, WebhookRequest } from './webhook';
export { verifyHubSpotSignature, type HubSpotSecrets } from './sources/hubspot';
export { verifySalesforceOutboundMessage, type SalesforceSecrets } from './sources/salesforce';
export { verifySendGridSignature, type SendGridSecrets } from './sources/sendgrid';
export { verifyMandrillSignature, type MandrillSecrets } from './sources/mandrill';
export { verifyMailchimpWebhook, type MailchimpSecrets } from './sources/mailchimp';
// The replay guard is the stateful half of Mailgun's check: a signed token must not be accepted twice.
export {
  verifyMailgunSignature,
  checkMailgunTokenReplay,
  createTokenReplayGuard,
  type MailgunSecrets,
  type TokenReplayGuard,
} from './sources/mailgun';
export { verifyPostmarkAuth, type PostmarkSecrets } from './sources/postmark';
// verifySnsMessage takes certificates fetched beforehand; loadSnsSecrets fetches only what a request needs.
export { verifySnsMessage, type SnsSecrets } from './sources/sns-signature';
export {
  loadSnsSecrets,
  createCachingCertificateFetcher,
  type CertificateFetcher,
} from './sources/sns-certificates';
export { snsSubscriptionToConfirm } from './sources/sns-subscription';
export {
  verifyGenericApiSignature,
  signGenericApiRequest,
  type GenericApiSecrets,
} from './sources/generic-api';
