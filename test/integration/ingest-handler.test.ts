import { LeadEventSchema } from '../../lib/events/lead-event';
import { parseGenericApiEvents, signGenericApiRequest } from '../../lib/events/sources/generic-api';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { apiGatewayEvent } from '../support/api-gateway';
import { lambdaContext } from '../support/lambda-context';
import { FAKE_AWS, startSqsEmulator, type SqsEmulator } from '../support/sqs-emulator';

const API_KEY = 'test-api-key-0123456789';

describe('ingest handler on the SQS emulator', () => {
  let sqs: SqsEmulator;
  let queueUrl: string;
  let handler: typeof import('../../functions/ingest').handler;
  const invoke = (event: APIGatewayProxyEventV2) => handler(event, lambdaContext('ingest'));

  beforeAll(async () => {
    sqs = await startSqsEmulator();
    queueUrl = await sqs.createQueue('ingest-events');
    Object.assign(process.env, {
      AWS_REGION: FAKE_AWS.region,
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      EVENTS_QUEUE_URL: queueUrl,
      LEADSCORE_WEBHOOK_SECRETS: JSON.stringify({ api: { keys: [API_KEY] } }),
    });
    ({ handler } = await import('../../functions/ingest'));
  });

  afterAll(() => sqs.stop());

  it('queues exactly the normalized events of a signed /events request', async () => {
    const body = JSON.stringify({
      events: [
        {
          id: 'web-1',
          type: 'page.viewed',
          occurredAt: '2026-11-23T10:00:00Z',
          email: 'ana@example.com',
          fields: { url: '/pricing' },
        },
        {
          id: 'web-2',
          type: 'form.submitted',
          occurredAt: '2026-11-23T10:01:00Z',
          email: 'ana@example.com',
          fields: { formId: 'demo-request' },
        },
      ],
    });
    const headers = signGenericApiRequest(body, API_KEY, Date.now() / 1000);

    const result = await invoke(apiGatewayEvent({ path: '/events', headers, body }));

    expect(result.statusCode).toBe(200);
    const queued = (await sqs.drain(queueUrl)).map((message) =>
      LeadEventSchema.parse(JSON.parse(message.Body ?? '')),
    );
    const expected = parseGenericApiEvents(
      { method: 'POST', url: 'https://hooks.example.com/events', headers, rawBody: Buffer.from(body) },
      new Date(),
    ).events;
    expect(queued.sort((a, b) => a.sourceEventId.localeCompare(b.sourceEventId))).toEqual(expected);
  });

  it('answers 401 to a forged request and 404 to a source that is not installed, queueing nothing', async () => {
    const body = JSON.stringify({ events: [] });
    const forged = signGenericApiRequest(body, 'not-the-key-0123456789', Date.now() / 1000);
    expect((await invoke(apiGatewayEvent({ path: '/events', headers: forged, body }))).statusCode).toBe(401);
    expect((await invoke(apiGatewayEvent({ path: '/webhooks/hubspot', body: '[]' }))).statusCode).toBe(404);
    expect(await sqs.drain(queueUrl)).toEqual([]);
  });
});
