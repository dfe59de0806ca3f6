import { LeadEventSchema } from '../../../lib/events/lead-event';
import {
  MANDRILL_SIGNATURE_HEADER,
  mandrillSource,
  parseMandrillEvents,
  verifyMandrillSignature,
} from '../../../lib/events/sources/mandrill';
import { MalformedBodyError } from '../../../lib/events/webhook';
import { expectRobust } from './email-source-fuzz';
import { mandrillSignature } from '../../../local/webhook-signing';
import { atSeconds, fixtureText, webhookRequest } from './email-webhook-request';

const URL = 'https://hooks.example.com/webhooks/mandrill';
const KEY = 'k3y-Mandrill-generated_abc123';
const secrets = { webhookKey: KEY };
const now = atSeconds(1384954004);

function signedRequest(fields: Record<string, string>, options: { key?: string; url?: string } = {}) {
  return webhookRequest({
    url: options.url ?? URL,
    body: new URLSearchParams(fields).toString(),
    headers: {
      [MANDRILL_SIGNATURE_HEADER]: mandrillSignature(options.key ?? KEY, options.url ?? URL, fields),
    },
  });
}

const batch = (events: unknown) => ({ mandrill_events: JSON.stringify(events) });
const sampleBatch = () => ({ mandrill_events: fixtureText('mandrill', 'events.json') });
const message = (event: object) => ({
  event: 'open',
  _id: 'msg-1',
  ts: 1384954004,
  msg: { email: 'lead@example.com' },
  ...event,
});

describe('verifyMandrillSignature', () => {
  it('accepts the sample batch signed with the webhook key', () => {
    expect(verifyMandrillSignature(signedRequest(sampleBatch()), secrets, now)).toEqual({ ok: true });
  });

  it('signs the form-decoded value: spaces sent as "+" and UTF-8 escapes', () => {
    const fields = batch([message({ msg: { email: 'zoë@example.com', subject: 'Hello there' } })]);
    const request = signedRequest(fields);

    expect(request.rawBody.toString()).toContain('Hello+there');
    expect(verifyMandrillSignature(request, secrets, now).ok).toBe(true);
  });

  it('appends every POST field in key order, not in body order', () => {
    const body = 'zeta=last&mandrill_events=%5B%5D&alpha=first';
    const signature = mandrillSignature(KEY, URL, { zeta: 'last', mandrill_events: '[]', alpha: 'first' });
    const request = webhookRequest({ url: URL, body, headers: { [MANDRILL_SIGNATURE_HEADER]: signature } });

    expect(verifyMandrillSignature(request, secrets, now).ok).toBe(true);
  });

  it('signs the URL exactly as registered, query string included', () => {
    const registered = `${URL}?tenant=acme`;
    const request = signedRequest(sampleBatch(), { url: registered });

    expect(verifyMandrillSignature(request, secrets, now).ok).toBe(true);
    expect(verifyMandrillSignature({ ...request, url: URL }, secrets, now).ok).toBe(false);
    expect(verifyMandrillSignature({ ...request, url: `${URL}/?tenant=acme` }, secrets, now).ok).toBe(false);
  });

  it('rejects a batch changed after signing', () => {
    const request = signedRequest(batch([message({ event: 'open' })]));
    const forged = {
      ...request,
      rawBody: Buffer.from(new URLSearchParams(batch([message({ event: 'spam' })])).toString()),
    };

    expect(verifyMandrillSignature(forged, secrets, now)).toEqual({
      ok: false,
      reason: 'mandrill: signature mismatch',
    });
  });

  it('rejects a request signed with another key', () => {
    const request = signedRequest(sampleBatch(), { key: 'another-webhook-key' });

    expect(verifyMandrillSignature(request, secrets, now).ok).toBe(false);
  });

  it('rejects a request without X-Mandrill-Signature', () => {
    const request = { ...signedRequest(sampleBatch()), headers: {} };

    expect(verifyMandrillSignature(request, secrets, now)).toEqual({
      ok: false,
      reason: 'mandrill: missing X-Mandrill-Signature header',
    });
  });

  it('rejects a body that repeats a field, whichever value was signed', () => {
    const signature = mandrillSignature(KEY, URL, { mandrill_events: '[]' });
    const body = 'mandrill_events=%5B%5D&mandrill_events=%5B%7B%7D%5D';
    const request = webhookRequest({ url: URL, body, headers: { [MANDRILL_SIGNATURE_HEADER]: signature } });

    expect(verifyMandrillSignature(request, secrets, now)).toEqual({
      ok: false,
      reason: 'mandrill: form field repeated',
    });
  });

  it('rejects everything when no webhook key is configured', () => {
    const request = signedRequest(sampleBatch(), { key: '' });

    expect(verifyMandrillSignature(request, { webhookKey: '' }, now)).toEqual({
      ok: false,
      reason: 'mandrill: no webhook key configured',
    });
  });

  describe('adding the webhook', () => {
    it('accepts the empty test batch Mandrill signs with the generic key "test-webhook"', () => {
      const request = signedRequest({ mandrill_events: '[]' }, { key: 'test-webhook' });

      expect(verifyMandrillSignature(request, secrets, now)).toEqual({ ok: true });
    });

    it('accepts the generic key for nothing but the empty batch', () => {
      const withEvents = signedRequest(batch([message({})]), { key: 'test-webhook' });
      const withExtraField = signedRequest({ mandrill_events: '[]', extra: 'x' }, { key: 'test-webhook' });

      expect(verifyMandrillSignature(withEvents, secrets, now).ok).toBe(false);
      expect(verifyMandrillSignature(withExtraField, secrets, now).ok).toBe(false);
    });

    it('parses the empty test batch to nothing queued and nothing ignored', () => {
      const request = signedRequest({ mandrill_events: '[]' }, { key: 'test-webhook' });

      expect(parseMandrillEvents(request, now)).toEqual({ events: [], ignored: 0 });
    });
  });
});

