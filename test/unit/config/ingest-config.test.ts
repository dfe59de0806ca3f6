import { ConfigError } from '../../../lib/config/env';
import { loadIngestConfig } from '../../../lib/config/ingest-config';

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
