// The generic signed /events API through the real ingest handler onto the SQS emulator.
// Callers speak our vocabulary, so no event type is ignored here: an unknown type is a 400.
import { parseGenericApiEvents } from '../../../lib/events/sources/generic-api';
import { signedApi } from '../../support/signed-requests';
import { expectedEvents, startIngestHarness, type IngestHarness } from './harness';
import { fixture } from './samples';

const BATCH = fixture('api', 'events-batch.json');

describe('ingest handler: /events', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness();
  });

  afterAll(() => harness.stop());

  it.each(['events-batch.json', 'event-single.json'])(
    'queues exactly what %s normalizes to',
    async (file) => {
      const request = signedApi(fixture('api', file));

      const result = await harness.invoke(request);

      expect(result.statusCode).toBe(200);
      const expected = expectedEvents(request, parseGenericApiEvents);
      expect(expected.length).toBeGreaterThan(0);
      expect((await harness.queued()).events).toEqual(expected);
    },
  );

  it('queues the single event as sent, by hand', async () => {
    await harness.invoke(signedApi(fixture('api', 'event-single.json')));

    const { events, messages } = await harness.queued();
    expect(events).toEqual([
      {
        source: 'api',
        sourceEventId: 'dm-2024-spring-0042',
        type: 'mail.responded',
        occurredAt: '2024-04-29T10:00:00.000Z',
        who: { email: 'grace.smith@example.co.uk' },
        fields: { campaign: 'spring-postcard', channel: 'qr' },
      },
    ]);
    expect(messages[0]?.MessageAttributes?.type?.StringValue).toBe('mail.responded');
  });

  it('answers 401 to a correctly signed request six minutes old, and to one signed for another body', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;
    const stale = await harness.invoke(signedApi(BATCH, { timestampSeconds: sixMinutesAgo }));
    const otherBody = { ...signedApi(BATCH), body: BATCH.replace('page.viewed', 'form.submitted') };

    expect(stale.statusCode).toBe(401);
    expect(JSON.parse(stale.body ?? '')).toEqual({ error: 'api: timestamp outside the 5-minute window' });
    expect((await harness.invoke(otherBody)).statusCode).toBe(401);
    expect((await harness.queued()).events).toEqual([]);
  });

  it('answers 400 naming the event when one event of a batch is invalid, queueing none of them', async () => {
    const body = JSON.stringify({
      events: [
        { id: 'ok-1', type: 'page.viewed', occurredAt: '2024-05-01T12:00:00Z', email: 'a@example.com' },
        { id: 'bad-2', type: 'page.teleported', occurredAt: '2024-05-01T12:00:00Z', email: 'a@example.com' },
      ],
    });

    const result = await harness.invoke(signedApi(body));

    expect(result.statusCode).toBe(400);
    expect(JSON.parse(result.body ?? '')).toEqual({
      error: 'api: event 1 has unknown type "page.teleported"',
    });
    expect((await harness.queued()).events).toEqual([]);
  });
});
