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
  const add = <S, R>(section: S | undefined, route: (secrets: S) => IngestRoute<R>) => {
    if (section === undefined) return;
    const entry = route(section);
    routes.set(entry.adapter.route, entry as IngestRoute);
  };
  for (const [name, problem] of broken) {
    const adapter = ADAPTERS[name];
    routes.set(adapter.route, {
      adapter,
      secrets: () => {
        throw new WebhookSecretsError(`webhook secrets: ${problem}`);
      },
    } as IngestRoute);
  }

  add(secrets.hubspot, (s) => ({ adapter: hubspotSource, secrets: () => s }));
  add(secrets.salesforce, (s) => ({ adapter: salesforceSource, secrets: () => s }));
  add(secrets.sendgrid, (s) => ({ adapter: sendgridSource, secrets: () => s }));
  // Mandrill checks a new webhook URL with HEAD, which it does not sign.
  add(secrets.mandrill, (s) => ({
    adapter: mandrillSource,
    secrets: () => s,
    probes: { HEAD: { verified: false } },
  }));
  // Mailchimp validates the URL with a GET carrying the same secret token as its POSTs.
  add(secrets.mailchimp, (s) => ({
    adapter: mailchimpSource,
    secrets: () => s,
    probes: { GET: { verified: true } },
  }));
  add(secrets.mailgun, (s) => ({
    adapter: mailgunSource,
    secrets: () => s,
    afterVerify: (request) => checkMailgunTokenReplay(request, services.mailgunTokens, services.now()),
  }));
  add(secrets.postmark, (s) => ({ adapter: postmarkSource, secrets: () => s }));
  add(secrets.ses, (s) => ({
    adapter: sesSource,
    secrets: (request) => loadSnsSecrets(request, s.topicArns, services.certificates, services.now()),
    afterVerify: async (request) => {
      const subscription = snsSubscriptionToConfirm(request);
      if (subscription) await services.confirmSubscription(subscription.subscribeUrl);
      return VERIFIED;
    },
  }));
  add(secrets.api, (s) => ({ adapter: genericApiSource, secrets: () => s }));
  return routes;
}
