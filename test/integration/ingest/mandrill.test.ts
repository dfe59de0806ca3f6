// Mandrill (Mailchimp Transactional) through the real ingest handler onto the SQS emulator.
// Mandrill sends no timestamp, so there is no stale case: its batches are deduplicated by event id downstream.
import { parseMandrillEvents } from '../../../lib/events/sources/mandrill';
import { apiGatewayEvent } from '../../support/api-gateway';
import { mandrillSignature } from '../../../local/webhook-signing';
import { signedMandrill, TEST_BASE_URL } from '../../support/signed-requests';
import { expectedEvents, startIngestHarness, type IngestHarness } from './harness';
import { fixture } from './samples';

const SAMPLE = fixture('mandrill', 'events.json');
const ROUTE = '/webhooks/mandrill';

describe('ingest handler: Mandrill', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness();
  });

  afterAll(() => harness.stop());

  it('queues exactly the normalized message events of the "Send Test" batch', async () => {
    const request = signedMandrill(SAMPLE);

    const result = await harness.invoke(request);

    expect(result.statusCode).toBe(200);
    // 11 entries: 6 scored; send, deferral, reject and the two sync events (blacklist, whitelist) ignored.
    expect(JSON.parse(result.body ?? '')).toEqual({ queued: 6, ignored: 5 });
    expect((await harness.queued()).events).toEqual(expectedEvents(request, parseMandrillEvents));
  });

  it('maps the events by hand: bounce kinds, the click URL, the time and one id per event', async () => {
    await harness.invoke(signedMandrill(SAMPLE));

    const { events } = await harness.queued();
    // 1384954004 s is 2013-11-20 13:26:44 UTC.
    expect(new Set(events.map((event) => event.occurredAt))).toEqual(new Set(['2013-11-20T13:26:44.000Z']));
    expect(new Set(events.map((event) => event.who.email))).toEqual(
      new Set(['example.webhook@mandrillapp.com']),
    );
    const byMessage = new Map(events.map((event) => [event.fields?.messageId, event]));
    expect(byMessage.get('exampleaaaaaaaaaaaaaaaaaaaaaaaaa2')).toMatchObject({
      sourceEventId: 'exampleaaaaaaaaaaaaaaaaaaaaaaaaa2:hard_bounce:1384954004',
      type: 'email.bounced',
      fields: { bounceKind: 'hard', reason: 'bad_mailbox' },
    });
    expect(byMessage.get('exampleaaaaaaaaaaaaaaaaaaaaaaaaa3')?.fields?.bounceKind).toBe('soft');
    expect(byMessage.get('exampleaaaaaaaaaaaaaaaaaaaaaaaaa5')).toMatchObject({
      type: 'email.clicked',
      fields: { url: 'http://mandrill.com' },
    });
    expect(byMessage.get('exampleaaaaaaaaaaaaaaaaaaaaaaaaa6')?.type).toBe('email.spam_reported');
    expect(byMessage.get('exampleaaaaaaaaaaaaaaaaaaaaaaaaa7')?.type).toBe('email.unsubscribed');
  });

  it('answers Mandrill’s unsigned HEAD check of a new webhook URL with 200', async () => {
    const result = await harness.invoke(apiGatewayEvent({ method: 'HEAD', path: ROUTE }));

    expect(result.statusCode).toBe(200);
    expect((await harness.queued()).events).toEqual([]);
  });

  it('accepts the empty batch signed with the generic test key, which queues nothing', async () => {
    const fields = { mandrill_events: '[]' };
    const signature = mandrillSignature('test-webhook', `${TEST_BASE_URL}${ROUTE}`, fields);
    const body = new URLSearchParams(fields).toString();

    const result = await harness.invoke(
      apiGatewayEvent({ path: ROUTE, body, headers: { 'x-mandrill-signature': signature } }),
    );

    expect(result.statusCode).toBe(200);
    expect((await harness.queued()).events).toEqual([]);
  });

  it('answers 401 to a non-empty batch signed with the generic test key', async () => {
    const fields = { mandrill_events: SAMPLE };
    const signature = mandrillSignature('test-webhook', `${TEST_BASE_URL}${ROUTE}`, fields);

    const result = await harness.invoke(
      apiGatewayEvent({
        path: ROUTE,
        body: new URLSearchParams(fields).toString(),
        headers: { 'x-mandrill-signature': signature },
      }),
    );

    expect(result.statusCode).toBe(401);
    expect((await harness.queued()).events).toEqual([]);
  });

  it('accepts and counts send, deferral and reject events, queueing nothing', async () => {
    const ignoredOnly = (JSON.parse(SAMPLE) as { event?: string }[]).filter((item) =>
      ['send', 'deferral', 'reject'].includes(item.event ?? ''),
    );

    const result = await harness.invoke(signedMandrill(JSON.stringify(ignoredOnly)));

    expect(result.statusCode).toBe(200);
    expect(harness.metrics.get('webhook_ignored')).toBe(3);
    expect((await harness.queued()).events).toEqual([]);
  });
});
