// SendGrid's signed Event Webhook through the real ingest handler onto the SQS emulator.
import { parseSendGridEvents } from '../../../lib/events/sources/sendgrid';
import { signedSendGrid } from '../../support/signed-requests';
import { expectedEvents, startIngestHarness, type IngestHarness } from './harness';
import { fixture } from './samples';

const SAMPLE = fixture('sendgrid', 'events.json');

describe('ingest handler: SendGrid', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness();
  });

  afterAll(() => harness.stop());

  it('queues exactly the normalized events of the documented sample, ignoring `processed`', async () => {
    const request = signedSendGrid(SAMPLE);

    const result = await harness.invoke(request);

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ queued: 7, ignored: 1 });
    expect((await harness.queued()).events).toEqual(expectedEvents(request, parseSendGridEvents));
  });

  it('maps each SendGrid event by hand: types, the bounce kind, the sample time and the sg_event_id', async () => {
    await harness.invoke(signedSendGrid(SAMPLE));

    const { events } = await harness.queued();
    const byId = new Map(events.map((event) => [event.sourceEventId, event]));
    expect(byId.get('WexDVCfDCkJ22oAzZDiiYw==')?.type).toBe('email.delivered');
    expect(byId.get('mSJ9e9BP2yLTzvStpKhcgw==')?.type).toBe('email.opened');
    expect(byId.get('WMOHWv9ZJxMG0-YhbdoTPA==')).toMatchObject({
      type: 'email.clicked',
      fields: { url: 'http://www.sendgrid.com/', campaign: 'cat facts' },
    });
    expect(byId.get('wMeZZPhZvsPgUP23YyDFKA==')).toMatchObject({
      source: 'sendgrid',
      type: 'email.bounced',
      // 1539462305 s is 2018-10-13 20:25:05 UTC.
      occurredAt: '2018-10-13T20:25:05.000Z',
      who: { email: 'example@test.com' },
      fields: { bounceKind: 'hard', reason: '500 unknown recipient' },
    });
    expect(byId.get('fRCOMWprw3XpGSyNSFjybw==')?.type).toBe('email.spam_reported');
    expect(byId.get('hZdan0mTcEueyH0RM-LT8w==')?.type).toBe('email.unsubscribed');
    expect(byId.get('bleyaOwyAFHJnkQedbujGw==')).toMatchObject({
      type: 'email.unsubscribed',
      fields: { unsubscribeGroupId: 10 },
    });
    expect(byId.has('3VQNwQVlOAoGt_mNmMf7Uw==')).toBe(false);
  });

  it('answers 401 to a correctly signed request whose timestamp is eleven minutes old', async () => {
    const elevenMinutesAgo = Math.floor(Date.now() / 1000) - 11 * 60;

    const result = await harness.invoke(signedSendGrid(SAMPLE, { timestampSeconds: elevenMinutesAgo }));

    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body ?? '')).toEqual({
      error: 'sendgrid: timestamp outside the 10-minute window',
    });
    expect((await harness.queued()).events).toEqual([]);
  });

  it('answers 401 when the body changes after signing', async () => {
    const signed = signedSendGrid(SAMPLE);
    const tampered = { ...signed, body: SAMPLE.replace('example@test.com', 'victim@test.com') };

    expect((await harness.invoke(tampered)).statusCode).toBe(401);
    expect((await harness.queued()).events).toEqual([]);
  });

  it('accepts and counts `processed` and `deferred`, queueing nothing', async () => {
    const body = JSON.stringify([
      { email: 'a@example.com', timestamp: 1539462305, event: 'processed', sg_event_id: 'p-1' },
      { email: 'a@example.com', timestamp: 1539462305, event: 'deferred', sg_event_id: 'd-1' },
    ]);

    const result = await harness.invoke(signedSendGrid(body));

    expect(result.statusCode).toBe(200);
    expect(harness.metrics.get('webhook_ignored')).toBe(2);
    expect((await harness.queued()).events).toEqual([]);
  });
});
