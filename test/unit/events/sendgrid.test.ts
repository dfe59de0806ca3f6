import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { LeadEventSchema } from '../../../lib/events/lead-event';
import {
  SENDGRID_EVENT_TYPES,
  SENDGRID_SIGNATURE_HEADER,
  SENDGRID_TIMESTAMP_HEADER,
  parseSendGridEvents,
  sendgridSource,
  verifySendGridSignature,
} from '../../../lib/events/sources/sendgrid';
import { MalformedBodyError } from '../../../lib/events/webhook';
import { expectRobust } from './email-source-fuzz';
import { sendGridSignature } from '../../../local/webhook-signing';
import { atSeconds, fixtureText, webhookRequest } from './email-webhook-request';

const URL = 'https://hooks.example.com/webhooks/sendgrid';
const SENT_AT = 1539462305; // the sample's timestamp, 2018-10-13T20:25:05Z
const now = atSeconds(SENT_AT + 30);

const keys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const otherKeys = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
const spkiBase64 = (key: KeyObject) => key.export({ type: 'spki', format: 'der' }).toString('base64');
const secrets = { publicKey: spkiBase64(keys.publicKey) };

function signed(body: string | Buffer, timestamp: string, privateKey: KeyObject = keys.privateKey) {
  const raw = Buffer.isBuffer(body) ? body : Buffer.from(body);
  const signature = sendGridSignature(privateKey, timestamp, raw);
  return webhookRequest({
    url: URL,
    body: raw,
    headers: { [SENDGRID_SIGNATURE_HEADER]: signature, [SENDGRID_TIMESTAMP_HEADER]: timestamp },
  });
}

const eventsBody = (events: object[]) => JSON.stringify(events);
const minimal = (event: object) => ({
  email: 'lead@example.com',
  timestamp: SENT_AT,
  sg_event_id: 'evt-1',
  ...event,
});

describe('verifySendGridSignature', () => {
  it('accepts the signed-webhook test vector from SendGrid’s own Node SDK', () => {
    // packages/eventwebhook/src/eventwebhook.spec.js in sendgrid/sendgrid-nodejs
    const request = webhookRequest({
      url: URL,
      body: '{"category":"example_payload","event":"test_event","message_id":"message_id"}',
      headers: {
        [SENDGRID_SIGNATURE_HEADER]:
          'MEUCIQCtIHJeH93Y+qpYeWrySphQgpNGNr/U+UyUlBkU6n7RAwIgJTz2C+8a8xonZGi6BpSzoQsbVRamr2nlxFDWYNH2j/0=',
        [SENDGRID_TIMESTAMP_HEADER]: '1588788367',
      },
    });
    const sdkKey = {
      publicKey:
        'MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAEEDr2LjtURuePQzplybdC+u4CwrqDqBaWjcMMsTbhdbcwHBcepxo7yAQGhHPTnlvFYPAZFceEu/1FwCM/QmGUhA==',
    };

    expect(verifySendGridSignature(request, sdkKey, atSeconds(1588788367))).toEqual({ ok: true });
  });

  it('accepts the sample batch signed with the configured key', () => {
    const request = signed(fixtureText('sendgrid', 'events.json'), String(SENT_AT));

    expect(verifySendGridSignature(request, secrets, now)).toEqual({ ok: true });
  });

  it('signs the raw bytes: a trailing CRLF is part of what is verified', () => {
    const body = `${eventsBody([minimal({ event: 'open' })])}\r\n`;
    const request = signed(body, String(SENT_AT));
    const withoutCrlf = { ...request, rawBody: Buffer.from(body.trimEnd()) };

    expect(verifySendGridSignature(request, secrets, now).ok).toBe(true);
    expect(verifySendGridSignature(withoutCrlf, secrets, now).ok).toBe(false);
  });

  it('rejects a body changed after signing', () => {
    const request = signed(eventsBody([minimal({ event: 'open' })]), String(SENT_AT));
    const forged = { ...request, rawBody: Buffer.from(eventsBody([minimal({ event: 'click' })])) };

    expect(verifySendGridSignature(forged, secrets, now)).toEqual({
      ok: false,
      reason: 'sendgrid: signature mismatch',
    });
  });

  it('rejects a timestamp header changed after signing', () => {
    const request = signed(eventsBody([]), String(SENT_AT));
    const moved = {
      ...request,
      headers: { ...request.headers, [SENDGRID_TIMESTAMP_HEADER]: String(SENT_AT + 1) },
    };

    expect(verifySendGridSignature(moved, secrets, now).ok).toBe(false);
  });

  it('rejects a request signed with another key', () => {
    const request = signed(eventsBody([]), String(SENT_AT), otherKeys.privateKey);

    expect(verifySendGridSignature(request, secrets, now).ok).toBe(false);
  });

  it('rejects a timestamp more than 10 minutes away and accepts one just inside', () => {
    const request = signed(eventsBody([]), String(SENT_AT));

    expect(verifySendGridSignature(request, secrets, atSeconds(SENT_AT + 601))).toEqual({
      ok: false,
      reason: 'sendgrid: timestamp outside the 10-minute window',
    });
    expect(verifySendGridSignature(request, secrets, atSeconds(SENT_AT - 601)).ok).toBe(false);
    expect(verifySendGridSignature(request, secrets, atSeconds(SENT_AT + 599)).ok).toBe(true);
  });

  it.each([SENDGRID_SIGNATURE_HEADER, SENDGRID_TIMESTAMP_HEADER])(
    'rejects a request without %s',
    (header) => {
      const request = signed(eventsBody([]), String(SENT_AT));
      const headers = { ...request.headers };
      delete headers[header];

      expect(verifySendGridSignature({ ...request, headers }, secrets, now)).toEqual({
        ok: false,
        reason: 'sendgrid: missing signature or timestamp header',
      });
    },
  );

  it('rejects a non-numeric timestamp', () => {
    const request = signed(eventsBody([]), 'yesterday');

    expect(verifySendGridSignature(request, secrets, now)).toEqual({
      ok: false,
      reason: 'sendgrid: malformed timestamp',
    });
  });

  it('rejects, without throwing, a signature that is not DER', () => {
    const request = signed(eventsBody([]), String(SENT_AT));
    const garbled = {
      ...request,
      headers: { ...request.headers, [SENDGRID_SIGNATURE_HEADER]: 'bm90IGEgc2ln' },
    };

    expect(verifySendGridSignature(garbled, secrets, now).ok).toBe(false);
  });

  it.each([
    ['empty', ''],
    ['not base64 DER', 'not-a-key'],
    ['an RSA key', spkiBase64(generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey)],
    ['a P-384 key', spkiBase64(generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey)],
  ])('rejects every request when the configured key is %s', (_label, publicKey) => {
    const request = signed(eventsBody([]), String(SENT_AT));

    expect(verifySendGridSignature(request, { publicKey }, now)).toEqual({
      ok: false,
      reason: 'sendgrid: configured public key is not a P-256 key',
    });
  });

  it('also accepts the key as a PEM block', () => {
    const pem = keys.publicKey.export({ type: 'spki', format: 'pem' }).toString();
    const request = signed(eventsBody([]), String(SENT_AT));

    expect(verifySendGridSignature(request, { publicKey: pem }, now).ok).toBe(true);
  });
});

