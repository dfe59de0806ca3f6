// /events bodies → LeadEvents: batches and single events, the vocabulary check, limits, malformed input.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { GENERIC_API_EVENT_TYPES, parseGenericApiEvents } from '../../../lib/events/sources/generic-api';
import { LEAD_EVENT_TYPES } from '../../../lib/events/lead-event';
import { MalformedBodyError, type WebhookRequest } from '../../../lib/events/webhook';

const fixture = (name: string) => readFileSync(join(__dirname, '../../fixtures/api', name));
const now = new Date('2024-05-02T00:00:00.000Z');
const request = (rawBody: Buffer | string): WebhookRequest => ({
  method: 'POST',
  url: 'https://hooks.example.com/events',
  headers: {},
  rawBody: Buffer.from(rawBody),
});
const parse = (body: unknown) => parseGenericApiEvents(request(JSON.stringify(body)), now);
const pageView = {
  id: 'e-1',
  type: 'page.viewed',
  occurredAt: '2024-05-01T12:00:00Z',
  email: 'ada@example.com',
};

describe('parseGenericApiEvents', () => {
  it('maps a batch, normalizing offsets to UTC', () => {
    expect(parseGenericApiEvents(request(fixture('events-batch.json')), now)).toEqual({
      ignored: 0,
      events: [
        {
          source: 'api',
          sourceEventId: 'web-7f3a',
          type: 'page.viewed',
          occurredAt: '2024-05-01T12:00:00.000Z',
          who: { email: 'ada@example.com' },
          fields: { url: 'https://example.com/pricing', campaign: 'spring' },
        },
        {
          source: 'api',
          sourceEventId: 'call-8812',
          type: 'call.completed',
          occurredAt: '2024-05-01T12:30:00.250Z',
          who: { crm: { system: 'salesforce', objectType: 'Lead', id: '00Q1I000004WHchUAG' } },
          fields: { outcome: 'connected', durationSeconds: 420, voicemail: false },
        },
        {
          source: 'api',
          sourceEventId: 'usage-2024-05-01-ada',
          type: 'product.used',
          occurredAt: '2024-05-01T23:59:59.000Z',
          who: { email: 'ada@example.com', crm: { system: 'hubspot', objectType: 'contact', id: '901' } },
          fields: { feature: 'exports', count: 17 },
          profile: { plan: 'trial' },
        },
      ],
    });
  });

  it('maps a single event object', () => {
    expect(parseGenericApiEvents(request(fixture('event-single.json')), now)).toEqual({
      ignored: 0,
      events: [
        {
          source: 'api',
          sourceEventId: 'dm-2024-spring-0042',
          type: 'mail.responded',
          occurredAt: '2024-04-29T10:00:00.000Z',
          who: { email: 'grace.smith@example.co.uk' },
          fields: { campaign: 'spring-postcard', channel: 'qr' },
        },
      ],
    });
  });

  it('carries mergedIds for a crm.merged event', () => {
    const merged = {
      id: 'm-1',
      type: 'crm.merged',
      occurredAt: '2024-05-01T12:00:00Z',
      crm: { system: 'hubspot', objectType: 'contact', id: '10' },
      mergedIds: ['11'],
    };
    expect(parse(merged).events[0]).toMatchObject({ type: 'crm.merged', mergedIds: ['11'] });
  });

  it('accepts every type of the vocabulary, and only those', () => {
    expect(Object.keys(GENERIC_API_EVENT_TYPES).sort()).toEqual([...LEAD_EVENT_TYPES].sort());
    const crm = { system: 'hubspot', objectType: 'contact', id: '10' };
    const events = LEAD_EVENT_TYPES.map((type, i) => ({ ...pageView, id: `e-${i}`, type, crm }));
    expect(parse({ events }).events.map((event) => event.type)).toEqual([...LEAD_EVENT_TYPES]);
  });

  it('uses the caller id as the dedupe key, the same on a retry', () => {
    const first = parse({ events: [pageView] });
    const retry = parse({ events: [{ ...pageView, fields: { attempt: 2 } }] });
    expect(first.events[0]?.sourceEventId).toBe('e-1');
    expect(retry.events[0]?.sourceEventId).toBe(first.events[0]?.sourceEventId);
  });

  it('accepts 500 events and an empty batch', () => {
    const events = Array.from({ length: 500 }, (_, i) => ({ ...pageView, id: `e-${i}` }));
    expect(parse({ events }).events).toHaveLength(500);
    expect(parse({ events: [] })).toEqual({ events: [], ignored: 0 });
  });
});

