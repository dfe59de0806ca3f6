import { LeadEventSchema } from '../../../lib/events/lead-event';
import {
  MAILGUN_TOKEN_TTL_MS,
  checkMailgunTokenReplay,
  createTokenReplayGuard,
  mailgunSignatureToken,
  mailgunSource,
  parseMailgunEvents,
  verifyMailgunSignature,
} from '../../../lib/events/sources/mailgun';
import { MalformedBodyError } from '../../../lib/events/webhook';
import { expectRobust } from './email-source-fuzz';
import { mailgunSignature as hexSignature } from '../../../local/webhook-signing';
import { atSeconds, fixtureText, webhookRequest } from './email-webhook-request';

const URL = 'https://hooks.example.com/webhooks/mailgun';
const KEY = 'whsk-test-0123456789abcdef';
const secrets = { signingKey: KEY };
const SIGNED_AT = 1534108640;
const now = atSeconds(SIGNED_AT + 20);
const TOKEN = 'e0b5477167110d68991efc6b9f89f0a11066af27834600e123';

type SignatureBlock = Record<string, string | number>;

function signedBody(eventData: object, overrides: SignatureBlock = {}, key = KEY): string {
  const timestamp = String(overrides.timestamp ?? SIGNED_AT);
  const token = String(overrides.token ?? TOKEN);
  const signature = { timestamp, token, signature: hexSignature(key, timestamp, token), ...overrides };
  return JSON.stringify({ signature, 'event-data': eventData });
}

const fixtureEvent = (name: string): object =>
  (JSON.parse(fixtureText('mailgun', `${name}.json`)) as { 'event-data': object })['event-data'];

const request = (body: string) => webhookRequest({ url: URL, body });
const signedFixture = (name: string, overrides: SignatureBlock = {}, key = KEY) =>
  request(signedBody(fixtureEvent(name), overrides, key));

describe('verifyMailgunSignature', () => {
  it('accepts a body signed with the signing key', () => {
    expect(verifyMailgunSignature(signedFixture('delivered'), secrets, now)).toEqual({ ok: true });
  });

  it('accepts the timestamp sent as a JSON number', () => {
    expect(
      verifyMailgunSignature(signedFixture('delivered', { timestamp: SIGNED_AT }), secrets, now).ok,
    ).toBe(true);
  });

  it('accepts an upper-case hex signature', () => {
    const signature = hexSignature(KEY, String(SIGNED_AT), TOKEN).toUpperCase();

    expect(verifyMailgunSignature(signedFixture('delivered', { signature }), secrets, now).ok).toBe(true);
  });

  it('accepts a subaccount event whose parent-signature matches the configured (primary) key', () => {
    const parent = hexSignature(KEY, String(SIGNED_AT), TOKEN);
    const body = signedFixture('delivered', { signature: '00'.repeat(32), 'parent-signature': parent });

    expect(verifyMailgunSignature(body, secrets, now).ok).toBe(true);
  });

  it('rejects a signature made with another key', () => {
    expect(verifyMailgunSignature(signedFixture('delivered', {}, 'some-other-key'), secrets, now)).toEqual({
      ok: false,
      reason: 'mailgun: signature mismatch',
    });
  });

  it('rejects a token changed after signing', () => {
    const signature = hexSignature(KEY, String(SIGNED_AT), TOKEN);

    expect(
      verifyMailgunSignature(signedFixture('delivered', { token: 'x'.repeat(50), signature }), secrets, now)
        .ok,
    ).toBe(false);
  });

  it('rejects a timestamp changed after signing', () => {
    const signature = hexSignature(KEY, String(SIGNED_AT), TOKEN);
    const moved = signedFixture('delivered', { timestamp: SIGNED_AT + 1, signature });

    expect(verifyMailgunSignature(moved, secrets, now).ok).toBe(false);
  });

  it('rejects a timestamp more than 5 minutes away and accepts one just inside', () => {
    const body = signedFixture('delivered');

    expect(verifyMailgunSignature(body, secrets, atSeconds(SIGNED_AT + 301))).toEqual({
      ok: false,
      reason: 'mailgun: timestamp outside the 5-minute window',
    });
    expect(verifyMailgunSignature(body, secrets, atSeconds(SIGNED_AT - 301)).ok).toBe(false);
    expect(verifyMailgunSignature(body, secrets, atSeconds(SIGNED_AT + 299)).ok).toBe(true);
  });

  it.each([
    ['a body that is not JSON', '{"signature":'],
    ['no signature block', JSON.stringify({ 'event-data': fixtureEvent('delivered') })],
    ['a signature block without token', JSON.stringify({ signature: { timestamp: '1', signature: 'ab' } })],
  ])('rejects %s', (_label, body) => {
    expect(verifyMailgunSignature(request(body), secrets, now)).toEqual({
      ok: false,
      reason: 'mailgun: body has no signature block',
    });
  });

  it('rejects a timestamp that is not whole seconds', () => {
    const body = signedFixture('delivered', { timestamp: `${SIGNED_AT}.5` });

    expect(verifyMailgunSignature(body, secrets, now)).toEqual({
      ok: false,
      reason: 'mailgun: malformed timestamp',
    });
  });

  it('rejects everything when no signing key is configured', () => {
    expect(verifyMailgunSignature(signedFixture('delivered', {}, ''), { signingKey: '' }, now)).toEqual({
      ok: false,
      reason: 'mailgun: no signing key configured',
    });
  });
});

