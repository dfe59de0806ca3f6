/**
 * Webhook secrets for local runs, made fresh on first start and kept in .local/dev-secrets.json (ignored
 * by git) so that `npm run demo` and your own curl can sign requests. Never use them anywhere else.
 */
import { generateKeyPairSync, randomBytes, X509Certificate } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { WebhookSecrets } from '../lib/ingest/webhook-secrets';
import { selfSignedCertificate } from './self-signed-certificate';

/**
 * Amazon SES through SNS, locally: a dev signing key and its self-signed certificate, which the local stack
 * (and nothing else) serves for `certificateUrl` to its ingest function, since the real SNS certificates
 * are downloaded from amazonaws.com.
 */
export interface DevSnsSigning {
  readonly topicArn: string;
  /** An https SNS-host URL, as the ingest's URL checks require; only the local stack answers it, with `certificate`. */
  readonly certificateUrl: string;
  readonly certificate: string;
  /** PKCS#8 PEM. */
  readonly privateKey: string;
}

export interface DevSecrets {
  readonly webhooks: Required<WebhookSecrets>;
  /** SendGrid signs with this private key (PKCS#8 PEM); the webhook secrets hold its public half. */
  readonly sendgridPrivateKey: string;
  readonly sns: DevSnsSigning;
}

export const DEV_SECRETS_PATH = join(__dirname, '..', '.local', 'dev-secrets.json');
/** Where `npm start` says what it is listening on, for `npm run demo`. */
export const STACK_INFO_PATH = join(__dirname, '..', '.local', 'stack.json');
const DEV_SES_TOPIC_ARN = 'arn:aws:sns:us-east-1:000000000000:leadscore-local-ses-events';
const DEV_SNS_CERTIFICATE_URL =
  'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-leadscore-local-dev-only.pem';
const DAY_MS = 86_400_000;
const token = () => randomBytes(18).toString('base64url');

function createDevSnsSigning(now = Date.now()): DevSnsSigning {
  const { publicKey, privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const certificate = selfSignedCertificate({
    privateKey,
    publicKey,
    organization: 'leadscore local stack',
    commonName: 'DEV ONLY sns signing certificate',
    validFrom: new Date(now - DAY_MS),
    validTo: new Date(now + 10 * 365 * DAY_MS),
  });
  return {
    topicArn: DEV_SES_TOPIC_ARN,
    certificateUrl: DEV_SNS_CERTIFICATE_URL,
    certificate,
    privateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
  };
}

export function createDevSecrets(): DevSecrets {
  const { publicKey, privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const sns = createDevSnsSigning();
  return {
    webhooks: {
      hubspot: { clientSecret: token() },
      salesforce: { organizationIds: ['00D000000000001AAA'], urlToken: token() },
      sendgrid: { publicKey: publicKey.export({ type: 'spki', format: 'der' }).toString('base64') },
      mandrill: { webhookKey: token() },
      mailchimp: { urlToken: token() },
      mailgun: { signingKey: token() },
      postmark: { username: 'leadscore', password: token() },
      ses: { topicArns: [sns.topicArn] },
      api: { keys: [token()] },
    },
    sendgridPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    sns,
  };
}

/** The secrets of earlier local runs (given SES signing if they predate it or its certificate ran out), or new ones. */
export function loadOrCreateDevSecrets(path = DEV_SECRETS_PATH): DevSecrets {
  if (existsSync(path)) {
    const stored = JSON.parse(readFileSync(path, 'utf8')) as Partial<DevSecrets> &
      Pick<DevSecrets, 'webhooks'>;
    if (stored.sns && stored.webhooks.ses && usable(stored.sns.certificate)) return stored as DevSecrets;
    const sns = createDevSnsSigning();
    return save(path, {
      ...stored,
      webhooks: { ...stored.webhooks, ses: { topicArns: [sns.topicArn] } },
      sns,
    } as DevSecrets);
  }
  return save(path, createDevSecrets());
}

/** Valid for at least another day. */
function usable(certificatePem: string): boolean {
  try {
    return Date.parse(new X509Certificate(certificatePem).validTo) > Date.now() + DAY_MS;
  } catch {
    return false;
  }
}

function save(path: string, secrets: DevSecrets): DevSecrets {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
