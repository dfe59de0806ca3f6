// Postmark webhooks (Basic auth from the webhook URL) through the real ingest handler onto the SQS emulator.
// Postmark sends no timestamp to check, so there is no stale case.
import { parsePostmarkEvents } from '../../../lib/events/sources/postmark';
import { signedPostmark } from '../../support/signed-requests';
import { expectedEvents, startIngestHarness, type IngestHarness } from './harness';
import { fixture } from './samples';

const RECORDS = ['delivery', 'open', 'click', 'bounce', 'spam-complaint', 'subscription-change'];

describe('ingest handler: Postmark', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness();
  });

  afterAll(() => harness.stop());

  it.each(RECORDS)('queues exactly what the %s record normalizes to', async (name) => {
    const request = signedPostmark(fixture('postmark', `${name}.json`));

    const result = await harness.invoke(request);

    expect(result.statusCode).toBe(200);
    const expected = expectedEvents(request, parsePostmarkEvents);
    expect(expected).toHaveLength(1);
    expect((await harness.queued()).events).toEqual(expected);
  });

  it('reads the records by hand: type, recipient, time in UTC, bounce kind', async () => {
    for (const name of ['open', 'bounce', 'subscription-change']) {
      await harness.invoke(signedPostmark(fixture('postmark', `${name}.json`)));
    }

    const byType = new Map((await harness.queued()).events.map((event) => [event.type, event]));
    expect(byType.get('email.opened')).toMatchObject({
      source: 'postmark',
      occurredAt: '2019-11-05T16:33:54.907Z',
      who: { email: 'john@example.com' },
      fields: { tag: 'welcome-email', messageId: '883953f4-6105-42a2-a16a-77a8eac79483', firstOpen: true },
    });
    // 13:28:10.2735393 at -04:00 is 17:28:10.273 UTC.
    expect(byType.get('email.bounced')).toMatchObject({
      occurredAt: '2014-08-01T17:28:10.273Z',
      fields: { bounceKind: 'hard', reason: 'HardBounce' },
    });
    expect(byType.get('email.unsubscribed')?.who.email).toBe('bounced-address@wildbit.com');
  });

  it('accepts and counts a transient bounce and an inbound message, queueing nothing', async () => {
    const transient = { ...JSON.parse(fixture('postmark', 'bounce.json')), Type: 'Transient' };
    for (const body of [JSON.stringify(transient), JSON.stringify({ RecordType: 'Inbound' })]) {
      const result = await harness.invoke(signedPostmark(body));

      expect(result.statusCode).toBe(200);
      expect(harness.metrics.get('webhook_ignored')).toBe(1);
    }
    expect((await harness.queued()).events).toEqual([]);
  });
});
