// The ingest runtime's SNS certificate source: a local run's configured certificate verifies SES with no network.
import { loadIngestConfig } from '../../../lib/config/ingest-config';
import type { LeadEvent } from '../../../lib/events/lead-event';
import { toWebhookRequest } from '../../../lib/http/api-gateway';
import { createIngestRuntime } from '../../../lib/ingest/ingest-runtime';
import { ingestWebhook } from '../../../lib/ingest/ingest-webhook';
import { signedApi, signedSes, TEST_WEBHOOK_SECRETS } from '../../support/signed-requests';
import {
  fixtureRecord,
  TEST_CERT_PEM,
  TEST_CERT_URL,
  TEST_NOW,
  TEST_TOPIC_ARN,
} from '../../support/sns-envelopes';

const QUEUE = 'https://sqs.us-east-1.amazonaws.com/123456789012/leadscore-events';

function localRuntime() {
  const config = loadIngestConfig({
    EVENTS_QUEUE_URL: QUEUE,
    LEADSCORE_WEBHOOK_SECRETS: JSON.stringify({ ses: { topicArns: [TEST_TOPIC_ARN] } }),
    LEADSCORE_LOCAL_SNS_CERTIFICATES: JSON.stringify({ [TEST_CERT_URL]: TEST_CERT_PEM }),
  });
  const queued: LeadEvent[] = [];
  const runtime = createIngestRuntime(config, {
    queue: { enqueue: async (events) => void queued.push(...events) },
    now: () => TEST_NOW,
  });
  const ingest = async (event: ReturnType<typeof signedSes>) =>
    ingestWebhook('/webhooks/ses', toWebhookRequest(event), {
      ...runtime,
      routes: await runtime.routes(),
      record: () => undefined,
    });
  return { ingest, queued };
}

describe('createIngestRuntime with local SNS certificates', () => {
  it('verifies an SES notification with the configured certificate and queues its events', async () => {
    const { ingest, queued } = localRuntime();

    const reply = await ingest(signedSes(fixtureRecord('open-record.json'), { now: TEST_NOW }));

    expect(reply.statusCode).toBe(200);
    expect(queued.map((event) => [event.source, event.type, event.who.email])).toEqual([
      ['ses', 'email.opened', 'recipient@example.com'],
    ]);
  });

  it('still refuses a notification signed with any other key', async () => {
    const { ingest, queued } = localRuntime();

    const reply = await ingest(signedSes(fixtureRecord('open-record.json'), { now: TEST_NOW, forged: true }));

    expect(reply.statusCode).toBe(401);
    expect(queued).toEqual([]);
  });
});

describe('createIngestRuntime with a mistake in the webhook secrets', () => {
  function runtimeWith(secrets: string) {
    const config = loadIngestConfig({ EVENTS_QUEUE_URL: QUEUE, LEADSCORE_WEBHOOK_SECRETS: secrets });
    const queued: LeadEvent[] = [];
    const errors: string[] = [];
    const runtime = createIngestRuntime(config, {
      queue: { enqueue: async (events) => void queued.push(...events) },
      now: () => TEST_NOW,
    });
    const ingest = async (route: string, event: ReturnType<typeof signedApi>) =>
      ingestWebhook(route, toWebhookRequest(event), {
        ...runtime,
        routes: await runtime.routes(),
        record: () => undefined,
        onError: (error, source, stage) => errors.push(`${source} ${stage}: ${(error as Error).message}`),
      });
    return { ingest, queued, errors };
  }

  it('keeps the other sources installed: the broken one answers 503, naming the bad key in the log', async () => {
    const { ingest, queued, errors } = runtimeWith(
      JSON.stringify({ ...TEST_WEBHOOK_SECRETS, mailchimp: { urltoken: 'a-secret-token-value' } }),
    );
    const event = {
      id: 'e1',
      type: 'page.viewed',
      occurredAt: TEST_NOW.toISOString(),
      email: 'a@example.com',
    };

    expect((await ingest('/events', signedApi(JSON.stringify(event), { now: TEST_NOW }))).statusCode).toBe(
      200,
    );
    expect(queued).toHaveLength(1);
    const mailchimp = await ingest('/webhooks/mailchimp', signedApi('type=subscribe', { now: TEST_NOW }));
    expect(mailchimp.statusCode).toBe(503);
    expect(errors).toEqual([
      'mailchimp verifying: webhook secrets: mailchimp.urlToken: expected a string; mailchimp: unknown key "urltoken"',
    ]);
    expect(errors.join()).not.toContain('a-secret-token-value');
  });

  it('refuses the whole document for a section it does not know (a misspelt source), naming it', async () => {
    const runtime = createIngestRuntime(
      loadIngestConfig({
        EVENTS_QUEUE_URL: QUEUE,
        LEADSCORE_WEBHOOK_SECRETS: JSON.stringify({ ...TEST_WEBHOOK_SECRETS, mailchimpp: {} }),
      }),
    );
    await expect(runtime.routes()).rejects.toThrow(
      'webhook secrets are invalid:\n  unknown key "mailchimpp"',
    );
  });

  it('says a document that is not JSON is not JSON, quoting none of it', async () => {
    const runtime = createIngestRuntime(
      loadIngestConfig({
        EVENTS_QUEUE_URL: QUEUE,
        LEADSCORE_WEBHOOK_SECRETS: '{"api": {"keys": [secret-value',
      }),
    );
    await expect(runtime.routes()).rejects.toThrow(/^LEADSCORE_WEBHOOK_SECRETS is not JSON$/);
  });
});
