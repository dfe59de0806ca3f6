import { ConfigError } from '../../../lib/config/env';
import { loadIngestConfig } from '../../../lib/config/ingest-config';
import { TEST_CERT_PEM, TEST_CERT_URL } from '../../support/sns-envelopes';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/leadscore-events';

describe('loadIngestConfig', () => {
  it('reads a deployed configuration with defaults', () => {
    expect(loadIngestConfig({ EVENTS_QUEUE_URL: QUEUE, WEBHOOK_SECRETS_ID: 'leadscore/webhooks' })).toEqual({
      eventsQueueUrl: QUEUE,
      secrets: { secretId: 'leadscore/webhooks' },
      publicBaseUrl: undefined,
      maxBodyBytes: 5 * 1024 * 1024,
      secretsTtlMs: 300_000,
    });
  });

  it('prefers inline secrets and reads numbers', () => {
    const config = loadIngestConfig({
      EVENTS_QUEUE_URL: QUEUE,
      LEADSCORE_WEBHOOK_SECRETS: '{}',
      MAX_BODY_BYTES: '1024',
      SECRETS_TTL_SECONDS: '10',
    });
    expect(config.secrets).toEqual({ inline: '{}' });
    expect(config.maxBodyBytes).toBe(1024);
    expect(config.secretsTtlMs).toBe(10_000);
  });

  it('names every missing or wrong variable at once', () => {
    const load = () => loadIngestConfig({ MAX_BODY_BYTES: '-3' });
    expect(load).toThrow(ConfigError);
    expect(load).toThrow(
      [
        'ingest configuration is invalid:',
        '  EVENTS_QUEUE_URL: required but not set',
        '  MAX_BODY_BYTES: expected a positive whole number',
        '  WEBHOOK_SECRETS_ID: set WEBHOOK_SECRETS_ID (deployed) or LEADSCORE_WEBHOOK_SECRETS (local JSON)',
      ].join('\n'),
    );
  });
});

describe('loadIngestConfig: LEADSCORE_LOCAL_SNS_CERTIFICATES (local runs only)', () => {
  const base = { EVENTS_QUEUE_URL: QUEUE, LEADSCORE_WEBHOOK_SECRETS: '{}' };
  const load = (value: unknown, env: Record<string, string> = {}) =>
    loadIngestConfig({ ...base, ...env, LEADSCORE_LOCAL_SNS_CERTIFICATES: JSON.stringify(value) });

  it('is absent unless set: nothing is trusted by default', () => {
    expect(loadIngestConfig(base).localSnsCertificates).toBeUndefined();
  });

  it('reads certificates by SigningCertURL', () => {
    expect(load({ [TEST_CERT_URL]: TEST_CERT_PEM }).localSnsCertificates).toEqual(
      new Map([[TEST_CERT_URL, TEST_CERT_PEM]]),
    );
  });

  it.each([
    ['an http URL', { [TEST_CERT_URL.replace('https:', 'http:')]: TEST_CERT_PEM }, 'is not an https SNS'],
    [
      'a host that is not SNS',
      { 'https://sns.us-east-1.amazonaws.com.evil.example/c.pem': TEST_CERT_PEM },
      'is not an https SNS',
    ],
    [
      'a value that is not a certificate',
      { [TEST_CERT_URL]: 'not a certificate' },
      'is not a PEM certificate',
    ],
    ['a list', [TEST_CERT_PEM], 'expected a JSON object'],
  ])('refuses %s', (_what, value, problem) => {
    expect(() => load(value)).toThrow(ConfigError);
    expect(() => load(value)).toThrow(`LEADSCORE_LOCAL_SNS_CERTIFICATES: `);
    expect(() => load(value)).toThrow(problem);
  });

  it('refuses text that is not JSON', () => {
    const env = { ...base, LEADSCORE_LOCAL_SNS_CERTIFICATES: '{' };
    expect(() => loadIngestConfig(env)).toThrow('LEADSCORE_LOCAL_SNS_CERTIFICATES: not JSON');
  });

  it('is refused inside AWS Lambda, even when well formed', () => {
    const deployed = { AWS_LAMBDA_FUNCTION_NAME: 'leadscore-ingest' };
    expect(() => load({ [TEST_CERT_URL]: TEST_CERT_PEM }, deployed)).toThrow(
      'LEADSCORE_LOCAL_SNS_CERTIFICATES: for local runs only: refused inside AWS Lambda',
    );
    expect(loadIngestConfig({ ...base, ...deployed }).localSnsCertificates).toBeUndefined();
  });
});
