import { LEAD_EVENT_TYPES, LeadEventSchema } from '../../../lib/events/lead-event';
import {
  parseQueuedSesNotification,
  parseSesEvents,
  SES_EVENT_TYPES,
  sesSource,
} from '../../../lib/events/sources/ses';
import { MalformedBodyError } from '../../../lib/events/webhook';
import {
  fixtureRecord,
  signedConfirmation,
  signedNotification,
  snsRequest,
  TEST_NOW,
  TEST_SECRETS,
  type NotificationOptions,
} from '../../support/sns-envelopes';

const SNS_ID = '7d6f7a3e-2b1c-4d5e-9f00-aa11bb22cc33';
const DOCS_MAIL_ID = 'EXAMPLE7c191be45-e9aedb9a-02f9-4d12-a87d-dd0099a07f8a-000000';

function parseRecord(record: object | string, options: NotificationOptions = {}) {
  return parseSesEvents(snsRequest(signedNotification(record, { messageId: SNS_ID, ...options })), TEST_NOW);
}

/** Shallow-path setter for the copied fixtures (each test mutates its own copy). */
function withPath(record: Record<string, unknown>, path: string[], value: unknown): Record<string, unknown> {
  let node = record;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
  node[path.at(-1)!] = value;
  return record;
}

describe('parseSesEvents: event publishing records from the AWS docs', () => {
  it('maps an Open to email.opened for the destination, at the open time', () => {
    const batch = parseRecord(fixtureRecord('open-record.json'));

    expect(batch).toEqual({
      ignored: 0,
      events: [
        {
          source: 'ses',
          sourceEventId: `${SNS_ID}:0`,
          type: 'email.opened',
          occurredAt: '2017-08-09T22:00:19.652Z',
          who: { email: 'recipient@example.com' },
          fields: {
            messageId: DOCS_MAIL_ID,
            userAgent:
              'Mozilla/5.0 (iPhone; CPU iPhone OS 10_3_3 like Mac OS X) AppleWebKit/603.3.8 (KHTML, like Gecko) Mobile/14G60',
          },
        },
      ],
    });
  });

  it('maps a Click to email.clicked with the link as url and the campaign tag', () => {
    const record = fixtureRecord('click-record.json');
    withPath(record, ['mail', 'tags', 'campaign'], ['spring-launch']);

    const [event] = parseRecord(record).events;

    expect(event).toEqual({
      source: 'ses',
      sourceEventId: `${SNS_ID}:0`,
      type: 'email.clicked',
      occurredAt: '2017-08-09T23:51:25.570Z',
      who: { email: 'recipient@example.com' },
      fields: {
        url: 'http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html',
        campaign: 'spring-launch',
        messageId: DOCS_MAIL_ID,
        userAgent:
          'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/60.0.3112.90 Safari/537.36',
      },
    });
  });

  it('maps a Permanent Bounce to email.bounced, bounceKind hard, at the bounce time', () => {
    expect(parseRecord(fixtureRecord('bounce-record.json')).events).toEqual([
      {
        source: 'ses',
        sourceEventId: `${SNS_ID}:0`,
        type: 'email.bounced',
        occurredAt: '2017-08-05T00:41:02.669Z',
        who: { email: 'recipient@example.com' },
        fields: { bounceKind: 'hard', reason: 'General', messageId: DOCS_MAIL_ID },
      },
    ]);
  });

  it.each([
    ['Transient', 'MailboxFull'],
    ['Undetermined', 'Undetermined'],
  ])('maps a %s Bounce to bounceKind soft', (bounceType, bounceSubType) => {
    const record = fixtureRecord('bounce-record.json');
    withPath(record, ['bounce', 'bounceType'], bounceType);
    withPath(record, ['bounce', 'bounceSubType'], bounceSubType);

    const [event] = parseRecord(record).events;

    expect(event?.fields).toEqual({ bounceKind: 'soft', reason: bounceSubType, messageId: DOCS_MAIL_ID });
  });

  it('maps a Complaint to email.spam_reported with the feedback type as reason', () => {
    expect(parseRecord(fixtureRecord('complaint-record.json')).events).toEqual([
      {
        source: 'ses',
        sourceEventId: `${SNS_ID}:0`,
        type: 'email.spam_reported',
        occurredAt: '2017-08-05T00:41:02.669Z',
        who: { email: 'recipient@example.com' },
        fields: { reason: 'abuse', messageId: DOCS_MAIL_ID },
      },
    ]);
  });

  it('ignores a complaint SES raised for an address already on the suppression list', () => {
    const record = fixtureRecord('complaint-record.json');
    withPath(record, ['complaint', 'complaintSubType'], 'OnAccountSuppressionList');

    expect(parseRecord(record)).toEqual({ events: [], ignored: 1 });
  });

  it('maps a Delivery to email.delivered for each delivered recipient', () => {
    expect(parseRecord(fixtureRecord('delivery-record.json')).events).toEqual([
      {
        source: 'ses',
        sourceEventId: `${SNS_ID}:0`,
        type: 'email.delivered',
        occurredAt: '2016-10-19T23:21:04.133Z',
        who: { email: 'recipient@example.com' },
        fields: { messageId: DOCS_MAIL_ID },
      },
    ]);
  });

  it('maps an unsubscribe-all Subscription to email.unsubscribed', () => {
    expect(parseRecord(fixtureRecord('subscription-record.json')).events).toEqual([
      {
        source: 'ses',
        sourceEventId: `${SNS_ID}:0`,
        type: 'email.unsubscribed',
        occurredAt: '2022-01-12T01:00:17.910Z',
        who: { email: 'recipient@example.com' },
        fields: {
          contactList: 'ContactListName',
          unsubscribeAll: true,
          messageId: 'EXAMPLEe4bccb684-777bc8de-afa7-4970-92b0-f515137b1497-000000',
        },
      },
    ]);
  });

  it('maps a Subscription opting out of one topic, naming the topic', () => {
    const record = fixtureRecord('subscription-record.json');
    withPath(record, ['subscription', 'newTopicPreferences', 'unsubscribeAll'], false);
    withPath(
      record,
      ['subscription', 'oldTopicPreferences', 'topicSubscriptionStatus'],
      [{ topicName: 'ExampleTopicName', subscriptionStatus: 'OptIn' }],
    );

    const [event] = parseRecord(record).events;

    expect(event?.type).toBe('email.unsubscribed');
    expect(event?.fields).toMatchObject({ unsubscribeAll: false, topics: 'ExampleTopicName' });
  });

  it('ignores a Subscription that only opts in', () => {
    const record = fixtureRecord('subscription-record.json');
    withPath(record, ['subscription', 'newTopicPreferences'], {
      unsubscribeAll: false,
      topicSubscriptionStatus: [{ topicName: 'ExampleTopicName', subscriptionStatus: 'OptIn' }],
    });

    expect(parseRecord(record)).toEqual({ events: [], ignored: 1 });
  });

  it.each([
    'send-record.json',
    'reject-record.json',
    'rendering-failure-record.json',
    'delivery-delay-record.json',
  ])('accepts and counts %s as ignored', (name) => {
    expect(parseRecord(fixtureRecord(name))).toEqual({ events: [], ignored: 1 });
  });

  it('ignores the subscription-succeeded notice and event types SES may add later', () => {
    const notice = {
      notificationType: 'AmazonSnsSubscriptionSucceeded',
      message: 'You have successfully subscribed',
    };

    expect(parseRecord(notice)).toEqual({ events: [], ignored: 1 });
    expect(parseRecord({ eventType: 'Teleport', mail: {} })).toEqual({ events: [], ignored: 1 });
    expect(parseRecord({ eventType: 'constructor' })).toEqual({ events: [], ignored: 1 });
  });
});

