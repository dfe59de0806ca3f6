// HubSpot webhook bodies → LeadEvents: each contact event kind, ignored types, malformed bodies, dedupe keys.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MalformedBodyError, type WebhookRequest } from '../../../lib/events/webhook';
import { HUBSPOT_EVENT_TYPES, parseHubSpotEvents } from '../../../lib/events/sources/hubspot';

const now = new Date('2024-05-02T00:00:00.000Z');
const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/hubspot', name));
const request = (rawBody: Buffer | string): WebhookRequest => ({
  method: 'POST',
  url: 'https://hooks.example.com/webhooks/hubspot',
  headers: {},
  rawBody: Buffer.from(rawBody),
});
const parseJson = (events: unknown) => parseHubSpotEvents(request(JSON.stringify(events)), now);
const DEDUPE_KEY = expect.stringMatching(/^[0-9a-f]{64}$/);
const contact = (id: string) => ({ crm: { system: 'hubspot', objectType: 'contact', id } });

describe('parseHubSpotEvents', () => {
  it('maps the documented creation example (subscriptionType)', () => {
    const batch = parseHubSpotEvents(request(fixture('hubspot-webhook-contact-creation.json')), now);

    expect(batch).toEqual({
      ignored: 0,
      events: [
        {
          source: 'hubspot',
          sourceEventId: DEDUPE_KEY,
          type: 'crm.created',
          occurredAt: '2019-07-26T04:00:00.000Z',
          who: contact('123'),
          fields: { changeSource: 'CRM', portalId: 62515 },
        },
      ],
    });
  });

  it('maps the legacy eventType batch: a property change and a creation', () => {
    const batch = parseHubSpotEvents(request(fixture('hubspot-webhook-batch.json')), now);

    expect(batch.ignored).toBe(0);
    expect(batch.events).toEqual([
      {
        source: 'hubspot',
        sourceEventId: DEDUPE_KEY,
        type: 'crm.updated',
        occurredAt: '2016-05-02T19:11:47.945Z',
        who: contact('1246965'),
        profile: { lifecyclestage: 'subscriber' },
        fields: { changeSource: 'ACADEMY', portalId: 33 },
      },
      {
        source: 'hubspot',
        sourceEventId: DEDUPE_KEY,
        type: 'crm.created',
        occurredAt: '2016-05-02T19:11:47.945Z',
        who: contact('1246978'),
        fields: { changeSource: 'IMPORT', portalId: 33 },
      },
    ]);
  });

  it('keeps who on the CRM id for an email change and counts company and deal events as ignored', () => {
    const batch = parseHubSpotEvents(request(fixture('hubspot-webhook-property-change-batch.json')), now);

    expect(batch.ignored).toBe(2);
    expect(batch.events).toEqual([
      {
        source: 'hubspot',
        sourceEventId: DEDUPE_KEY,
        type: 'crm.updated',
        occurredAt: '2024-05-01T12:00:00.000Z',
        who: contact('901'),
        profile: { email: 'ada@example.com' },
        fields: { changeSource: 'CRM_UI', portalId: 62515 },
      },
      {
        source: 'hubspot',
        sourceEventId: DEDUPE_KEY,
        type: 'crm.updated',
        occurredAt: '2024-05-01T12:00:01.500Z',
        who: contact('901'),
        profile: { jobtitle: 'CTO' },
        fields: { changeSource: 'FORM', portalId: 62515 },
      },
    ]);
  });

  it('maps a merge onto the new record, folding in the former primary and the merged ids', () => {
    const batch = parseHubSpotEvents(request(fixture('hubspot-webhook-contact-merge.json')), now);

    expect(batch.events).toEqual([
      {
        source: 'hubspot',
        sourceEventId: DEDUPE_KEY,
        type: 'crm.merged',
        occurredAt: '2024-05-01T13:00:00.000Z',
        who: contact('904'),
        mergedIds: ['902', '903'],
        fields: { changeSource: 'CRM_UI', portalId: 62515 },
      },
    ]);
  });

  it('maps a merge without newObjectId onto the primary record', () => {
    const merge = { subscriptionType: 'contact.merge', portalId: 1, occurredAt: 1714550400000, objectId: 10 };
    const batch = parseJson([{ ...merge, primaryObjectId: 10, mergedObjectIds: [11, 12] }]);

    expect(batch.events[0]?.who).toEqual(contact('10'));
    expect(batch.events[0]?.mergedIds).toEqual(['11', '12']);
    expect(batch.events[0]?.occurredAt).toBe('2024-05-01T08:00:00.000Z');
  });

  it('maps a privacy deletion and the deletion HubSpot sends with it to two distinct events', () => {
    const batch = parseHubSpotEvents(request(fixture('hubspot-webhook-contact-privacy-deletion.json')), now);

    expect(batch.events.map((event) => [event.type, event.who, event.occurredAt])).toEqual([
      ['crm.privacy_deleted', contact('905'), '2024-05-01T14:00:00.000Z'],
      ['crm.deleted', contact('905'), '2024-05-01T14:00:00.000Z'],
    ]);
    expect(batch.events[0]?.fields).toEqual({ changeSource: 'GDPR', portalId: 62515 });
    expect(batch.events[0]?.sourceEventId).not.toBe(batch.events[1]?.sourceEventId);
  });

  it('reads generic object.* events about contacts (objectTypeId 0-1) and ignores other objects', () => {
    const base = { portalId: 1, occurredAt: 1714564800000, objectId: 7 };
    const batch = parseJson([
      {
        ...base,
        subscriptionType: 'object.propertyChange',
        objectTypeId: '0-1',
        propertyName: 'city',
        propertyValue: 'Oslo',
      },
      { ...base, subscriptionType: 'object.creation', objectTypeId: '0-2' },
    ]);

    expect(batch.ignored).toBe(1);
    expect(batch.events).toHaveLength(1);
    expect(batch.events[0]).toMatchObject({
      type: 'crm.updated',
      who: contact('7'),
      profile: { city: 'Oslo' },
    });
  });

  it('ignores unknown and look-alike types, including prototype keys', () => {
    const base = { portalId: 1, occurredAt: 0, objectId: 1 };
    const types = ['contact.restore', 'contact.associationChange', 'constructor', '__proto__', 'toString'];

    expect(parseJson(types.map((subscriptionType) => ({ ...base, subscriptionType })))).toEqual({
      events: [],
      ignored: types.length,
    });
  });

  it('keeps null and non-string property values as they are', () => {
    const base = {
      subscriptionType: 'contact.propertyChange',
      portalId: 1,
      occurredAt: 1714550400000,
      objectId: 1,
    };
    const batch = parseJson([
      { ...base, propertyName: 'jobtitle', propertyValue: null },
      { ...base, propertyName: 'num_employees', propertyValue: 40 },
      { ...base, propertyName: 'jobtitle' },
    ]);

    expect(batch.events.map((event) => event.profile)).toEqual([
      { jobtitle: null },
      { num_employees: 40 },
      { jobtitle: null },
    ]);
  });

  it('accepts an empty batch', () => {
    expect(parseJson([])).toEqual({ events: [], ignored: 0 });
  });

  it('maps every table entry to a LeadEvent type', () => {
    expect(Object.values(HUBSPOT_EVENT_TYPES)).toEqual([
      'crm.created',
      'crm.updated',
      'crm.deleted',
      'crm.merged',
      'crm.privacy_deleted',
    ]);
  });
});

