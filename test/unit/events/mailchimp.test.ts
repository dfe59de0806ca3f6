import { LeadEventSchema } from '../../../lib/events/lead-event';
import {
  mailchimpSource,
  parseMailchimpEvents,
  verifyMailchimpWebhook,
} from '../../../lib/events/sources/mailchimp';
import { MalformedBodyError } from '../../../lib/events/webhook';
import { expectRobust } from './email-source-fuzz';
import { fixtureText, webhookRequest } from './email-webhook-request';

const TOKEN = 'mc-9f2c4e1a7b3d';
const URL = `https://hooks.example.com/webhooks/mailchimp?token=${TOKEN}`;
const secrets = { urlToken: TOKEN };
const now = new Date('2009-03-26T22:30:00Z');

/**
 * The documented samples list fields unencoded (`api+unsub@…`, spaces in fired_at); Mailchimp sends them
 * form-encoded, so each line is re-encoded as it would travel.
 */
function sampleFields(type: string): Record<string, string> {
  const line = fixtureText('mailchimp', 'marketing-webhooks.txt')
    .split('\n')
    .find((candidate) => candidate.startsWith(`type=${type}&`));
  if (!line) throw new Error(`no ${type} sample`);
  return Object.fromEntries(
    line.split('&').map((pair) => [pair.slice(0, pair.indexOf('=')), pair.slice(pair.indexOf('=') + 1)]),
  );
}

const request = (fields: Record<string, string>, url = URL) =>
  webhookRequest({ url, body: new URLSearchParams(fields).toString() });
const parse = (fields: Record<string, string>) => parseMailchimpEvents(request(fields), now);
const HASH = /^[0-9a-f]{64}$/;

describe('verifyMailchimpWebhook', () => {
  it('accepts a request whose URL carries the configured token', () => {
    expect(verifyMailchimpWebhook(request(sampleFields('subscribe')), secrets, now)).toEqual({ ok: true });
  });

  it('accepts Mailchimp’s GET validation of the same URL (nothing in the body to check)', () => {
    const probe = webhookRequest({ method: 'GET', url: URL, body: '' });

    expect(verifyMailchimpWebhook(probe, secrets, now).ok).toBe(true);
  });

  it('compares the decoded token, alongside other query parameters', () => {
    const token = 'a+b/c=d';
    const url = `https://hooks.example.com/webhooks/mailchimp?list=news&token=${encodeURIComponent(token)}`;

    expect(verifyMailchimpWebhook(request({}, url), { urlToken: token }, now).ok).toBe(true);
  });

  it.each([
    [
      'a wrong token',
      `https://hooks.example.com/webhooks/mailchimp?token=mc-guess`,
      'mailchimp: URL token mismatch',
    ],
    [
      'a token differing only in case',
      `https://hooks.example.com/webhooks/mailchimp?token=${TOKEN.toUpperCase()}`,
      'mailchimp: URL token mismatch',
    ],
    [
      'no token',
      'https://hooks.example.com/webhooks/mailchimp',
      'mailchimp: URL needs exactly one token parameter',
    ],
    ['two tokens', `${URL}&token=mc-guess`, 'mailchimp: URL needs exactly one token parameter'],
    ['a relative URL', `/webhooks/mailchimp?token=${TOKEN}`, 'mailchimp: request URL is not absolute'],
  ])('rejects %s', (_label, url, reason) => {
    expect(verifyMailchimpWebhook(request({}, url), secrets, now)).toEqual({ ok: false, reason });
  });

  it('rejects everything when no token is configured', () => {
    const url = 'https://hooks.example.com/webhooks/mailchimp?token=';

    expect(verifyMailchimpWebhook(request({}, url), { urlToken: '' }, now)).toEqual({
      ok: false,
      reason: 'mailchimp: no URL token configured',
    });
  });
});