describe('parseSesEvents: several recipients', () => {
  it('gives one bounce per bounced recipient, not per destination (legacy notification)', () => {
    const batch = parseRecord(fixtureRecord('legacy-bounce-notification.json'));

    const expectedFields = {
      bounceKind: 'hard',
      reason: 'General',
      messageId: '00000137860315fd-34208509-5b74-41f3-95c5-22c1edc3c924-000000',
    };
    expect(batch).toEqual({
      ignored: 0,
      events: [
        {
          source: 'ses',
          sourceEventId: `${SNS_ID}:0`,
          type: 'email.bounced',
          occurredAt: '2016-01-27T14:59:38.237Z',
          who: { email: 'jane@example.com' },
          fields: expectedFields,
        },
        {
          source: 'ses',
          sourceEventId: `${SNS_ID}:1`,
          type: 'email.bounced',
          occurredAt: '2016-01-27T14:59:38.237Z',
          who: { email: 'richard@example.com' },
          fields: expectedFields,
        },
      ],
    });
  });

  it('gives the complained and delivered recipients of legacy notifications', () => {
    const complaint = parseRecord(fixtureRecord('legacy-complaint-notification.json')).events;
    const delivery = parseRecord(fixtureRecord('legacy-delivery-notification.json')).events;

    expect(complaint.map((e) => [e.type, e.who.email, e.fields?.reason])).toEqual([
      ['email.spam_reported', 'richard@example.com', 'abuse'],
    ]);
    expect(delivery.map((e) => [e.type, e.who.email, e.occurredAt])).toEqual([
      ['email.delivered', 'jane@example.com', '2016-01-27T14:59:38.237Z'],
    ]);
  });

  it('gives one open per destination address, lower-cased', () => {
    const record = fixtureRecord('open-record.json');
    withPath(record, ['mail', 'destination'], ['Ann@Example.com', 'bob@example.com']);

    const events = parseRecord(record).events;

    expect(events.map((e) => [e.sourceEventId, e.who.email])).toEqual([
      [`${SNS_ID}:0`, 'ann@example.com'],
      [`${SNS_ID}:1`, 'bob@example.com'],
    ]);
  });
});

