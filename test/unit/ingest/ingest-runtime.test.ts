// The ingest runtime's SNS certificate source: a local run's configured certificate verifies SES with no network.
import { loadIngestConfig } from '../../../lib/config/ingest-config';
import type { LeadEvent } from '../../../lib/events/lead-event';
import { toWebhookRequest } from '../../../lib/http/api-gateway';
import { createIngestRuntime } from '../../../lib/ingest/ingest-runtime';
import { ingestWebhook } from '../../../lib/ingest/ingest-webhook';
import { signedSes } from '../../support/signed-requests';
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