describe('checkMailgunTokenReplay', () => {
  it('passes a token the first time and refuses the same signed request replayed', () => {
    const guard = createTokenReplayGuard(100, MAILGUN_TOKEN_TTL_MS);
    const signed = signedFixture('opened');

    expect(checkMailgunTokenReplay(signed, guard, now)).toEqual({ ok: true });
    expect(checkMailgunTokenReplay(signed, guard, now)).toEqual({
      ok: false,
      reason: 'mailgun: token already used (replayed request)',
    });
  });

  it('passes different tokens', () => {
    const guard = createTokenReplayGuard(100, MAILGUN_TOKEN_TTL_MS);

    expect(checkMailgunTokenReplay(signedFixture('opened', { token: 'a'.repeat(50) }), guard, now).ok).toBe(
      true,
    );
    expect(checkMailgunTokenReplay(signedFixture('opened', { token: 'b'.repeat(50) }), guard, now).ok).toBe(
      true,
    );
  });

  it('keeps tokens for longer than a request can stay inside the timestamp window', () => {
    expect(MAILGUN_TOKEN_TTL_MS).toBeGreaterThanOrEqual(2 * 5 * 60 * 1000);
  });

  it('reads the token from the signature block', () => {
    expect(mailgunSignatureToken(signedFixture('opened'))).toBe(TOKEN);
    expect(mailgunSignatureToken(request('not json'))).toBeUndefined();
  });
});