describe('parseSesEvents: ids, times and the envelope', () => {
  it('gives the same ids to an SNS retry and different ids to another message', () => {
    const record = fixtureRecord('delivery-record.json');

    const first = parseRecord(record).events.map((e) => e.sourceEventId);
    const retry = parseRecord(record, { timestamp: '2027-01-15T09:59:59.000Z' }).events.map(
      (e) => e.sourceEventId,
    );
    const other = parseRecord(record, { messageId: 'another-sns-message' }).events.map(
      (e) => e.sourceEventId,
    );

    expect(retry).toEqual(first);
    expect(other).toEqual(['another-sns-message:0']);
  });

  it('falls back to mail.timestamp, then to the SNS Timestamp, when the record has no time', () => {
    const withMailTime = fixtureRecord('open-record.json');
    delete (withMailTime.open as Record<string, unknown>).timestamp;
    const withoutAnyTime = structuredClone(withMailTime);
    delete (withoutAnyTime.mail as Record<string, unknown>).timestamp;

    expect(parseRecord(withMailTime).events[0]?.occurredAt).toBe('2017-08-09T21:59:49.927Z');
    expect(parseRecord(withoutAnyTime).events[0]?.occurredAt).toBe('2027-01-15T09:59:58.123Z');
  });

  it('produces events that satisfy the LeadEvent schema', () => {
    const names = [
      'open-record.json',
      'click-record.json',
      'bounce-record.json',
      'legacy-bounce-notification.json',
    ];

    for (const name of names) {
      for (const event of parseRecord(fixtureRecord(name)).events) {
        expect(LeadEventSchema.safeParse(event).success).toBe(true);
      }
    }
  });

  it('returns no events for subscription and unsubscribe confirmations', () => {
    const subscribe = snsRequest(signedConfirmation('SubscriptionConfirmation'));
    const unsubscribe = snsRequest(signedConfirmation('UnsubscribeConfirmation'));

    expect(parseSesEvents(subscribe, TEST_NOW)).toEqual({ events: [], ignored: 0 });
    expect(parseSesEvents(unsubscribe, TEST_NOW)).toEqual({ events: [], ignored: 0 });
  });
});

