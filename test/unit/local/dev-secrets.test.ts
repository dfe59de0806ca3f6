// Local SES signing: the dev key and its self-signed certificate, and dev secrets from before SES was local.
import { createPrivateKey, createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isSnsCertificateUrl } from '../../../lib/events/sources/sns-envelope';
import { parseWebhookSecrets } from '../../../lib/ingest/webhook-secrets';
import { createDevSecrets, loadOrCreateDevSecrets } from '../../../local/dev-secrets';
import { selfSignedCertificate } from '../../../local/self-signed-certificate';

describe('selfSignedCertificate', () => {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 1024 });

  it('makes a certificate Node reads back: its key, its names, its dates, signed by itself', () => {
    const pem = selfSignedCertificate({
      privateKey,
      publicKey,
      organization: 'Org & Co',
      commonName: 'Ünïcode name',
      validFrom: new Date('2026-01-02T03:04:05Z'),
      validTo: new Date('2061-06-07T08:09:10Z'),
    });

    const certificate = new X509Certificate(pem);
    expect(certificate.subject).toBe('O=Org & Co\nCN=Ünïcode name');
    expect(certificate.issuer).toBe(certificate.subject);
    // UTCTime before 2050, GeneralizedTime after.
    expect(new Date(certificate.validFrom).toISOString()).toBe('2026-01-02T03:04:05.000Z');
    expect(new Date(certificate.validTo).toISOString()).toBe('2061-06-07T08:09:10.000Z');
    expect(certificate.publicKey.export({ type: 'spki', format: 'pem' })).toBe(
      publicKey.export({ type: 'spki', format: 'pem' }),
    );
    expect(certificate.verify(publicKey)).toBe(true);
  });
});

describe('dev secrets for SES through SNS', () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadscore-dev-secrets-'));
  });

  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('allow one topic, sign with a key whose certificate is valid now, at a URL that passes the SNS checks', () => {
    const secrets = createDevSecrets();

    expect(parseWebhookSecrets(secrets.webhooks).ses).toEqual({ topicArns: [secrets.sns.topicArn] });
    expect(isSnsCertificateUrl(secrets.sns.certificateUrl)).toBe(true);
    const certificate = new X509Certificate(secrets.sns.certificate);
    expect(Date.parse(certificate.validFrom)).toBeLessThan(Date.now());
    expect(Date.parse(certificate.validTo)).toBeGreaterThan(Date.now() + 365 * 86_400_000);
    expect(certificate.checkPrivateKey(createPrivateKey(secrets.sns.privateKey))).toBe(true);
  });

  it('are added to the secrets of an earlier local run, keeping the rest', () => {
    const path = join(dir, 'dev-secrets.json');
    const { sns: _sns, ...earlier } = createDevSecrets();
    const { ses: _ses, ...webhooks } = earlier.webhooks;
    writeFileSync(path, JSON.stringify({ ...earlier, webhooks }));

    const loaded = loadOrCreateDevSecrets(path);

    expect(loaded.webhooks).toEqual({ ...webhooks, ses: { topicArns: [loaded.sns.topicArn] } });
    expect(loaded.sendgridPrivateKey).toBe(earlier.sendgridPrivateKey);
    expect(createPublicKey(loaded.sns.privateKey).export({ type: 'spki', format: 'pem' })).toBe(
      new X509Certificate(loaded.sns.certificate).publicKey.export({ type: 'spki', format: 'pem' }),
    );
    expect(JSON.parse(readFileSync(path, 'utf8'))).toEqual(loaded);
    expect(loadOrCreateDevSecrets(path)).toEqual(loaded);
  });
});
