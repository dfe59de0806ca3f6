// Mailchimp Marketing audience webhooks through the real ingest handler onto the SQS emulator.
// Authenticity is the URL token alone (Mailchimp signs nothing and sends no timestamp to check).
import { parseMailchimpEvents } from '../../../lib/events/sources/mailchimp';
import { signedMailchimp } from '../../support/signed-requests';
import { expectedEvents, startIngestHarness, type IngestHarness } from './harness';
import { mailchimpSample } from './samples';

describe('ingest handler: Mailchimp', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness();
  });

  afterAll(() => harness.stop());

  it.each(['subscribe', 'unsubscribe', 'cleaned'])(
    'queues exactly what the %s sample normalizes to',
    async (type) => {
      const request = signedMailchimp(mailchimpSample(type));

      const result = await harness.invoke(request);

      expect(result.statusCode).toBe(200);
      const expected = expectedEvents(request, parseMailchimpEvents);
      expect(expected).toHaveLength(1);
      expect((await harness.queued()).events).toEqual(expected);
    },
  );

  it('reads the unsubscribe sample by hand: address, fired_at as UTC, list, campaign and reason', async () => {
    await harness.invoke(signedMailchimp(mailchimpSample('unsubscribe')));

    const { events } = await harness.queued();
    expect(events).toEqual([
      {
        source: 'mailchimp',
        sourceEventId: expect.stringMatching(/^[0-9a-f]{64}$/),
        type: 'email.unsubscribed',
        occurredAt: '2009-03-26T21:40:57.000Z',
        who: { email: 'api+unsub@mailchimp.com' },
        fields: { listId: 'a6b5da1054', reason: 'manual', campaign: 'cb398d21d2', action: 'unsub' },
      },
    ]);
  });

  it('counts a cleaned address as a hard bounce', async () => {
    await harness.invoke(signedMailchimp(mailchimpSample('cleaned')));

    const { events } = await harness.queued();
    expect(events[0]).toMatchObject({
      type: 'email.bounced',
      fields: { bounceKind: 'hard', reason: 'hard' },
    });
  });

  it('answers Mailchimp’s GET validation of the URL with 200 when the token is right, 401 otherwise', async () => {
    expect((await harness.invoke(signedMailchimp('', { method: 'GET' }))).statusCode).toBe(200);
    expect((await harness.invoke(signedMailchimp('', { method: 'GET', forged: true }))).statusCode).toBe(401);
    expect((await harness.queued()).events).toEqual([]);
  });

  it.each(['profile', 'upemail', 'campaign'])(
    'accepts and counts a %s event, queueing nothing',
    async (type) => {
      const result = await harness.invoke(signedMailchimp(mailchimpSample(type)));

      expect(result.statusCode).toBe(200);
      expect(JSON.parse(result.body ?? '')).toEqual({ queued: 0, ignored: 1 });
      expect(harness.metrics.get('webhook_ignored')).toBe(1);
      expect((await harness.queued()).events).toEqual([]);
    },
  );
});
