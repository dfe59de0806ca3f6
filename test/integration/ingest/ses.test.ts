// SES events via SNS onto the SQS emulator. Not through the handler: its certificate fetcher downloads from
// https://sns.<region>.amazonaws.com, and no network is allowed (only a local run's own dev certificate is
// served instead: test/unit/ingest/ingest-runtime.test.ts, test/e2e). So this drives ingestWebhook with the routes
// createIngestRoutes builds (the real caching fetcher, its download replaced by the test certificate) and the
// real SqsEventQueue on the emulator.
import { SqsEventQueue } from '../../../lib/adapters/sqs-event-queue';
import { liteSendBatch } from '../../../lib/adapters/sqs-lite';
import { parseSesEvents } from '../../../lib/events/sources/ses';
import { toWebhookRequest } from '../../../lib/http/api-gateway';
import { DEFAULT_MAX_BODY_BYTES, ingestWebhook, type IngestDeps } from '../../../lib/ingest/ingest-webhook';
import { createTestRoutes, type TestRoutes } from '../../support/ingest-routes';
import { signedSes, signedSnsConfirmation } from '../../support/signed-requests';
import { fixtureRecord, TEST_CERT_URL, TEST_NOW, TEST_TOPIC_ARN } from '../../support/sns-envelopes';
import { liteEnv, startSqsEmulator, type SqsEmulator } from '../../support/sqs-emulator';
import { bySourceEventId } from './harness';

const SCORED = [
  'open-record.json',
  'click-record.json',
  'bounce-record.json',
  'complaint-record.json',
  'delivery-record.json',
  'subscription-record.json',
  'legacy-bounce-notification.json',
  'legacy-complaint-notification.json',
  'legacy-delivery-notification.json',
];
const IGNORED = [
  'send-record.json',
  'reject-record.json',
  'rendering-failure-record.json',
  'delivery-delay-record.json',
];
const SUBSCRIBE_URL = `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TEST_TOPIC_ARN}&Token=2336412f37f`;

