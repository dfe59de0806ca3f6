/** Builds the ingest dependencies from configuration: SQS queue, secrets (cached), routes, SNS services. */
// No AWS SDK in this function: its load time is the webhooks' cold start (see adapters/aws-lite.ts).
import { jsonSecretReader, liteGetSecretString } from '../adapters/secrets-manager';
import { SqsEventQueue } from '../adapters/sqs-event-queue';
import { liteSendBatch } from '../adapters/sqs-lite';
import { cachedFor } from '../config/cached';
import type { IngestConfig } from '../config/ingest-config';
import { createTokenReplayGuard, MAILGUN_TOKEN_TTL_MS } from '../events/sources/mailgun';
import { createCachingCertificateFetcher } from '../events/sources/sns-certificates';
import type { EventQueue } from './event-queue';
import type { IngestDeps, IngestRoute } from './ingest-webhook';
import { createIngestRoutes } from './routes';
import { readWebhookSecrets, WebhookSecretsError } from './webhook-secrets';

const ONE_DAY_MS = 24 * 60 * 60 * 1000;

/** Fetches over https only, following no redirect, bounded in time (SNS certificates, SubscribeURLs). */
async function httpsGet(url: string): Promise<string> {
  const response = await fetch(url, { redirect: 'error', signal: AbortSignal.timeout(5000) });
  if (!response.ok) throw new Error(`GET ${new URL(url).host} answered ${response.status}`);
  return response.text();
}

/**
 * Where SNS certificates come from: https, unless a local run (`npm start`, e2e tests) configured its own dev
 * certificate for a URL. The caching fetcher's URL checks apply either way, before this is asked.
 */
function certificateSource(local: ReadonlyMap<string, string> | undefined): (url: string) => Promise<string> {
  if (local === undefined) return httpsGet;
  return async (url) => local.get(url) ?? httpsGet(url);
}

/** The secrets document from an env var (local runs): JSON, or an error that quotes none of it. */
function inlineSecrets(text: string): () => Promise<unknown> {
  return async () => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      throw new WebhookSecretsError('LEADSCORE_WEBHOOK_SECRETS is not JSON');
    }
  };
}

/** What the handler needs per request, but for metrics and logs; routes reload when the secrets' TTL ends. */
export interface IngestRuntime extends Omit<IngestDeps, 'record' | 'onError' | 'routes'> {
  readonly routes: () => Promise<ReadonlyMap<string, IngestRoute>>;
}

export function createIngestRuntime(
  config: IngestConfig,
  overrides: { queue?: EventQueue; now?: () => Date } = {},
): IngestRuntime {
  const now = overrides.now ?? (() => new Date());
  const readSecrets =
    'inline' in config.secrets
      ? inlineSecrets(config.secrets.inline)
      : jsonSecretReader(liteGetSecretString(), config.secrets.secretId);
  const services = {
    certificates: createCachingCertificateFetcher(certificateSource(config.localSnsCertificates), {
      ttlMs: ONE_DAY_MS,
      maxEntries: 16,
    }),
    confirmSubscription: async (url: string) => void (await httpsGet(url)),
    mailgunTokens: createTokenReplayGuard(10_000, MAILGUN_TOKEN_TTL_MS),
    now,
  };
  const routes = cachedFor(async () => {
    const { secrets, broken } = readWebhookSecrets(await readSecrets());
    return createIngestRoutes(secrets, services, broken);
  }, config.secretsTtlMs);
  return {
    routes,
    queue: overrides.queue ?? new SqsEventQueue(liteSendBatch(), config.eventsQueueUrl),
    now,
    maxBodyBytes: config.maxBodyBytes,
  };
}