describe('parseMandrillEvents', () => {
  const parse = (fields: Record<string, string>) =>
    parseMandrillEvents(webhookRequest({ url: URL, body: new URLSearchParams(fields).toString() }), now);
  const expected = (id: string, event: string, type: string, fields: object) => ({
    source: 'mandrill',
    sourceEventId: `${id}:${event}:1384954004`,
    type,
    occurredAt: '2013-11-20T13:26:44.000Z',
    who: { email: 'example.webhook@mandrillapp.com' },
    fields: { tag: 'webhook-example', messageId: id, ...fields },
  });
  const userAgent =
    'Mozilla/5.0 (Macintosh; U; Intel Mac OS X 10.6; en-US; rv:1.9.1.8) Gecko/20100317 Postbox/1.1.3';

  it('maps the sample batch and counts send, deferral, reject and sync events as ignored', () => {
    const parsed = parse(sampleBatch());

    expect(parsed.ignored).toBe(5);
    expect(parsed.events).toEqual([
      expected('exampleaaaaaaaaaaaaaaaaaaaaaaaaa2', 'hard_bounce', 'email.bounced', {
        reason: 'bad_mailbox',
        bounceKind: 'hard',
      }),
      expected('exampleaaaaaaaaaaaaaaaaaaaaaaaaa3', 'soft_bounce', 'email.bounced', {
        reason: 'mailbox_full',
        bounceKind: 'soft',
      }),
      expected('exampleaaaaaaaaaaaaaaaaaaaaaaaaa4', 'open', 'email.opened', { userAgent }),
      expected('exampleaaaaaaaaaaaaaaaaaaaaaaaaa5', 'click', 'email.clicked', {
        userAgent,
        url: 'http://mandrill.com',
      }),
      expected('exampleaaaaaaaaaaaaaaaaaaaaaaaaa6', 'spam', 'email.spam_reported', {}),
      expected('exampleaaaaaaaaaaaaaaaaaaaaaaaaa7', 'unsub', 'email.unsubscribed', {}),
    ]);
  });

  it('produces only events that pass LeadEventSchema and never copies the IP', () => {
    const { events } = parse(sampleBatch());

    for (const event of events) expect(LeadEventSchema.safeParse(event).success).toBe(true);
    expect(JSON.stringify(events)).not.toContain('127.0.0.1');
  });

  it('maps delivered to email.delivered', () => {
    expect(parse(batch([message({ event: 'delivered' })])).events[0]?.type).toBe('email.delivered');
  });

  it('gives each event of one message its own id', () => {
    const { events } = parse(
      batch([message({ event: 'open' }), message({ event: 'click', ts: 1384954010 })]),
    );

    expect(events.map((event) => event.sourceEventId)).toEqual([
      'msg-1:open:1384954004',
      'msg-1:click:1384954010',
    ]);
  });

  it('counts unknown and inbound events as ignored', () => {
    expect(parse(batch([{ event: 'inbound' }, { event: 'teleport' }, { event: 'toString' }]))).toEqual({
      events: [],
      ignored: 3,
    });
  });

  it('joins several tags', () => {
    const [event] = parse(
      batch([message({ msg: { email: 'a@example.com', tags: ['welcome', 'trial'] } })]),
    ).events;

    expect(event?.fields).toEqual({ tag: 'welcome,trial', messageId: 'msg-1' });
  });

  it.each([
    ['no mandrill_events field', { events: '[]' }],
    ['mandrill_events that is not JSON', { mandrill_events: '[{' }],
    ['mandrill_events that is an object', { mandrill_events: '{}' }],
    ['more than 1000 events', batch(Array.from({ length: 1001 }, () => ({ event: 'send' })))],
    ['a scored event without msg', batch([{ event: 'open', _id: 'x', ts: 1384954004 }])],
    ['a scored event without _id', batch([{ event: 'open', ts: 1384954004, msg: { email: 'a@b.c' } }])],
    ['a scored event with ts as text', batch([message({ ts: '1384954004' })])],
  ])('refuses %s as malformed', (_label, fields) => {
    expect(() => parse(fields)).toThrow(MalformedBodyError);
  });

  it('refuses a repeated field as malformed', () => {
    const request = webhookRequest({ url: URL, body: 'mandrill_events=%5B%5D&mandrill_events=%5B%5D' });

    expect(() => parseMandrillEvents(request, now)).toThrow('mandrill: form field repeated');
  });

  it('does not echo payload content in its error', () => {
    const fields = batch([{ event: 'open', ts: 1384954004, msg: { email: 'secret.person@example.com' } }]);

    expect(() => parse(fields)).toThrow(
      /^mandrill: event 0: message event lacks _id, ts or msg\.email \(_id: expected a string\)$/,
    );
  });
});

describe('mandrillSource', () => {
  it('is routed at /webhooks/mandrill and wires the verify and parse functions', () => {
    expect(mandrillSource).toMatchObject({
      source: 'mandrill',
      route: '/webhooks/mandrill',
      verify: verifyMandrillSignature,
      parse: parseMandrillEvents,
    });
  });
});

describe('mandrillSource under fuzzing', () => {
  it('verifies any body without throwing and parses it to valid events or a MalformedBodyError', () => {
    const seed = signedRequest(sampleBatch());

    expectRobust(mandrillSource, {
      url: URL,
      secrets,
      now,
      headers: seed.headers,
      seeds: [seed.rawBody.toString()],
      jsonSeeds: [fixtureText('mandrill', 'events.json')],
      encode: (json) => new URLSearchParams({ mandrill_events: json }).toString(),
    });
  });
});