describe('ingestWebhook: SES via SNS, queued with SqsEventQueue on the emulator', () => {
  let sqs: SqsEmulator;
  let queueUrl: string;
  let test: TestRoutes;
  let counts: Map<string, number>;
  let deps: IngestDeps;
  const ingest = (event: ReturnType<typeof signedSes>, overrides: Partial<IngestDeps> = {}) =>
    ingestWebhook('/webhooks/ses', toWebhookRequest(event), { ...deps, ...overrides });
  const queued = async () =>
    bySourceEventId((await sqs.drain(queueUrl)).map((message) => JSON.parse(message.Body ?? '')));

  beforeAll(async () => {
    sqs = await startSqsEmulator();
    queueUrl = await sqs.createQueue('ses-events');
  });

  afterAll(() => sqs.stop());

  beforeEach(() => {
    test = createTestRoutes({ now: () => TEST_NOW });
    counts = new Map();
    deps = {
      routes: test.routes,
      queue: new SqsEventQueue(sqs.sendBatch, queueUrl),
      now: () => TEST_NOW,
      maxBodyBytes: DEFAULT_MAX_BODY_BYTES,
      record: (outcome, _source, count) => void counts.set(outcome, (counts.get(outcome) ?? 0) + count),
    };
  });

  it.each(SCORED)('queues exactly what %s normalizes to', async (file) => {
    const event = signedSes(fixtureRecord(file), { now: TEST_NOW });

    const reply = await ingest(event);

    expect(reply.statusCode).toBe(200);
    const expected = bySourceEventId(parseSesEvents(toWebhookRequest(event), TEST_NOW).events);
    expect(expected.length).toBeGreaterThan(0);
    expect(await queued()).toEqual(expected);
  });

  it('reads the records by hand: one event per bounced recipient, keyed by the SNS MessageId', async () => {
    const messageId = 'b1d6e1b5-0000-4000-8000-000000000001';
    await ingest(signedSes(fixtureRecord('legacy-bounce-notification.json'), { now: TEST_NOW, messageId }));
    await ingest(signedSes(fixtureRecord('click-record.json'), { now: TEST_NOW }));

    const events = await queued();
    const bounces = events.filter((event) => event.type === 'email.bounced');
    expect(bounces.map((event) => [event.sourceEventId, event.who.email])).toEqual([
      [`${messageId}:0`, 'jane@example.com'],
      [`${messageId}:1`, 'richard@example.com'],
    ]);
    expect(bounces[0]).toMatchObject({
      source: 'ses',
      occurredAt: '2016-01-27T14:59:38.237Z',
      fields: { bounceKind: 'hard' },
    });
    expect(events.find((event) => event.type === 'email.clicked')).toMatchObject({
      occurredAt: '2017-08-09T23:51:25.570Z',
      who: { email: 'recipient@example.com' },
      fields: { url: 'http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html' },
    });
    // Downloaded once, from the URL the envelope named, then cached.
    expect(test.certificateDownloads).toEqual([TEST_CERT_URL]);
  });

  it.each(IGNORED)('accepts and counts %s without queueing it', async (file) => {
    const reply = await ingest(signedSes(fixtureRecord(file), { now: TEST_NOW }));

    expect(reply.statusCode).toBe(200);
    expect(counts.get('ignored')).toBe(1);
    expect(await queued()).toEqual([]);
  });

  it('answers 401 to an envelope signed with another key, one over an hour old, and one from another topic', async () => {
    const record = fixtureRecord('open-record.json');
    const forged = signedSes(record, { now: TEST_NOW, forged: true });
    const stale = signedSes(record, {
      now: TEST_NOW,
      timestamp: new Date(TEST_NOW.getTime() - 61 * 60 * 1000),
    });
    const otherTopic = signedSes(record, { now: TEST_NOW });
    otherTopic.body = (otherTopic.body ?? '').replaceAll(TEST_TOPIC_ARN, `${TEST_TOPIC_ARN}-other`);

    expect(await ingest(forged)).toMatchObject({
      statusCode: 401,
      body: '{"error":"sns: signature mismatch"}',
    });
    expect(await ingest(stale)).toMatchObject({ statusCode: 401, body: '{"error":"sns: stale timestamp"}' });
    expect((await ingest(otherTopic)).statusCode).toBe(401);
    expect(counts.get('rejected')).toBe(3);
    expect(await queued()).toEqual([]);
  });

  it('answers 400 to a signed notification whose Message is not an SES record', async () => {
    const reply = await ingest(signedSes('hello from another publisher', { now: TEST_NOW }));

    expect(reply).toMatchObject({
      statusCode: 400,
      body: '{"error":"ses: SNS Message is not an SES event record"}',
    });
    expect(await queued()).toEqual([]);
  });

  it('answers 413 to a signed notification over the size limit', async () => {
    const reply = await ingest(signedSes('x'.repeat(DEFAULT_MAX_BODY_BYTES), { now: TEST_NOW }));

    expect(reply.statusCode).toBe(413);
    expect(await queued()).toEqual([]);
  });

  it('confirms a verified SubscriptionConfirmation by its SubscribeURL and queues nothing', async () => {
    const reply = await ingest(signedSnsConfirmation(SUBSCRIBE_URL, { now: TEST_NOW }));

    expect(reply.statusCode).toBe(200);
    expect(test.confirmedSubscriptions).toEqual([SUBSCRIBE_URL]);
    expect(await queued()).toEqual([]);
  });

  it('does not confirm a forged SubscriptionConfirmation', async () => {
    const reply = await ingest(signedSnsConfirmation(SUBSCRIBE_URL, { now: TEST_NOW, forged: true }));

    expect(reply.statusCode).toBe(401);
    expect(test.confirmedSubscriptions).toEqual([]);
  });

  it('answers 503 (SNS retries) when the signing certificate cannot be downloaded, never 200 or 401', async () => {
    test = createTestRoutes({
      now: () => TEST_NOW,
      downloadCertificate: async () => {
        throw new Error('connect ETIMEDOUT');
      },
    });

    const reply = await ingest(signedSes(fixtureRecord('open-record.json'), { now: TEST_NOW }), {
      routes: test.routes,
    });

    expect(reply.statusCode).toBe(503);
    expect(counts.get('failed')).toBe(1);
    expect(await queued()).toEqual([]);
  });

  it('answers 503 when the queue is down, never 200', async () => {
    const down = await startSqsEmulator();
    const downUrl = await down.createQueue('ses-events-down');
    await down.stop();
    const queue = new SqsEventQueue(liteSendBatch(liteEnv(down.endpoint)), downUrl, {
      sleep: async () => undefined,
    });

    const reply = await ingest(signedSes(fixtureRecord('open-record.json'), { now: TEST_NOW }), { queue });

    expect(reply).toMatchObject({ statusCode: 503, body: '{"error":"queue unavailable, retry later"}' });
    expect(counts.get('queued')).toBeUndefined();
  });
});