describe('parseMailchimpEvents', () => {
  it('maps subscribe to email.subscribed at fired_at read as UTC', () => {
    expect(parse(sampleFields('subscribe'))).toEqual({
      ignored: 0,
      events: [
        {
          source: 'mailchimp',
          sourceEventId: expect.stringMatching(HASH),
          type: 'email.subscribed',
          occurredAt: '2009-03-26T21:35:57.000Z',
          who: { email: 'api@mailchimp.com' },
          fields: { listId: 'a6b5da1054' },
        },
      ],
    });
  });

  it('maps unsubscribe to email.unsubscribed with its reason, action and campaign', () => {
    const [event] = parse(sampleFields('unsubscribe')).events;

    expect(event).toEqual({
      source: 'mailchimp',
      sourceEventId: expect.stringMatching(HASH),
      type: 'email.unsubscribed',
      occurredAt: '2009-03-26T21:40:57.000Z',
      who: { email: 'api+unsub@mailchimp.com' },
      fields: { listId: 'a6b5da1054', reason: 'manual', action: 'unsub', campaign: 'cb398d21d2' },
    });
  });

  it('maps a cleaned (hard-bouncing) address to a hard bounce', () => {
    const [event] = parse(sampleFields('cleaned')).events;

    expect(event).toEqual({
      source: 'mailchimp',
      sourceEventId: expect.stringMatching(HASH),
      type: 'email.bounced',
      occurredAt: '2009-03-26T22:01:00.000Z',
      who: { email: 'api+cleaned@mailchimp.com' },
      fields: { listId: 'a6b5da1054', reason: 'hard', campaign: '4fjk2ma9xd', bounceKind: 'hard' },
    });
  });

  it('maps an address cleaned for abuse to email.spam_reported', () => {
    const [event] = parse({ ...sampleFields('cleaned'), 'data[reason]': 'abuse' }).events;

    expect(event?.type).toBe('email.spam_reported');
    expect(event?.fields).toEqual({ listId: 'a6b5da1054', reason: 'abuse', campaign: '4fjk2ma9xd' });
  });

  it.each(['profile', 'upemail', 'campaign'])('counts %s as ignored', (type) => {
    expect(parse(sampleFields(type))).toEqual({ events: [], ignored: 1 });
  });

  it('counts an unknown type as ignored', () => {
    expect(parse({ ...sampleFields('subscribe'), type: 'hasOwnProperty' })).toEqual({
      events: [],
      ignored: 1,
    });
  });

  it('produces events that pass LeadEventSchema', () => {
    for (const type of ['subscribe', 'unsubscribe', 'cleaned']) {
      const [event] = parse(sampleFields(type)).events;
      expect(LeadEventSchema.safeParse(event).success).toBe(true);
    }
  });

  describe('sourceEventId (Mailchimp sends no event id)', () => {
    const idOf = (fields: Record<string, string>) => parse(fields).events[0]?.sourceEventId;

    it('is the same when the same webhook is retried', () => {
      expect(idOf(sampleFields('unsubscribe'))).toBe(idOf(sampleFields('unsubscribe')));
    });

    it('ignores the email address’s case, as the lead does', () => {
      const upper = { ...sampleFields('unsubscribe'), 'data[email]': 'API+Unsub@MailChimp.com' };

      expect(idOf(upper)).toBe(idOf(sampleFields('unsubscribe')));
    });

    it.each([
      ['fired_at', '2009-03-26 21:40:58'],
      ['data[email]', 'someone.else@example.com'],
      ['data[reason]', 'abuse'],
      ['data[campaign_id]', 'other'],
      ['data[list_id]', 'other'],
    ])('differs when %s differs', (field, value) => {
      expect(idOf({ ...sampleFields('unsubscribe'), [field]: value })).not.toBe(
        idOf(sampleFields('unsubscribe')),
      );
    });

    it('does not contain the email address', () => {
      expect(idOf(sampleFields('subscribe'))).not.toContain('mailchimp.com');
    });
  });

  it.each([
    ['no type', { 'data[email]': 'a@example.com', fired_at: '2009-03-26 21:35:57' }],
    ['no fired_at', { type: 'subscribe', 'data[email]': 'a@example.com' }],
    ['fired_at in ISO form', { type: 'subscribe', 'data[email]': 'a@b.c', fired_at: '2009-03-26T21:35:57Z' }],
    [
      'fired_at that is no date',
      { type: 'subscribe', 'data[email]': 'a@b.c', fired_at: '2009-13-45 25:61:00' },
    ],
    ['a subscribe without data[email]', { type: 'subscribe', fired_at: '2009-03-26 21:35:57' }],
    [
      'a day that does not exist',
      { type: 'subscribe', 'data[email]': 'a@b.c', fired_at: '2027-02-30 09:00:00' },
    ],
  ])('refuses %s as malformed', (_label, fields) => {
    expect(() => parse(fields)).toThrow(MalformedBodyError);
  });

  it('says a JSON body is not what Mailchimp sends', () => {
    const body = JSON.stringify({ type: 'subscribe', fired_at: '2009-03-26 21:35:57' });

    expect(() => parseMailchimpEvents(webhookRequest({ url: URL, body }), now)).toThrow(
      'mailchimp: body is JSON; Mailchimp posts form fields (application/x-www-form-urlencoded)',
    );
  });

  it('refuses a repeated field as malformed', () => {
    const body = 'type=subscribe&type=unsubscribe&fired_at=2009-03-26+21%3A35%3A57&data%5Bemail%5D=a%40b.c';

    expect(() => parseMailchimpEvents(webhookRequest({ url: URL, body }), now)).toThrow(MalformedBodyError);
  });
});

describe('mailchimpSource', () => {
  it('is routed at /webhooks/mailchimp and wires the verify and parse functions', () => {
    expect(mailchimpSource).toMatchObject({
      source: 'mailchimp',
      route: '/webhooks/mailchimp',
      verify: verifyMailchimpWebhook,
      parse: parseMailchimpEvents,
    });
  });
});

describe('mailchimpSource under fuzzing', () => {
  it('verifies any body without throwing and parses it to valid events or a MalformedBodyError', () => {
    const seeds = ['subscribe', 'unsubscribe', 'cleaned', 'profile'].map((type) =>
      new URLSearchParams(sampleFields(type)).toString(),
    );

    expectRobust(mailchimpSource, { url: URL, secrets, now, seeds });
  });
});
