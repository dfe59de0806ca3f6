import { LeadEventSchema } from '../../../lib/events/lead-event';
import {
  parsePostmarkEvents,
  postmarkSource,
  verifyPostmarkAuth,
} from '../../../lib/events/sources/postmark';
import { MalformedBodyError } from '../../../lib/events/webhook';
import { expectRobust } from './email-source-fuzz';
import { basicAuthorization as basic } from '../../../local/webhook-signing';
import { fixtureText, webhookRequest } from './email-webhook-request';

const URL = 'https://hooks.example.com/webhooks/postmark';
const secrets = { username: 'postmark-hooks', password: 'Zq8-long-random-password' };
const now = new Date('2020-02-01T11:00:00Z');
const HASH = /^[0-9a-f]{64}$/;

const authorized = (body: string, authorization = basic(`${secrets.username}:${secrets.password}`)) =>
  webhookRequest({ url: URL, body, headers: { authorization } });

const fixture = (name: string) => fixtureText('postmark', `${name}.json`);
const fixtureWith = (name: string, changes: object) =>
  JSON.stringify({ ...(JSON.parse(fixture(name)) as object), ...changes });
const parse = (body: string) => parsePostmarkEvents(webhookRequest({ url: URL, body }), now);

describe('verifyPostmarkAuth', () => {
  it('accepts the configured username and password', () => {
    expect(verifyPostmarkAuth(authorized(fixture('open')), secrets, now)).toEqual({ ok: true });
  });

  it('accepts a password that itself contains colons', () => {
    const withColons = { username: 'hooks', password: 'a:b:c-long-enough' };

    expect(verifyPostmarkAuth(authorized('{}', basic('hooks:a:b:c-long-enough')), withColons, now).ok).toBe(
      true,
    );
  });

  it('accepts the scheme name in any case', () => {
    const header = basic(`${secrets.username}:${secrets.password}`).replace('Basic', 'basic');

    expect(verifyPostmarkAuth(authorized('{}', header), secrets, now).ok).toBe(true);
  });

  it.each([
    ['a wrong password', basic(`${secrets.username}:guess`)],
    ['a wrong username', basic(`someone:${secrets.password}`)],
    ['swapped parts', basic(`${secrets.password}:${secrets.username}`)],
    ['an empty password', basic(`${secrets.username}:`)],
  ])('rejects %s', (_label, header) => {
    expect(verifyPostmarkAuth(authorized('{}', header), secrets, now)).toEqual({
      ok: false,
      reason: 'postmark: wrong username or password',
    });
  });

  it.each([
    ['no Authorization header', undefined, 'postmark: missing Authorization header'],
    ['a Bearer token', 'Bearer abc', 'postmark: Authorization is not Basic'],
    ['Basic with no credentials', 'Basic ', 'postmark: Authorization is not Basic'],
    [
      'Basic credentials without a colon',
      basic('postmark-hooks'),
      'postmark: Basic credentials lack a colon',
    ],
  ])('rejects %s', (_label, header, reason) => {
    const request = webhookRequest({
      url: URL,
      body: '{}',
      headers: header === undefined ? {} : { authorization: header },
    });

    expect(verifyPostmarkAuth(request, secrets, now)).toEqual({ ok: false, reason });
  });

  it('rejects everything when no credentials are configured', () => {
    expect(verifyPostmarkAuth(authorized('{}', basic(':')), { username: '', password: '' }, now)).toEqual({
      ok: false,
      reason: 'postmark: no credentials configured',
    });
  });
});

