/** The webhook routes as deployed: each installed source with its secrets and its vendor's quirks. */
import { genericApiSource } from '../events/sources/generic-api';
import { hubspotSource } from '../events/sources/hubspot';
import { mailchimpSource } from '../events/sources/mailchimp';
import { checkMailgunTokenReplay, mailgunSource, type TokenReplayGuard } from '../events/sources/mailgun';
import { mandrillSource } from '../events/sources/mandrill';
import { postmarkSource } from '../events/sources/postmark';
import { salesforceSource } from '../events/sources/salesforce';
import { sendgridSource } from '../events/sources/sendgrid';
import { sesSource } from '../events/sources/ses';
import { loadSnsSecrets, type CertificateFetcher } from '../events/sources/sns-certificates';
import { snsSubscriptionToConfirm } from '../events/sources/sns-subscription';
import { VERIFIED } from '../events/webhook';
import type { IngestRoute } from './ingest-webhook';
import type { SourceAdapter } from '../events/source';
import { WebhookSecretsError, type SecretsSection, type WebhookSecrets } from './webhook-secrets';

export interface RouteServices {
  readonly certificates: CertificateFetcher;
  /** GETs an SNS SubscribeURL (already verified to be https on an SNS host). */
  readonly confirmSubscription: (subscribeUrl: string) => Promise<void>;
  readonly mailgunTokens: TokenReplayGuard;
  readonly now: () => Date;
}

/** Each source's adapter by its section in the webhook secrets. */
const ADAPTERS: Readonly<Record<SecretsSection, SourceAdapter<never>>> = {
  hubspot: hubspotSource,
  salesforce: salesforceSource,
  sendgrid: sendgridSource,
  mandrill: mandrillSource,
  mailchimp: mailchimpSource,
  mailgun: mailgunSource,
  postmark: postmarkSource,
  ses: sesSource,
  api: genericApiSource,
};

/**
 * Routes for the sources that have secrets; the others are not installed and answer 404. A `broken`
 * section's route answers 503 (so that the vendor retries while the admin fixes it), with the reason in
 * the error log.
 */
export function createIngestRoutes(
  secrets: WebhookSecrets,
  services: RouteServices,
  broken: ReadonlyMap<SecretsSection, string> = new Map(),
): Map<string, IngestRoute> {
  const routes = new Map<string, IngestRoute>();
  const add = <K extends SecretsSection>(
    name: K,
    route: (secrets: NonNullable<WebhookSecrets[K]>) => Omit<IngestRoute, 'adapter'>,
  ) => {
    const adapter = ADAPTERS[name] as SourceAdapter<unknown>;
    const problem = broken.get(name);
    const section = secrets[name];
    if (problem !== undefined) {
      const refuse = () => {
        throw new WebhookSecretsError(`webhook secrets: ${problem}`);
      };
      routes.set(adapter.route, { adapter, secrets: refuse });
    } else if (section !== undefined) {
      routes.set(adapter.route, { adapter, ...route(section as NonNullable<WebhookSecrets[K]>) });
    }
  };

  add('hubspot', (s) => ({ secrets: () => s }));
  add('salesforce', (s) => ({ secrets: () => s }));
  add('sendgrid', (s) => ({ secrets: () => s }));
  // Mandrill checks a new webhook URL with HEAD, which it does not sign.
  add('mandrill', (s) => ({ secrets: () => s, probes: { HEAD: { verified: false } } }));
  // Mailchimp validates the URL with a GET carrying the same secret token as its POSTs.
  add('mailchimp', (s) => ({ secrets: () => s, probes: { GET: { verified: true } } }));
  add('mailgun', (s) => ({
    secrets: () => s,
    afterVerify: (request) => checkMailgunTokenReplay(request, services.mailgunTokens, services.now()),
  }));
  add('postmark', (s) => ({ secrets: () => s }));
  add('ses', (s) => ({
    secrets: (request) => loadSnsSecrets(request, s.topicArns, services.certificates, services.now()),
    afterVerify: async (request) => {
      const subscription = snsSubscriptionToConfirm(request);
      if (subscription) await services.confirmSubscription(subscription.subscribeUrl);
      return VERIFIED;
    },
  }));
  add('api', (s) => ({ secrets: () => s }));
  return routes;
}