describe('parseGenericApiEvents malformed bodies', () => {
  it('names the index and the type for an unknown type', () => {
    const body = { events: [pageView, { ...pageView, id: 'e-2', type: 'page.scrolled' }] };
    expect(() => parse(body)).toThrow(MalformedBodyError);
    expect(() => parse(body)).toThrow('api: event 1 has unknown type "page.scrolled"');
  });

  it('shortens and sanitizes an unknown type before naming it', () => {
    const body = { ...pageView, type: `x"\n${'y'.repeat(100)}` };
    expect(() => parse(body)).toThrow(`api: event 0 has unknown type "x??${'y'.repeat(37)}"`);
  });

  it.each([
    ['not JSON', '{"events": [', 'api: body is not valid JSON'],
    ['a top-level array', JSON.stringify([pageView]), 'api: body must be an event or {"events": [...]}'],
    ['a top-level string', '"page.viewed"', 'api: body must be an event or {"events": [...]}'],
    ['null', 'null', 'api: body must be an event or {"events": [...]}'],
    ['events that are not an array', JSON.stringify({ events: pageView }), 'api: "events" must be an array'],
    [
      '501 events',
      JSON.stringify({ events: Array.from({ length: 501 }, (_, i) => ({ ...pageView, id: `e-${i}` })) }),
      'api: at most 500 events per request',
    ],
    ['an event that is not an object', JSON.stringify({ events: [pageView, 7] }), 'api: event 1 is invalid'],
    ['a missing id', JSON.stringify({ ...pageView, id: undefined }), 'api: event 0 is invalid (id'],
    ['an empty id', JSON.stringify({ ...pageView, id: '' }), 'api: event 0 is invalid (id'],
    ['a missing type', JSON.stringify({ ...pageView, type: undefined }), 'api: event 0 is invalid (type'],
    [
      'a date without time',
      JSON.stringify({ ...pageView, occurredAt: '2024-05-01' }),
      'api: event 0 is invalid (occurredAt',
    ],
    [
      'an epoch occurredAt',
      JSON.stringify({ ...pageView, occurredAt: 1714564800 }),
      'api: event 0 is invalid (occurredAt',
    ],
    [
      'an invalid email',
      JSON.stringify({ ...pageView, email: 'not-an-email' }),
      'api: event 0 is invalid (email',
    ],
    [
      'an unknown CRM system',
      JSON.stringify({ ...pageView, crm: { system: 'pipedrive', objectType: 'person', id: '1' } }),
      'api: event 0 is invalid (crm',
    ],
    [
      'a nested field value',
      JSON.stringify({ ...pageView, fields: { utm: { source: 'x' } } }),
      'api: event 0 is invalid (fields',
    ],
    [
      'an unknown field',
      JSON.stringify({ ...pageView, occured_at: 'typo' }),
      'api: event 0 is invalid (unknown field)',
    ],
    [
      'a CRM id too long to be a key',
      JSON.stringify({ ...pageView, crm: { system: 'hubspot', objectType: 'contact', id: '9'.repeat(256) } }),
      'api: event 0 is invalid (crm.id: a CRM id has at most 255 characters)',
    ],
    [
      'an object type with a colon',
      JSON.stringify({ ...pageView, crm: { system: 'hubspot', objectType: 'contact:1', id: 'x' } }),
      'api: event 0 is invalid (crm.objectType: an object type is an API name',
    ],
    [
      'a merge of more ids than one transaction holds',
      JSON.stringify({
        ...pageView,
        type: 'crm.merged',
        crm: { system: 'hubspot', objectType: 'contact', id: '1' },
        mergedIds: Array.from({ length: 100 }, (_, n) => String(n + 2)),
      }),
      'api: event 0: mergedIds: at most 99 ids per merge: send larger merges as several events',
    ],
    [
      'a merge without the record that remains',
      JSON.stringify({ ...pageView, type: 'crm.merged', mergedIds: ['2'] }),
      'api: event 0 is a crm.merged without crm, the record that remains',
    ],
    [
      'an event that carries an events member',
      JSON.stringify({ ...pageView, events: [] }),
      'api: a batch is {"events": [...]} with no other member',
    ],
    [
      'a batch with another member',
      JSON.stringify({ events: [pageView], source: 'x' }),
      'api: a batch is {"events": [...]} with no other member',
    ],
    [
      'a time more than a day ahead',
      JSON.stringify({ ...pageView, occurredAt: '2024-05-03T00:00:01Z' }),
      'api: event 0: occurredAt is more than a day ahead of our clock',
    ],
    [
      'neither email nor crm',
      JSON.stringify({ ...pageView, email: undefined }),
      'api: event 0 needs an email or a crm reference',
    ],
  ])('rejects %s', (_case, body, reason) => {
    expect(() => parseGenericApiEvents(request(body), now)).toThrow(MalformedBodyError);
    expect(() => parseGenericApiEvents(request(body), now)).toThrow(reason);
  });

  it('reads a body that starts with a UTF-8 byte order mark, as Windows clients send', () => {
    const body = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(pageView))]);
    expect(parseGenericApiEvents(request(body), now).events).toHaveLength(1);
  });

  it('refuses a body that is not UTF-8 instead of storing replacement characters, and says so for gzip', () => {
    const latin1 = Buffer.from(JSON.stringify({ ...pageView, profile: { firstname: 'Jörg' } }), 'latin1');
    expect(() => parseGenericApiEvents(request(latin1), now)).toThrow('api: body is not UTF-8');
    const gzipped = gzipSync(JSON.stringify(pageView));
    expect(() => parseGenericApiEvents(request(gzipped), now)).toThrow(
      'api: body is gzip-compressed: send it uncompressed',
    );
  });

  it('does not echo field names or values in the reason', () => {
    const body = { ...pageView, email: 'secret-person-at-example', fields: { 'secret-key': 'secret-value' } };
    expect(() => parse(body)).toThrow(/^(?!.*secret).*$/);
    expect(() => parse({ ...pageView, 'secret-field': 1 })).toThrow(/^(?!.*secret).*$/);
  });
});