describe('parsePostmarkEvents', () => {
  const common = { source: 'postmark', sourceEventId: expect.stringMatching(HASH) };

  it('maps an Open record to email.opened at ReceivedAt, keeping first-open and user agent but not the IP', () => {
    const parsed = parse(fixture('open'));

    expect(parsed).toEqual({
      ignored: 0,
      events: [
        {
          ...common,
          type: 'email.opened',
          occurredAt: '2019-11-05T16:33:54.907Z',
          who: { email: 'john@example.com' },
          fields: {
            tag: 'welcome-email',
            messageId: '883953f4-6105-42a2-a16a-77a8eac79483',
            messageStream: 'outbound',
            userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_7_5) AppleWebKit/537.36',
            firstOpen: true,
          },
        },
      ],
    });
    expect(JSON.stringify(parsed)).not.toContain('188.2.95.4');
  });

  it('maps a Click record to email.clicked with the original link', () => {
    const [event] = parse(fixture('click')).events;

    expect(event).toMatchObject({
      type: 'email.clicked',
      occurredAt: '2017-10-25T15:21:11.906Z',
      fields: { url: 'https://example.com', tag: 'welcome-email' },
    });
  });

  it('maps a HardBounce to a hard bounce at BouncedAt, converting the offset to UTC', () => {
    const [event] = parse(fixture('bounce')).events;

    expect(event).toEqual({
      ...common,
      type: 'email.bounced',
      occurredAt: '2014-08-01T17:28:10.273Z',
      who: { email: 'john@example.com' },
      fields: {
        tag: 'Test',
        reason: 'HardBounce',
        bounceKind: 'hard',
        messageId: '883953f4-6105-42a2-a16a-77a8eac79483',
        messageStream: 'outbound',
      },
    });
  });

  it.each([
    ['SoftBounce', 'soft'],
    ['BadEmailAddress', 'hard'],
    ['Blocked', 'blocked'],
    ['DMARCPolicy', 'blocked'],
  ])('maps a %s bounce to bounceKind %s', (type, kind) => {
    const [event] = parse(fixtureWith('bounce', { Type: type })).events;

    expect([event?.type, event?.fields?.bounceKind]).toEqual(['email.bounced', kind]);
  });

  it.each(['Transient', 'DnsError', 'AutoResponder', 'OpenRelayTest'])(
    'counts a %s bounce as ignored',
    (type) => {
      expect(parse(fixtureWith('bounce', { Type: type }))).toEqual({ events: [], ignored: 1 });
    },
  );

  it('maps a SpamComplaint record to email.spam_reported', () => {
    const [event] = parse(fixture('spam-complaint')).events;

    expect(event).toMatchObject({ type: 'email.spam_reported', occurredAt: '2018-02-20T17:54:23.339Z' });
  });

  it('maps a Delivery record to email.delivered at DeliveredAt', () => {
    const [event] = parse(fixture('delivery')).events;

    expect(event).toMatchObject({ type: 'email.delivered', occurredAt: '2019-11-05T16:33:54.907Z' });
  });

  it('maps a suppression by unsubscribe (ManualSuppression) to email.unsubscribed', () => {
    expect(parse(fixture('subscription-change')).events).toEqual([
      {
        ...common,
        type: 'email.unsubscribed',
        occurredAt: '2020-02-01T10:53:34.416Z',
        who: { email: 'bounced-address@wildbit.com' },
        fields: {
          tag: 'my-tag',
          reason: 'ManualSuppression',
          origin: 'Recipient',
          messageId: '883953f4-6105-42a2-a16a-77a8eac79483',
          messageStream: 'outbound',
        },
      },
    ]);
  });

  it('maps a reactivation (SuppressSending false) to email.subscribed', () => {
    const body = fixtureWith('subscription-change', {
      SuppressSending: false,
      SuppressionReason: null,
      MessageID: null,
      Tag: null,
      Origin: 'Customer',
    });

    expect(parse(body).events).toEqual([
      {
        ...common,
        type: 'email.subscribed',
        occurredAt: '2020-02-01T10:53:34.416Z',
        who: { email: 'bounced-address@wildbit.com' },
        fields: { origin: 'Customer', messageStream: 'outbound' },
      },
    ]);
  });

  it.each(['HardBounce', 'SpamComplaint'])(
    'counts a %s suppression as ignored (its Bounce or SpamComplaint record reports it)',
    (reason) => {
      expect(parse(fixtureWith('subscription-change', { SuppressionReason: reason }))).toEqual({
        events: [],
        ignored: 1,
      });
    },
  );

  it('counts Inbound and unknown record types as ignored', () => {
    expect(parse('{"RecordType":"Inbound"}').ignored).toBe(1);
    expect(parse('{"RecordType":"valueOf"}').ignored).toBe(1);
  });

  it('produces only events that pass LeadEventSchema', () => {
    for (const name of ['open', 'click', 'bounce', 'spam-complaint', 'delivery', 'subscription-change']) {
      for (const event of parse(fixture(name)).events)
        expect(LeadEventSchema.safeParse(event).success).toBe(true);
    }
  });

  describe('sourceEventId (Postmark sends no event id)', () => {
    const idOf = (body: string) => parse(body).events[0]?.sourceEventId;

    it('is the same when the same record is retried, the int64 bounce ID included', () => {
      expect(idOf(fixture('bounce'))).toBe(idOf(fixture('bounce')));
    });

    it.each([
      ['delivery', 'Recipient', 'jane@example.com'],
      ['delivery', 'DeliveredAt', '2019-11-05T16:33:55.0000000Z'],
      ['click', 'OriginalLink', 'https://example.com/pricing'],
      ['bounce', 'ID', 4323372036854775],
      ['open', 'MessageID', '11111111-6105-42a2-a16a-77a8eac79483'],
    ])('tells %s records apart by %s', (name, field, value) => {
      expect(idOf(fixtureWith(name, { [field]: value }))).not.toBe(idOf(fixture(name)));
    });

    it('does not contain the email address', () => {
      expect(idOf(fixture('delivery'))).not.toContain('example.com');
    });
  });

  it.each([
    ['not JSON', '{"RecordType":'],
    ['an array', '[]'],
    ['a record without RecordType', '{"Recipient":"a@b.c"}'],
    ['an Open without Recipient', fixtureWith('open', { Recipient: undefined })],
    ['an Open without ReceivedAt', fixtureWith('open', { ReceivedAt: undefined })],
    ['a Delivery time without zone', fixtureWith('delivery', { DeliveredAt: '2019-11-05 16:33:54' })],
    ['a Bounce time that is no date', fixtureWith('bounce', { BouncedAt: '2014-02-31T25:00:00Z' })],
  ])('refuses %s as malformed', (_label, body) => {
    expect(() => parse(body)).toThrow(MalformedBodyError);
  });

  it('does not echo payload content in its error', () => {
    expect(() => parse(fixtureWith('open', { ReceivedAt: undefined }))).toThrow(
      /^postmark: record lacks its recipient or time$/,
    );
  });
});

describe('postmarkSource', () => {
  it('is routed at /webhooks/postmark and wires the verify and parse functions', () => {
    expect(postmarkSource).toMatchObject({
      source: 'postmark',
      route: '/webhooks/postmark',
      verify: verifyPostmarkAuth,
      parse: parsePostmarkEvents,
    });
  });
});

describe('postmarkSource under fuzzing', () => {
  it('verifies any body without throwing and parses it to valid events or a MalformedBodyError', () => {
    const seeds = ['open', 'click', 'bounce', 'spam-complaint', 'delivery', 'subscription-change'].map(
      fixture,
    );
    const { headers } = authorized('{}');

    expectRobust(postmarkSource, {
      url: URL,
      secrets,
      now,
      headers,
      seeds,
      jsonSeeds: seeds,
    });
  });
});
