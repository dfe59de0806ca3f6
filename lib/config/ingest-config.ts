/** The ingest function's configuration, read once from the environment. */
import { X509Certificate } from 'node:crypto';
import * as z from 'zod/mini';
import { isSnsCertificateUrl } from '../events/sources/sns-envelope';
import { intOr, positiveIntText, readEnv, type Env } from './env';

/**
 * LEADSCORE_LOCAL_SNS_CERTIFICATES as a map, or what is wrong with it. Local runs only (`npm start`, e2e tests):
 * the SNS signing certificates to use instead of downloading them, by SigningCertURL. Keys must pass the
 * same URL checks as any certificate download; values must be PEM certificates.
 */
function readLocalSnsCertificates(
  text: string,
): { ok: true; certificates: ReadonlyMap<string, string> } | { ok: false; problem: string } {
  const wrong = (problem: string) => ({ ok: false, problem }) as const;
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch {
    return wrong('not JSON (expected {"<SigningCertURL>": "<PEM certificate>"})');
  }
  if (typeof document !== 'object' || document === null || Array.isArray(document))
    return wrong('expected a JSON object of SigningCertURL → PEM certificate');
  const certificates = new Map<string, string>();
  for (const [url, pem] of Object.entries(document)) {
    if (!isSnsCertificateUrl(url))
      return wrong(`${url} is not an https SNS certificate URL (sns.<region>.amazonaws.com/….pem)`);
    if (typeof pem !== 'string' || !isCertificate(pem))
      return wrong(`the value for ${url} is not a PEM certificate`);
    certificates.set(url, pem);
  }
  return { ok: true, certificates };
}

function isCertificate(pem: string): boolean {
  try {
    if (!pem.includes('-----BEGIN CERTIFICATE-----')) return false;
    new X509Certificate(pem);
    return true;
  } catch {
    return false;
  }
}

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
    /** Local runs only: SNS certificates by SigningCertURL, served instead of downloaded (see above). */
    LEADSCORE_LOCAL_SNS_CERTIFICATES: z.optional(
      z.string().check(
        z.superRefine((text, context) => {
          const read = readLocalSnsCertificates(text);
          if (!read.ok) context.addIssue({ code: 'custom', message: read.problem, input: text });
        }),
      ),
    ),
    /** Set by the Lambda runtime: its presence says we are deployed. */
    AWS_LAMBDA_FUNCTION_NAME: z.optional(z.string()),
  })
  .check(
    z.refine(
      (env) =>
        env.LEADSCORE_LOCAL_SNS_CERTIFICATES === undefined || env.AWS_LAMBDA_FUNCTION_NAME === undefined,
      {
        message: 'for local runs only: refused inside AWS Lambda (AWS_LAMBDA_FUNCTION_NAME is set)',
        path: ['LEADSCORE_LOCAL_SNS_CERTIFICATES'],
        when: () => true,
      },
    ),
  )
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
  /** Local runs only: SNS certificates by SigningCertURL, used instead of downloading those URLs. */
  readonly localSnsCertificates?: ReadonlyMap<string, string>;
}

export function loadIngestConfig(env: Env): IngestConfig {
  const raw = readEnv(IngestEnvSchema, env, 'ingest');
  const local =
    raw.LEADSCORE_LOCAL_SNS_CERTIFICATES === undefined
      ? undefined
      : readLocalSnsCertificates(raw.LEADSCORE_LOCAL_SNS_CERTIFICATES);
  return {
    eventsQueueUrl: raw.EVENTS_QUEUE_URL,
    secrets:
      raw.LEADSCORE_WEBHOOK_SECRETS !== undefined
        ? { inline: raw.LEADSCORE_WEBHOOK_SECRETS }
        : { secretId: raw.WEBHOOK_SECRETS_ID ?? '' },
    publicBaseUrl: raw.PUBLIC_BASE_URL,
    maxBodyBytes: intOr(raw.MAX_BODY_BYTES, 5 * 1024 * 1024),
    secretsTtlMs: intOr(raw.SECRETS_TTL_SECONDS, 300) * 1000,
    ...(local?.ok ? { localSnsCertificates: local.certificates } : {}),
  };
}
