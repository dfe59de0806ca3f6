/**
 * The real ingest routes (createIngestRoutes over the test webhook secrets) with the network left out:
 * the SNS certificate is served from test/fixtures/ses and subscription confirmations are recorded.
 */
import { createTokenReplayGuard, MAILGUN_TOKEN_TTL_MS } from '../../lib/events/sources/mailgun';
import { createCachingCertificateFetcher } from '../../lib/events/sources/sns-certificates';
import type { IngestRoute } from '../../lib/ingest/ingest-webhook';
import { createIngestRoutes } from '../../lib/ingest/routes';
import { parseWebhookSecrets } from '../../lib/ingest/webhook-secrets';
import { TEST_WEBHOOK_SECRETS } from './signed-requests';
import { TEST_CERT_PEM } from './sns-envelopes';

export interface TestRoutes {
  readonly routes: ReadonlyMap<string, IngestRoute>;
  /** Every URL the certificate fetcher was asked to download. */
  readonly certificateDownloads: string[];
  /** Every SubscribeURL the routes confirmed. */
  readonly confirmedSubscriptions: string[];
}

export interface TestRoutesOptions {
  readonly now: () => Date;
  /** What a certificate download yields; by default the test certificate, whatever the (SNS) URL. */
  readonly downloadCertificate?: (url: string) => Promise<string>;
}

export function createTestRoutes(options: TestRoutesOptions): TestRoutes {
  const certificateDownloads: string[] = [];
  const confirmedSubscriptions: string[] = [];
  const download = options.downloadCertificate ?? (async () => TEST_CERT_PEM);
  const routes = createIngestRoutes(parseWebhookSecrets(TEST_WEBHOOK_SECRETS), {
    // The real cache and URL checks; only the HTTP GET is replaced.
    certificates: createCachingCertificateFetcher(
      (url) => {
        certificateDownloads.push(url);
        return download(url);
      },
      { ttlMs: 60_000, maxEntries: 4 },
    ),
    confirmSubscription: async (url) => {
      confirmedSubscriptions.push(url);
    },
    mailgunTokens: createTokenReplayGuard(10_000, MAILGUN_TOKEN_TTL_MS),
    now: options.now,
  });
  return { routes, certificateDownloads, confirmedSubscriptions };
}
