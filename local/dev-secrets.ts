/**
 * Webhook secrets for local runs, made fresh on first start and kept in .local/dev-secrets.json (ignored
 * by git) so that `npm run demo` and your own curl can sign requests. Never use them anywhere else.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { WebhookSecrets } from '../lib/ingest/webhook-secrets';

export interface DevSecrets {
  readonly webhooks: Required<Omit<WebhookSecrets, 'ses'>> & Pick<WebhookSecrets, 'ses'>;
  /** SendGrid signs with this private key (PKCS#8 PEM); the webhook secrets hold its public half. */
  readonly sendgridPrivateKey: string;
}

export const DEV_SECRETS_PATH = join(__dirname, '..', '.local', 'dev-secrets.json');
/** Where `npm start` says what it is listening on, for `npm run demo`. */
export const STACK_INFO_PATH = join(__dirname, '..', '.local', 'stack.json');
const token = () => randomBytes(18).toString('base64url');

export function createDevSecrets(): DevSecrets {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    webhooks: {
      hubspot: { clientSecret: token() },
      salesforce: { organizationIds: ['00D000000000001AAA'], urlToken: token() },
      sendgrid: { publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') },
      mandrill: { webhookKey: token() },
      mailchimp: { urlToken: token() },
      mailgun: { signingKey: token() },
      postmark: { username: 'leadscore', password: token() },
      api: { keys: [token()] },
    },
    sendgridPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

/** The secrets of earlier local runs, or new ones written for the next. */
export function loadOrCreateDevSecrets(path = DEV_SECRETS_PATH): DevSecrets {
  if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as DevSecrets;
  const secrets = createDevSecrets();
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