describe('parseSendGridEvents', () => {
  const parse = (body: string) => parseSendGridEvents(webhookRequest({ url: URL, body }), now);
  const common = {
    source: 'sendgrid',
    occurredAt: '2018-10-13T20:25:05.000Z',
    who: { email: 'example@test.com' },
  };
  const sampleFields = {
    campaign: 'cat facts',
    tag: 'cat facts',
    messageId: '14c5d75ce93.dfd.64b469.filter0001.16648.5515E0B88.0',
  };
  const userAgent = 'Mozilla/4.0 (compatible; MSIE 6.1; Windows XP)';

  it('turns the sample batch into one LeadEvent per scored event and counts `processed` as ignored', () => {
    const batch = parse(fixtureText('sendgrid', 'events.json'));

    expect(batch.ignored).toBe(1);
    expect(batch.events).toEqual([
      { ...common, sourceEventId: 'WexDVCfDCkJ22oAzZDiiYw==', type: 'email.delivered', fields: sampleFields },
      {
        ...common,
        sourceEventId: 'mSJ9e9BP2yLTzvStpKhcgw==',
        type: 'email.opened',
        fields: { ...sampleFields, userAgent },
      },
      {
        ...common,
        sourceEventId: 'WMOHWv9ZJxMG0-YhbdoTPA==',
        type: 'email.clicked',
        fields: { ...sampleFields, userAgent, url: 'http://www.sendgrid.com/' },
      },
      {
        ...common,
        sourceEventId: 'wMeZZPhZvsPgUP23YyDFKA==',
        type: 'email.bounced',
        fields: { ...sampleFields, reason: '500 unknown recipient', bounceKind: 'hard' },
      },
      {
        ...common,
        sourceEventId: 'fRCOMWprw3XpGSyNSFjybw==',
        type: 'email.spam_reported',
        fields: sampleFields,
      },
      {
        ...common,
        sourceEventId: 'hZdan0mTcEueyH0RM-LT8w==',
        type: 'email.unsubscribed',
        fields: sampleFields,
      },
      {
        ...common,
        sourceEventId: 'bleyaOwyAFHJnkQedbujGw==',
        type: 'email.unsubscribed',
        fields: { ...sampleFields, userAgent, url: 'http://www.sendgrid.com/', unsubscribeGroupId: 10 },
      },
    ]);
  });

  it('produces only events that pass LeadEventSchema', () => {
    const { events } = parse(fixtureText('sendgrid', 'events.json'));

    for (const event of events) expect(LeadEventSchema.safeParse(event).success).toBe(true);
  });

  it('never copies the IP address', () => {
    const { events } = parse(fixtureText('sendgrid', 'events.json'));

    expect(JSON.stringify(events)).not.toContain('255.255.255.255');
  });

  it('maps a blocked bounce and a dropped message to bounces of their own kind', () => {
    const { events } = parse(
      eventsBody([
        minimal({ event: 'bounce', type: 'blocked', reason: '554 blocked by policy' }),
        minimal({ event: 'dropped', sg_event_id: 'evt-2', reason: 'Bounced Address' }),
      ]),
    );

    expect(events.map((event) => [event.type, event.fields?.bounceKind, event.fields?.reason])).toEqual([
      ['email.bounced', 'blocked', '554 blocked by policy'],
      ['email.bounced', 'dropped', 'Bounced Address'],
    ]);
  });

  it('maps group_resubscribe to email.subscribed', () => {
    expect(parse(eventsBody([minimal({ event: 'group_resubscribe' })])).events[0]?.type).toBe(
      'email.subscribed',
    );
  });

  it('counts deferred, unknown and prototype-named events as ignored', () => {
    const batch = parse(
      eventsBody([
        { event: 'deferred' },
        { event: 'machine_learning' },
        { event: 'constructor' },
        { event: '__proto__' },
      ]),
    );

    expect(batch).toEqual({ events: [], ignored: 4 });
  });

  it('prefers the marketing campaign name and joins a category list', () => {
    const [withName, withList] = parse(
      eventsBody([
        minimal({ event: 'open', marketing_campaign_name: 'Spring launch', category: 'newsletter' }),
        minimal({ event: 'open', sg_event_id: 'evt-2', category: ['newsletter', 'spring'] }),
      ]),
    ).events;

    expect(withName?.fields).toMatchObject({ campaign: 'Spring launch', tag: 'newsletter' });
    expect(withList?.fields).toMatchObject({ campaign: 'newsletter,spring', tag: 'newsletter,spring' });
  });

  it('keeps SendGrid’s machine-open flag', () => {
    const [event] = parse(eventsBody([minimal({ event: 'open', sg_machine_open: true })])).events;

    expect(event?.fields).toEqual({ machineOpen: true });
  });

  it('lower-cases and trims the email address', () => {
    const [event] = parse(eventsBody([minimal({ event: 'open', email: '  Lead@Example.COM ' })])).events;

    expect(event?.who).toEqual({ email: 'lead@example.com' });
  });

  it('reads an optional field of the wrong type as absent', () => {
    const [event] = parse(eventsBody([minimal({ event: 'click', url: 42 })])).events;

    expect(event?.fields).toBeUndefined();
  });

  it.each([
    ['not JSON', '[{"event":'],
    ['an object', '{"event":"open"}'],
    ['an event without a name', eventsBody([{ email: 'lead@example.com' }])],
    [
      'a scored event without sg_event_id',
      eventsBody([{ event: 'open', email: 'a@b.c', timestamp: SENT_AT }]),
    ],
    ['a scored event without email', eventsBody([{ event: 'open', sg_event_id: 'x', timestamp: SENT_AT }])],
    ['a scored event with an empty email', eventsBody([minimal({ event: 'open', email: '   ' })])],
    ['a timestamp in milliseconds', eventsBody([minimal({ event: 'open', timestamp: SENT_AT * 1000 })])],
  ])('refuses %s as malformed', (_label, body) => {
    expect(() => parse(body)).toThrow(MalformedBodyError);
  });

  it('does not echo payload content in its error', () => {
    const body = eventsBody([{ event: 'open', email: 'secret.person@example.com', timestamp: SENT_AT }]);

    expect(() => parse(body)).toThrow(
      /^sendgrid: event 0: lacks email, timestamp or sg_event_id \(sg_event_id: expected a string\)$/,
    );
  });
});

describe('sendgridSource', () => {
  it('is routed at /webhooks/sendgrid and wires the verify and parse functions', () => {
    expect(sendgridSource).toMatchObject({
      source: 'sendgrid',
      route: '/webhooks/sendgrid',
      verify: verifySendGridSignature,
      parse: parseSendGridEvents,
    });
  });

  it('maps every vendor event the issue lists', () => {
    const scored = [
      'open',
      'click',
      'bounce',
      'dropped',
      'unsubscribe',
      'group_unsubscribe',
      'spamreport',
      'delivered',
    ];

    expect(scored.every((name) => SENDGRID_EVENT_TYPES[name as keyof typeof SENDGRID_EVENT_TYPES])).toBe(
      true,
    );
    expect([SENDGRID_EVENT_TYPES.processed, SENDGRID_EVENT_TYPES.deferred]).toEqual([null, null]);
  });
});

describe('sendgridSource under fuzzing', () => {
  it('verifies any body without throwing and parses it to valid events or a MalformedBodyError', () => {
    const seed = fixtureText('sendgrid', 'events.json');
    const { headers } = signed(seed, String(SENT_AT));

    expectRobust(sendgridSource, { url: URL, secrets, now, headers, seeds: [seed], jsonSeeds: [seed] });
  });
});