describe('parseHubSpotEvents malformed bodies', () => {
  const creation = {
    subscriptionType: 'contact.creation',
    portalId: 1,
    occurredAt: 1714550400000,
    objectId: 1,
  };

  it.each([
    ['not JSON', '[{"objectId": 1,', 'hubspot: body is not valid JSON'],
    ['an object instead of an array', '{"objectId": 1}', 'hubspot: body is not a JSON array'],
    ['an element that is not an object', '[42]', 'hubspot: event 0 is not an object'],
    [
      'an event without a type',
      JSON.stringify([{ objectId: 1, occurredAt: 0 }]),
      'hubspot: event 0 has no subscriptionType',
    ],
    [
      'a contact event without objectId',
      JSON.stringify([creation, { ...creation, objectId: undefined }]),
      'hubspot: event 1: objectId: not of an accepted type',
    ],
    [
      'an occurredAt that is a string',
      JSON.stringify([{ ...creation, occurredAt: '2024-05-01' }]),
      'hubspot: event 0: occurredAt: expected a number',
    ],
    [
      'an occurredAt no date can hold',
      JSON.stringify([{ ...creation, occurredAt: 1e20 }]),
      'hubspot: event 0: occurredAt: expected epoch milliseconds between 2000 and 2100',
    ],
    [
      'a property change without propertyName',
      JSON.stringify([{ ...creation, subscriptionType: 'contact.propertyChange', propertyValue: 'x' }]),
      'hubspot: event 0 has no propertyName',
    ],
    [
      'a merge without mergedObjectIds',
      JSON.stringify([{ ...creation, subscriptionType: 'contact.merge', primaryObjectId: 1 }]),
      'hubspot: event 0 has no mergedObjectIds',
    ],
    [
      'an empty objectId',
      JSON.stringify([{ ...creation, objectId: '' }]),
      'hubspot: event 0: objectId: cannot be empty',
    ],
    [
      'a portalId that is a string (names the field, not objectId)',
      JSON.stringify([{ ...creation, portalId: '3' }]),
      'hubspot: event 0: portalId: expected a number',
    ],
    [
      'an objectId too long to be a CRM id',
      JSON.stringify([{ ...creation, objectId: '9'.repeat(3000) }]),
      'hubspot: event 0: who.crm.id: a CRM id has at most 255 characters',
    ],
    [
      'an occurredAt in seconds, not milliseconds',
      JSON.stringify([{ ...creation, occurredAt: 1_800_007_200 }]),
      'hubspot: event 0: occurredAt: expected epoch milliseconds between 2000 and 2100',
    ],
  ])('rejects %s', (_case, body, reason) => {
    const parse = () => parseHubSpotEvents(request(body), now);
    expect(parse).toThrow(MalformedBodyError);
    expect(parse).toThrow(reason);
  });

  it('does not echo payload content in the reason', () => {
    const body = JSON.stringify([
      { subscriptionType: 'contact.propertyChange', objectId: 1, occurredAt: 'ssn-123-45-6789' },
    ]);
    expect(() => parseHubSpotEvents(request(body), now)).toThrow(/^(?!.*ssn-123).*$/);
  });
});

