// HubSpot through the real ingest handler onto the SQS emulator: what is queued is exactly the normalized events.
import { parseHubSpotEvents } from '../../../lib/events/sources/hubspot';
import { signedHubSpot } from '../../support/signed-requests';
import { expectedEvents, startIngestHarness, type IngestHarness } from './harness';
import { fixture } from './samples';

const FIXTURES = [
  'hubspot-webhook-batch.json',
  'hubspot-webhook-contact-creation.json',
  'hubspot-webhook-contact-merge.json',
  'hubspot-webhook-contact-privacy-deletion.json',
  'hubspot-webhook-property-change-batch.json',
];

describe('ingest handler: HubSpot', () => {
  let harness: IngestHarness;

  beforeAll(async () => {
    harness = await startIngestHarness();
  });

  afterAll(() => harness.stop());

  it.each(FIXTURES)('queues exactly what %s normalizes to', async (file) => {
    const request = signedHubSpot(fixture('hubspot', file));

    const result = await harness.invoke(request);

    expect(result.statusCode).toBe(200);
    const expected = expectedEvents(request, parseHubSpotEvents);
    expect(expected.length).toBeGreaterThan(0);
    expect((await harness.queued()).events).toEqual(expected);
  });

  it('queues the documented batch as a profile change and a creation, by contact id', async () => {
    const result = await harness.invoke(signedHubSpot(fixture('hubspot', 'hubspot-webhook-batch.json')));

    expect(JSON.parse(result.body ?? '')).toEqual({ queued: 2, ignored: 0 });
    expect(harness.metrics.get('webhook_queued')).toBe(2);
    const { events, messages } = await harness.queued();
    const byContact = new Map(events.map((event) => [event.who.crm?.id, event]));
    // occurredAt 1462216307945 ms is 2016-05-02 19:11:47.945 UTC (date -u -d @1462216307).
    expect(byContact.get('1246965')).toMatchObject({
      source: 'hubspot',
      type: 'crm.updated',
      occurredAt: '2016-05-02T19:11:47.945Z',
      who: { crm: { system: 'hubspot', objectType: 'contact', id: '1246965' } },
      profile: { lifecyclestage: 'subscriber' },
      fields: { changeSource: 'ACADEMY', portalId: 33 },
    });
    expect(byContact.get('1246978')).toMatchObject({
      type: 'crm.created',
      fields: { changeSource: 'IMPORT' },
    });
    expect(messages.map((message) => message.MessageAttributes?.type?.StringValue).sort()).toEqual([
      'crm.created',
      'crm.updated',
    ]);
    expect(messages.every((message) => message.MessageAttributes?.source?.StringValue === 'hubspot')).toBe(
      true,
    );
  });

  it('folds a merge into the new record, naming both former ids', async () => {
    await harness.invoke(signedHubSpot(fixture('hubspot', 'hubspot-webhook-contact-merge.json')));

    const { events } = await harness.queued();
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ type: 'crm.merged', who: { crm: { id: '904' } } });
    expect([...(events[0]?.mergedIds ?? [])].sort()).toEqual(['902', '903']);
  });

  it('answers 401 to a correctly signed request older than five minutes', async () => {
    const sixMinutesAgo = Date.now() - 6 * 60 * 1000;
    const request = signedHubSpot(fixture('hubspot', 'hubspot-webhook-batch.json'), {
      timestampMs: sixMinutesAgo,
    });

    const result = await harness.invoke(request);

    expect(result.statusCode).toBe(401);
    expect(JSON.parse(result.body ?? '')).toEqual({
      error: 'hubspot: request timestamp outside the 5-minute window',
    });
    expect((await harness.queued()).events).toEqual([]);
  });

  it('accepts and counts company and deal events without queueing them', async () => {
    const body = JSON.stringify([
      { subscriptionType: 'company.creation', objectId: 77, portalId: 33, occurredAt: 1714564800000 },
      { subscriptionType: 'deal.propertyChange', objectId: 78, portalId: 33, occurredAt: 1714564800000 },
      { subscriptionType: 'object.creation', objectTypeId: '0-3', objectId: 79, occurredAt: 1714564800000 },
    ]);

    const result = await harness.invoke(signedHubSpot(body));

    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body ?? '')).toEqual({ queued: 0, ignored: 3 });
    expect(harness.metrics.get('webhook_ignored')).toBe(3);
    expect((await harness.queued()).events).toEqual([]);
  });
});