describe('parseMailgunEvents', () => {
  const parse = (name: string) => parseMailgunEvents(signedFixture(name), now);

  it('maps delivered to email.delivered keyed by the event id', () => {
    expect(parse('delivered')).toEqual({
      ignored: 0,
      events: [
        {
          source: 'mailgun',
          sourceEventId: 'hTWCTD81RtiDN-2xH9Dx5A',
          type: 'email.delivered',
          occurredAt: '2018-08-12T21:17:17.153Z',
          who: { email: 'recipient@example.com' },
          fields: { messageId: '20180812211713.1.DF5966851B4BAA99@example.org' },
        },
      ],
    });
  });

  it('maps a permanent failure to a hard bounce with its reason and tags', () => {
    expect(parse('failed-permanent').events).toEqual([
      {
        source: 'mailgun',
        sourceEventId: 'G9Bn5sl1TC6nu79C8C0bwg',
        type: 'email.bounced',
        occurredAt: '2018-08-12T21:47:02.390Z',
        who: { email: 'invalid@example.com' },
        fields: {
          tag: 'onboarding',
          reason: 'bounce',
          bounceKind: 'hard',
          messageId: '20180812214658.1.0DF563D0B3597700@example.org',
        },
      },
    ]);
  });

  it('counts a temporary failure (Mailgun retries it) as ignored', () => {
    expect(parse('failed-temporary')).toEqual({ events: [], ignored: 1 });
  });

  it('maps opened with tags and user agent, lower-casing the recipient, never copying the IP', () => {
    const { events } = parse('opened');

    expect(events).toEqual([
      {
        source: 'mailgun',
        sourceEventId: '-NxLTUvXRvaVvEjuWeRa1Q',
        type: 'email.opened',
        occurredAt: '2018-08-12T21:33:20.090Z',
        who: { email: 'recipient@example.com' },
        fields: {
          tag: 'welcome,variation-A',
          messageId: '20180812213139.1.BC6694A917BB7E6A@example.org',
          userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_13_6)',
        },
      },
    ]);
    expect(JSON.stringify(events)).not.toContain('203.0.113.9');
  });

  it('maps clicked with its url', () => {
    const [event] = parse('clicked').events;

    expect(event?.type).toBe('email.clicked');
    expect(event?.fields).toMatchObject({ url: 'https://example.com/pricing?utm_source=mailgun' });
  });

  it.each([
    ['unsubscribed', 'email.unsubscribed', 'W3X4JOhFT-OZidZGKKr9iA', '2013-08-22T23:23:11.421Z'],
    ['complained', 'email.spam_reported', 'ncV2XwymRUKbPek_MIM-Gw', '2013-08-22T23:31:00.050Z'],
  ])('maps %s to %s', (name, type, id, occurredAt) => {
    const [event] = parse(name).events;

    expect(event).toMatchObject({
      type,
      sourceEventId: id,
      occurredAt,
      who: { email: 'recipient@example.com' },
    });
  });

  it('counts accepted as ignored', () => {
    expect(parse('accepted')).toEqual({ events: [], ignored: 1 });
  });

  it('counts an unknown event, or a failure without severity, as ignored', () => {
    const unknown = parseMailgunEvents(request(signedBody({ event: 'list_member_uploaded' })), now);
    const noSeverity = parseMailgunEvents(request(signedBody({ event: 'failed' })), now);

    expect([unknown.ignored, noSeverity.ignored]).toEqual([1, 1]);
  });

  it('produces only events that pass LeadEventSchema', () => {
    for (const name of ['delivered', 'failed-permanent', 'opened', 'clicked', 'unsubscribed', 'complained']) {
      for (const event of parse(name).events) expect(LeadEventSchema.safeParse(event).success).toBe(true);
    }
  });

  it.each([
    ['not JSON', '{"event-data":'],
    ['no event-data', JSON.stringify({ signature: {} })],
    ['event-data without an event name', JSON.stringify({ 'event-data': { id: 'x' } })],
    ['a scored event without id', signedBody({ event: 'opened', timestamp: 1, recipient: 'a@b.c' })],
    ['a scored event without recipient', signedBody({ event: 'opened', id: 'x', timestamp: 1534109600 })],
    [
      'a scored event with a negative timestamp',
      signedBody({ event: 'opened', id: 'x', timestamp: -1, recipient: 'a@b.c' }),
    ],
  ])('refuses %s as malformed', (_label, body) => {
    expect(() => parseMailgunEvents(request(body), now)).toThrow(MalformedBodyError);
  });

  it('does not echo payload content in its error', () => {
    const body = signedBody({
      event: 'opened',
      timestamp: 1534109600,
      recipient: 'secret.person@example.com',
    });

    expect(() => parseMailgunEvents(request(body), now)).toThrow(
      /^mailgun: event-data lacks id, timestamp or recipient \(id: expected a string\)$/,
    );
  });
});

describe('mailgunSource', () => {
  it('is routed at /webhooks/mailgun and wires the verify and parse functions', () => {
    expect(mailgunSource).toMatchObject({
      source: 'mailgun',
      route: '/webhooks/mailgun',
      verify: verifyMailgunSignature,
      parse: parseMailgunEvents,
    });
  });
});

describe('mailgunSource under fuzzing', () => {
  it('verifies any body without throwing and parses it to valid events or a MalformedBodyError', () => {
    const names = ['delivered', 'failed-permanent', 'failed-temporary', 'opened', 'clicked', 'complained'];
    const seeds = names.map((name) => signedBody(fixtureEvent(name)));

    expectRobust(mailgunSource, { url: URL, secrets, now, seeds, jsonSeeds: seeds });
  });
});