describe('parseHubSpotEvents dedupe keys', () => {
  const change = {
    eventId: 1,
    subscriptionId: 410,
    portalId: 62515,
    appId: 54321,
    occurredAt: 1714564800000,
    subscriptionType: 'contact.propertyChange',
    attemptNumber: 0,
    objectId: 901,
    propertyName: 'jobtitle',
    propertyValue: 'CTO',
    changeSource: 'CRM_UI',
  };
  const keyOf = (event: object) => parseJson([event]).events[0]?.sourceEventId;

  it('is the same on a retry (new attemptNumber, eventId and subscription id)', () => {
    expect(keyOf({ ...change, attemptNumber: 3, eventId: 99, subscriptionId: 411 })).toBe(keyOf(change));
  });

  it('is the same whether the type arrives as subscriptionType or eventType', () => {
    const { subscriptionType, ...rest } = change;
    expect(keyOf({ ...rest, eventType: subscriptionType })).toBe(keyOf(change));
  });

  it.each([
    ['value', { propertyValue: 'CEO' }],
    ['property', { propertyName: 'title' }],
    ['object', { objectId: 902 }],
    ['portal', { portalId: 62516 }],
    ['time', { occurredAt: 1714564800001 }],
    ['type', { subscriptionType: 'contact.creation', propertyName: undefined, propertyValue: undefined }],
  ])('differs when the %s differs', (_case, difference) => {
    expect(keyOf({ ...change, ...difference })).not.toBe(keyOf(change));
  });

  it('does not confuse values that only differ in how they split across fields', () => {
    const a = keyOf({ ...change, propertyName: 'a', propertyValue: 'b|c' });
    const b = keyOf({ ...change, propertyName: 'a|b', propertyValue: 'c' });
    expect(a).not.toBe(b);
  });
});
