// Mailgun webhooks through the real ingest handler onto the SQS emulator, replayed tokens included.
import { parseMailgunEvents } from '../../../lib/events/sources/mailgun';
import { signedMailgun } from '../../support/signed-requests';
import { expectedEvents, startIngestHarness, type IngestHarness } from './harness';
import { fixture } from './samples';

const SCORED = ['delivered', 'opened', 'clicked', 'failed-permanent', 'unsubscribed', 'complained'];

describe('ingest handler: Mailgun', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness();
  });

  afterAll(() => harness.stop());

  it.each(SCORED)('queues exactly what the %s sample normalizes to', async (name) => {
    const request = signedMailgun(fixture('mailgun', `${name}.json`));

    const result = await harness.invoke(request);

    expect(result.statusCode).toBe(200);
    const expected = expectedEvents(request, parseMailgunEvents);
    expect(expected).toHaveLength(1);
    expect((await harness.queued()).events).toEqual(expected);
  });

  it('reads the samples by hand: event id, recipient, time, bounce kind, click URL', async () => {
    for (const name of ['delivered', 'failed-permanent', 'clicked', 'opened']) {
      await harness.invoke(signedMailgun(fixture('mailgun', `${name}.json`)));
    }

    const byId = new Map((await harness.queued()).events.map((event) => [event.sourceEventId, event]));
    // 1534108637.153125 s is 2018-08-12 21:17:17.153 UTC.
    expect(byId.get('hTWCTD81RtiDN-2xH9Dx5A')).toMatchObject({
      source: 'mailgun',
      type: 'email.delivered',
      occurredAt: '2018-08-12T21:17:17.153Z',
      who: { email: 'recipient@example.com' },
      fields: { messageId: '20180812211713.1.DF5966851B4BAA99@example.org' },
    });
    expect(byId.get('G9Bn5sl1TC6nu79C8C0bwg')).toMatchObject({
      type: 'email.bounced',
      who: { email: 'invalid@example.com' },
      fields: { bounceKind: 'hard' },
    });
    expect(byId.get('Ase7i2zsRYeDXztHGENqRA')?.fields?.url).toBe(
      'https://example.com/pricing?utm_source=mailgun',
    );
    // Addresses are compared lower-case.
    expect(byId.get('-NxLTUvXRvaVvEjuWeRa1Q')?.who.email).toBe('recipient@example.com');
  });

  it('answers 401 the second time the same signed request arrives (token replay)', async () => {
    const request = signedMailgun(fixture('mailgun', 'delivered.json'));

    const first = await harness.invoke(request);
    const second = await harness.invoke(request);

    expect(first.statusCode).toBe(200);
    expect(second.statusCode).toBe(401);
    expect(JSON.parse(second.body ?? '')).toEqual({
      error: 'mailgun: token already used (replayed request)',
    });
    expect((await harness.queued()).events).toHaveLength(1);
  });

  it('answers 401 to a correctly signed request whose timestamp is six minutes old', async () => {
    const sixMinutesAgo = Math.floor(Date.now() / 1000) - 6 * 60;

    const result = await harness.invoke(
      signedMailgun(fixture('mailgun', 'delivered.json'), { timestampSeconds: sixMinutesAgo }),
    );

    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body ?? '')).toEqual({
      error: 'mailgun: timestamp outside the 5-minute window',
    });
    expect((await harness.queued()).events).toEqual([]);
  });

  it.each(['accepted', 'failed-temporary'])(
    'accepts and counts the %s event, queueing nothing',
    async (name) => {
      const result = await harness.invoke(signedMailgun(fixture('mailgun', `${name}.json`)));

      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body ?? '')).toEqual({ queued: 0, ignored: 1 });
      expect(harness.metrics.get('webhook_ignored')).toBe(1);
      expect((await harness.queued()).events).toEqual([]);
    },
  );
});