describe('parseSesEvents: malformed input', () => {
  const withoutKey = (name: string, path: string[]) => {
    const record = fixtureRecord(name);
    let node = record;
    for (const key of path.slice(0, -1)) node = node[key] as Record<string, unknown>;
    delete node[path.at(-1)!];
    return record;
  };

  it.each([
    ['a Message that is not JSON', 'Hello world!'],
    ['a Message that is a JSON array', '[1, 2]'],
    ['a record without eventType or notificationType', { mail: { messageId: 'm' } }],
    ['a bounce without bouncedRecipients', withoutKey('bounce-record.json', ['bounce', 'bouncedRecipients'])],
    [
      'a complaint without complainedRecipients',
      withoutKey('complaint-record.json', ['complaint', 'complainedRecipients']),
    ],
    ['a delivery without recipients', withoutKey('delivery-record.json', ['delivery', 'recipients'])],
    ['a click without its link', withoutKey('click-record.json', ['click', 'link'])],
    ['an open without mail.destination', withoutKey('open-record.json', ['mail', 'destination'])],
    ['an open without mail.messageId', withoutKey('open-record.json', ['mail', 'messageId'])],
    [
      'an open at a time that is not ISO-8601',
      withPath(fixtureRecord('open-record.json'), ['open', 'timestamp'], 'Tuesday'),
    ],
  ])('throws MalformedBodyError for %s', (_name, record) => {
    expect(() => parseRecord(record)).toThrow(MalformedBodyError);
  });

  it('throws MalformedBodyError for a body that is not an SNS envelope', () => {
    expect(() => parseSesEvents(snsRequest('not json'), TEST_NOW)).toThrow(MalformedBodyError);
    expect(() => parseSesEvents(snsRequest('{"Type":"Notification"}'), TEST_NOW)).toThrow(MalformedBodyError);
  });
});

describe('sesSource', () => {
  it('is routed at /webhooks/ses and verifies with SNS signatures', () => {
    const genuine = snsRequest(signedNotification(fixtureRecord('open-record.json')));
    const forged = snsRequest({ ...signedNotification(fixtureRecord('open-record.json')), Message: '{}' });

    expect(sesSource.source).toBe('ses');
    expect(sesSource.route).toBe('/webhooks/ses');
    expect(sesSource.verify(genuine, TEST_SECRETS, TEST_NOW)).toEqual({ ok: true });
    expect(sesSource.verify(forged, TEST_SECRETS, TEST_NOW).ok).toBe(false);
    expect(sesSource.parse(genuine, TEST_NOW).events).toHaveLength(1);
  });

  it('maps only onto the shared vocabulary', () => {
    const types = Object.values(SES_EVENT_TYPES).flatMap((mapping) =>
      mapping === null ? [] : [mapping.type],
    );

    expect(types.filter((type) => !(LEAD_EVENT_TYPES as readonly string[]).includes(type))).toEqual([]);
    expect(new Set(types)).toEqual(
      new Set([
        'email.delivered',
        'email.opened',
        'email.clicked',
        'email.bounced',
        'email.spam_reported',
        'email.unsubscribed',
      ]),
    );
  });
});

describe('parseQueuedSesNotification: SES through an SQS subscription (the SNS envelope as the body)', () => {
  it('gives the events the webhook gives for the same notification, ids included', () => {
    const envelope = signedNotification(fixtureRecord('click-record.json'), { messageId: SNS_ID });

    const queued = parseQueuedSesNotification(JSON.stringify(envelope));

    expect(queued).toEqual(parseSesEvents(snsRequest(envelope), TEST_NOW).events);
    expect(queued?.map((event) => event.sourceEventId)).toEqual([`${SNS_ID}:0`]);
  });

  it('is undefined for a body that is no SNS notification, so the worker reads it otherwise', () => {
    const confirmation = signedConfirmation();
    expect(parseQueuedSesNotification(JSON.stringify(confirmation))).toBeUndefined();
    expect(parseQueuedSesNotification('{"type":"email.opened"}')).toBeUndefined();
  });

  it('refuses a broken SES record inside a notification', () => {
    const envelope = signedNotification({ eventType: 'Open' }, { messageId: SNS_ID });
    expect(() => parseQueuedSesNotification(JSON.stringify(envelope))).toThrow(MalformedBodyError);
  });
});
