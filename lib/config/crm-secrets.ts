/** CRM credentials: where they come from (Secrets Manager or inline JSON), their schema, and endpoint overrides. */
import * as z from 'zod/mini';
import { ConfigError, intOr, positiveIntText, readEnv, type Env } from './env';

const text = () => z.string().check(z.minLength(1, 'must not be empty'));

export const HubSpotSecretsSchema = z.strictObject({
  /** A private app token (or an OAuth access token) with crm.objects.contacts.read/write and crm.schemas.contacts.write. */
  accessToken: text(),
});

export const SalesforceSecretsSchema = z.strictObject({
  /** https://login.salesforce.com, https://test.salesforce.com or the org's My Domain URL. */
  loginUrl: z.url(),
  /** The connected app's consumer key. */
  clientId: text(),
  /** Client credentials flow (the app's run-as user). */
  clientSecret: z.optional(text()),
  /** JWT bearer flow: the user to act as, and the key whose certificate the connected app holds. */
  username: z.optional(text()),
  privateKey: z.optional(
    z.string().check(z.regex(/-----BEGIN [A-Z ]*PRIVATE KEY-----/, 'expected a PEM key')),
  ),
  /** JWT `aud`; defaults to login.salesforce.com, or test.salesforce.com for sandboxes. */
  audience: z.optional(z.url()),
});

export const CrmSecretsSchema = z.object({
  hubspot: z.optional(HubSpotSecretsSchema),
  salesforce: z.optional(SalesforceSecretsSchema),
});

export type HubSpotSecrets = z.infer<typeof HubSpotSecretsSchema>;
export type SalesforceSecrets = z.infer<typeof SalesforceSecretsSchema>;

/** How the Salesforce adapter gets a token: one of the two server-to-server flows. */
export type SalesforceGrant =
  | { readonly kind: 'client_credentials'; readonly clientId: string; readonly clientSecret: string }
  | {
      readonly kind: 'jwt_bearer';
      readonly clientId: string;
      readonly username: string;
      readonly privateKey: string;
      readonly audience: string;
    };

export interface SalesforceCredentials {
  readonly loginUrl: string;
  readonly grant: SalesforceGrant;
}

export class CrmSecretsError extends Error {
  override readonly name = 'CrmSecretsError';
}

/** The HubSpot section of the CRM secrets, or an error naming what is missing (never a secret's value). */
export function hubSpotSecrets(document: unknown): HubSpotSecrets {
  const hubspot = parseSection(document, 'hubspot');
  return HubSpotSecretsSchema.parse(hubspot);
}

/** The Salesforce section as a grant: client credentials when a secret is given, else JWT bearer. */
export function salesforceCredentials(document: unknown): SalesforceCredentials {
  const salesforce = SalesforceSecretsSchema.parse(parseSection(document, 'salesforce'));
  const { loginUrl, clientId, clientSecret, username, privateKey } = salesforce;
  if (clientSecret !== undefined) {
    return { loginUrl, grant: { kind: 'client_credentials', clientId, clientSecret } };
  }
  if (username !== undefined && privateKey !== undefined) {
    const audience = salesforce.audience ?? jwtAudience(loginUrl);
    return { loginUrl, grant: { kind: 'jwt_bearer', clientId, username, privateKey, audience } };
  }
  throw new CrmSecretsError(
    'CRM secrets: salesforce needs clientSecret (client credentials) or username and privateKey (JWT bearer)',
  );
}

/** Salesforce wants the login host as `aud`, never a My Domain URL. */
export function jwtAudience(loginUrl: string): string {
  const host = new URL(loginUrl).hostname;
  if (host === 'test.salesforce.com' || host.endsWith('.sandbox.my.salesforce.com')) {
    return 'https://test.salesforce.com';
  }
  if (host.endsWith('.salesforce.com')) return 'https://login.salesforce.com';
  // Anything else (a local sandbox) is its own audience.
  return loginUrl.replace(/\/+$/, '');
}

function parseSection(document: unknown, section: 'hubspot' | 'salesforce'): unknown {
  const result = CrmSecretsSchema.safeParse(document);
  if (!result.success) {
    const problems = result.error.issues.map(
      (issue) => `${issue.path.join('.') || '(root)'}: ${issue.message}`,
    );
    throw new CrmSecretsError(`CRM secrets are invalid:\n  ${problems.join('\n  ')}`);
  }
  const value = result.data[section];
  if (value === undefined) {
    throw new CrmSecretsError(
      `CRM secrets have no "${section}" section (expected e.g. ${EXAMPLES[section]})`,
    );
  }
  return value;
}

const EXAMPLES = {
  hubspot: '{"hubspot":{"accessToken":"pat-..."}}',
  salesforce:
    '{"salesforce":{"loginUrl":"https://login.salesforce.com","clientId":"...","clientSecret":"..."}}',
} as const;

const CrmConnectionEnvSchema = z.object({
  /** Secrets Manager id of the CRM secrets document (deployed). */
  CRM_SECRET_ID: z.optional(text()),
  /** The same document inline, as JSON (local runs and tests). */
  LEADSCORE_CRM_SECRETS: z.optional(z.string().check(z.minLength(2))),
  /** Endpoint overrides, for sandboxes. */
  HUBSPOT_BASE_URL: z.optional(z.url()),
  SALESFORCE_LOGIN_URL: z.optional(z.url()),
  SECRETS_TTL_SECONDS: positiveIntText(),
});

export interface CrmConnectionConfig {
  readonly secrets: { readonly secretId: string } | { readonly inline: string };
  readonly hubspotBaseUrl?: string;
  readonly salesforceLoginUrl?: string;
  readonly secretsTtlMs: number;
}

/** The CRM connection settings, or undefined when no secrets are configured (and `required` is false). */
export function loadCrmConnectionConfig(env: Env, required: true): CrmConnectionConfig;
export function loadCrmConnectionConfig(env: Env, required: boolean): CrmConnectionConfig | undefined;
export function loadCrmConnectionConfig(env: Env, required: boolean): CrmConnectionConfig | undefined {
  const raw = readEnv(CrmConnectionEnvSchema, env, 'CRM connection');
  if (raw.LEADSCORE_CRM_SECRETS === undefined && raw.CRM_SECRET_ID === undefined) {
    if (!required) return undefined;
    throw new ConfigError(
      'CRM connection configuration is invalid:\n  CRM_SECRET_ID: set CRM_SECRET_ID (deployed) or LEADSCORE_CRM_SECRETS (local JSON)',
    );
  }
  return {
    secrets:
      raw.LEADSCORE_CRM_SECRETS !== undefined
        ? { inline: raw.LEADSCORE_CRM_SECRETS }
        : { secretId: raw.CRM_SECRET_ID ?? '' },
    hubspotBaseUrl: raw.HUBSPOT_BASE_URL,
    salesforceLoginUrl: raw.SALESFORCE_LOGIN_URL,
    secretsTtlMs: intOr(raw.SECRETS_TTL_SECONDS, 300) * 1000,
  };
}

/** Parses the inline document, saying where it is wrong without echoing it. */
export function parseInlineSecrets(inline: string): unknown {
  try {
    return JSON.parse(inline) as unknown;
  } catch {
    throw new CrmSecretsError('LEADSCORE_CRM_SECRETS is not JSON');
  }
}
