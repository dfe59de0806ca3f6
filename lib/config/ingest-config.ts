/** The ingest function's configuration, read once from the environment. */
import * as z from 'zod/mini';
import { intOr, positiveIntText, readEnv, type Env } from './env';

const IngestEnvSchema = z
  .object({
    EVENTS_QUEUE_URL: z.url(),
    /** Secrets Manager id of the webhook secrets document (deployed). */
    WEBHOOK_SECRETS_ID: z.optional(z.string().check(z.minLength(1))),
    /** The same document inline, as JSON (local runs and tests). */
    LEADSCORE_WEBHOOK_SECRETS: z.optional(z.string().check(z.minLength(2))),
    /** The public base URL senders call (a custom domain); defaults to https://<Host header>. */
    PUBLIC_BASE_URL: z.optional(z.url()),
    MAX_BODY_BYTES: positiveIntText(),
    SECRETS_TTL_SECONDS: positiveIntText(),
  })
  .check(
    z.refine((env) => env.WEBHOOK_SECRETS_ID !== undefined || env.LEADSCORE_WEBHOOK_SECRETS !== undefined, {
      message: 'set WEBHOOK_SECRETS_ID (deployed) or LEADSCORE_WEBHOOK_SECRETS (local JSON)',
      path: ['WEBHOOK_SECRETS_ID'],
      // Report this alongside other problems instead of only once they are fixed.
      when: () => true,
    }),
  );

export interface IngestConfig {
  readonly eventsQueueUrl: string;
  readonly secrets: { readonly secretId: string } | { readonly inline: string };
  readonly publicBaseUrl?: string;
  readonly maxBodyBytes: number;
  readonly secretsTtlMs: number;
}

export function loadIngestConfig(env: Env): IngestConfig {
  const raw = readEnv(IngestEnvSchema, env, 'ingest');
  return {
    eventsQueueUrl: raw.EVENTS_QUEUE_URL,
    secrets:
      raw.LEADSCORE_WEBHOOK_SECRETS !== undefined
        ? { inline: raw.LEADSCORE_WEBHOOK_SECRETS }
        : { secretId: raw.WEBHOOK_SECRETS_ID ?? '' },
    publicBaseUrl: raw.PUBLIC_BASE_URL,
    maxBodyBytes: intOr(raw.MAX_BODY_BYTES, 5 * 1024 * 1024),
    secretsTtlMs: intOr(raw.SECRETS_TTL_SECONDS, 300) * 1000,
  };
}
