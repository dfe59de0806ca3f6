import { generateKeyPairSync } from 'node:crypto';
import {
  SNS_MAX_MESSAGE_AGE_MS,
  snsSigningCertUrl,
  snsStringToSign,
  verifySnsMessage,
} from '../../../lib/events/sources/sns-signature';
import {
  sign,
  signedConfirmation,
  signedNotification,
  snsRequest,
  TEST_CERT_PEM,
  TEST_CERT_URL,
  TEST_NOW,
  TEST_SECRETS,
  TEST_TOPIC_ARN,
  type Envelope,
} from '../../support/sns-envelopes';

const sesRecord = { eventType: 'Open', mail: { messageId: 'm-1', destination: ['a@example.com'] } };

function verdictOf(envelope: Envelope | string, headers: Record<string, string> = {}, now = TEST_NOW) {
  return verifySnsMessage(snsRequest(envelope, headers), TEST_SECRETS, now);
}

describe('snsStringToSign', () => {
  it('builds the Notification string of the AWS docs example, Subject included', () => {
    const envelope = {
      Type: 'Notification',
      MessageId: '4d4dc071-ddbf-465d-bba8-08f81c89da64',
      TopicArn: 'arn:aws:sns:us-east-2:123456789012:s4-MySNSTopic-1G1WEFCOXTC0P',
      Subject: 'My subject',
      Message: 'My Test Message',
      Timestamp: '2019-01-31T04:37:04.321Z',
      SignatureVersion: '1',
      Signature: 'x',
      SigningCertURL: TEST_CERT_URL,
    };

    expect(snsStringToSign(envelope)).toBe(
      'Message\nMy Test Message\nMessageId\n4d4dc071-ddbf-465d-bba8-08f81c89da64\nSubject\nMy subject\n' +
        'Timestamp\n2019-01-31T04:37:04.321Z\n' +
        'TopicArn\narn:aws:sns:us-east-2:123456789012:s4-MySNSTopic-1G1WEFCOXTC0P\nType\nNotification\n',
    );
  });

  it('builds the SubscriptionConfirmation string with SubscribeURL and Token, without Subject', () => {
    const envelope = {
      Type: 'SubscriptionConfirmation',
      MessageId: '3d891288-136d-417f-bc05-901c108273ee',
      Token: '233',
      TopicArn: 'arn:aws:sns:us-east-2:123456789012:T',
      Subject: 'ignored for confirmations',
      Message: 'My Test Message',
      SubscribeURL: 'https://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription&Token=233',
      Timestamp: '2019-01-31T19:25:13.719Z',
      SignatureVersion: '1',
      Signature: 'x',
      SigningCertURL: TEST_CERT_URL,
    };

    expect(snsStringToSign(envelope)).toBe(
      'Message\nMy Test Message\nMessageId\n3d891288-136d-417f-bc05-901c108273ee\n' +
        'SubscribeURL\nhttps://sns.us-east-2.amazonaws.com/?Action=ConfirmSubscription&Token=233\n' +
        'Timestamp\n2019-01-31T19:25:13.719Z\nToken\n233\nTopicArn\narn:aws:sns:us-east-2:123456789012:T\n' +
        'Type\nSubscriptionConfirmation\n',
    );
  });
});

describe('verifySnsMessage', () => {
  it.each(['1', '2'] as const)('accepts a genuine SignatureVersion %s notification', (version) => {
    expect(verdictOf(signedNotification(sesRecord, { version }))).toEqual({ ok: true });
  });

  it('accepts a notification with a Subject and one without', () => {
    expect(
      verdictOf(signedNotification(sesRecord, { subject: 'Amazon SES Email Event Notification' })),
    ).toEqual({
      ok: true,
    });
    expect(verdictOf(signedNotification(sesRecord))).toEqual({ ok: true });
  });

  it('accepts a Message with newlines and non-ASCII text once JSON-unescaped', () => {
    expect(verdictOf(signedNotification('line one\nligne deux — ünïcødé "quoted"'))).toEqual({ ok: true });
  });

  it('accepts a verified SubscriptionConfirmation and UnsubscribeConfirmation', () => {
    expect(verdictOf(signedConfirmation('SubscriptionConfirmation'))).toEqual({ ok: true });
    expect(verdictOf(signedConfirmation('UnsubscribeConfirmation'))).toEqual({ ok: true });
  });

  const mismatch = 'sns: signature mismatch';
  const tampers: [string, (envelope: Envelope) => Envelope, string][] = [
    ['Message', (e) => ({ ...e, Message: e.Message!.replace('Open', 'Click') }), mismatch],
    ['Subject', (e) => ({ ...e, Subject: 'Another subject' }), mismatch],
    ['Timestamp', (e) => ({ ...e, Timestamp: '2027-01-15T09:59:59.123Z' }), mismatch],
    ['MessageId', (e) => ({ ...e, MessageId: 'another-id' }), mismatch],
    ['Type', (e) => ({ ...e, Type: 'SubscriptionConfirmation' }), 'sns: a signed field is missing'],
  ];

  it.each(tampers)('rejects a notification whose %s was tampered with', (_field, tamper, reason) => {
    const tampered = tamper(signedNotification(sesRecord, { subject: 'Original subject' }));

    const verdict = verdictOf(tampered, { 'x-amz-sns-message-type': tampered.Type! });

    expect(verdict).toEqual({ ok: false, reason });
  });

  it('rejects a Subject added to or removed from a signed notification', () => {
    const withoutSubject = signedNotification(sesRecord);
    const withSubject = signedNotification(sesRecord, { subject: 'S' });
    const { Subject: _removed, ...stripped } = withSubject;

    expect(verdictOf({ ...withoutSubject, Subject: 'S' })).toEqual({
      ok: false,
      reason: 'sns: signature mismatch',
    });
    expect(verdictOf(stripped)).toEqual({ ok: false, reason: 'sns: signature mismatch' });
  });

  it('rejects a SubscribeURL swapped in a signed confirmation', () => {
    const genuine = signedConfirmation();
    const forged = {
      ...genuine,
      SubscribeURL: genuine.SubscribeURL!.replace('Token=2336412f37f', 'Token=other'),
    };

    expect(verdictOf(forged)).toEqual({ ok: false, reason: 'sns: signature mismatch' });
  });

  it('rejects a message signed with a key other than the certificate', () => {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const { Signature: _s, SignatureVersion: _v, ...unsigned } = signedNotification(sesRecord);

    expect(verdictOf(sign(unsigned, '2', privateKey))).toEqual({
      ok: false,
      reason: 'sns: signature mismatch',
    });
  });

  it('rejects a SignatureVersion 2 signature relabelled as version 1', () => {
    const v2 = signedNotification(sesRecord, { version: '2' });

    expect(verdictOf({ ...v2, SignatureVersion: '1' })).toEqual({
      ok: false,
      reason: 'sns: signature mismatch',
    });
  });

  it('rejects unknown signature versions', () => {
    expect(verdictOf({ ...signedNotification(sesRecord), SignatureVersion: '3' })).toEqual({
      ok: false,
      reason: 'sns: unsupported signature version',
    });
  });

  it('rejects a topic outside the allowlist even when the signature is genuine', () => {
    const other = signedNotification(sesRecord, {
      topicArn: 'arn:aws:sns:us-east-1:999999999999:ses-events',
    });

    expect(verdictOf(other)).toEqual({ ok: false, reason: 'sns: topic not allowed' });
  });

  it('rejects a message whose type or topic headers disagree with the body', () => {
    const genuine = signedNotification(sesRecord);

    expect(verdictOf(genuine, { 'x-amz-sns-message-type': 'SubscriptionConfirmation' }).ok).toBe(false);
    expect(verdictOf(genuine, { 'x-amz-sns-topic-arn': 'arn:aws:sns:us-east-1:1:other' }).ok).toBe(false);
    expect(verdictOf(genuine, { 'x-amz-sns-topic-arn': TEST_TOPIC_ARN })).toEqual({ ok: true });
  });

  it('accepts a message exactly one hour old and rejects one a millisecond older', () => {
    const timestamp = '2027-01-15T09:00:00.000Z';
    const oneHourLater = new Date(Date.parse(timestamp) + SNS_MAX_MESSAGE_AGE_MS);
    const envelope = signedNotification(sesRecord, { timestamp });

    expect(verdictOf(envelope, {}, oneHourLater)).toEqual({ ok: true });
    expect(verdictOf(envelope, {}, new Date(oneHourLater.getTime() + 1))).toEqual({
      ok: false,
      reason: 'sns: stale timestamp',
    });
  });

  it('rejects a timestamp more than five minutes ahead of the clock, and one that is not a date', () => {
    expect(verdictOf(signedNotification(sesRecord, { timestamp: '2027-01-15T10:05:01.000Z' })).ok).toBe(
      false,
    );
    expect(verdictOf(signedNotification(sesRecord, { timestamp: '2027-01-15T10:04:59.000Z' })).ok).toBe(true);
    expect(verdictOf(signedNotification(sesRecord, { timestamp: 'yesterday' }))).toEqual({
      ok: false,
      reason: 'sns: bad timestamp',
    });
  });

  it("answers 'certificate not available' when the certificate was not fetched", () => {
    const secrets = { topicArns: [TEST_TOPIC_ARN], certificates: new Map<string, string>() };

    const verdict = verifySnsMessage(snsRequest(signedNotification(sesRecord)), secrets, TEST_NOW);

    expect(verdict).toEqual({ ok: false, reason: 'certificate not available' });
  });

  it('fails before the certificate lookup for a stale message, so no fetch is triggered', () => {
    const secrets = { topicArns: [TEST_TOPIC_ARN], certificates: new Map<string, string>() };
    const stale = signedNotification(sesRecord, { timestamp: '2027-01-15T08:00:00.000Z' });

    expect(verifySnsMessage(snsRequest(stale), secrets, TEST_NOW)).toEqual({
      ok: false,
      reason: 'sns: stale timestamp',
    });
  });

  it('rejects a certificate outside its validity period', () => {
    const in2200 = new Date('2200-01-01T00:00:00.000Z');
    const envelope = signedNotification(sesRecord, { timestamp: '2200-01-01T00:00:00.000Z' });

    expect(verdictOf(envelope, {}, in2200)).toEqual({
      ok: false,
      reason: 'sns: certificate expired or not yet valid',
    });
  });

  it('never throws on garbage: not JSON, not an envelope, an unknown Type, a broken certificate', () => {
    const broken = { topicArns: [TEST_TOPIC_ARN], certificates: new Map([[TEST_CERT_URL, 'not a pem']]) };

    expect(verdictOf('not json').ok).toBe(false);
    expect(verdictOf('[1,2]').ok).toBe(false);
    expect(verdictOf({ ...signedNotification(sesRecord), Type: 'Notice' }).ok).toBe(false);
    expect(verdictOf({ ...signedNotification(sesRecord), Signature: '%%%' }).ok).toBe(false);
    expect(verifySnsMessage(snsRequest(signedNotification(sesRecord)), broken, TEST_NOW)).toEqual({
      ok: false,
      reason: 'sns: verification failed',
    });
  });

  it('rejects a confirmation missing its Token', () => {
    const { Token: _t, ...withoutToken } = signedConfirmation();

    expect(verdictOf(withoutToken)).toEqual({ ok: false, reason: 'sns: a signed field is missing' });
  });
});

describe('SigningCertURL checks', () => {
  const lookAlikes = [
    ['http scheme', 'http://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['suffix domain', 'https://sns.us-east-1.amazonaws.com.evil.com/SimpleNotificationService-abc.pem'],
    ['userinfo', 'https://sns.us-east-1.amazonaws.com@evil.com/SimpleNotificationService-abc.pem'],
    [
      'userinfo before the SNS host',
      'https://evil.com@sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem',
    ],
    ['backslash', 'https://evil.com\\@sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['encoded dot', 'https://sns.us-east-1.amazonaws.com%2eevil.com/SimpleNotificationService-abc.pem'],
    ['no region', 'https://sns.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['other service', 'https://s3.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['prefix domain', 'https://evilsns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['sub-subdomain', 'https://x.sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['trailing dot', 'https://sns.us-east-1.amazonaws.com./SimpleNotificationService-abc.pem'],
    ['explicit port', 'https://sns.us-east-1.amazonaws.com:8443/SimpleNotificationService-abc.pem'],
    ['default port spelled out', 'https://sns.us-east-1.amazonaws.com:443/SimpleNotificationService-abc.pem'],
    ['upper case host', 'https://SNS.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['not a .pem', 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem.exe'],
    ['query string', 'https://sns.us-east-1.amazonaws.com/x?file=SimpleNotificationService-abc.pem'],
    ['fragment', 'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem#x'],
    ['leading space', ' https://sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
    ['ip address', 'https://52.94.0.1/SimpleNotificationService-abc.pem'],
    ['not a URL', 'sns.us-east-1.amazonaws.com/SimpleNotificationService-abc.pem'],
  ];

  it.each(lookAlikes)('rejects %s', (_name, url) => {
    const secrets = { topicArns: [TEST_TOPIC_ARN], certificates: new Map([[url, TEST_CERT_PEM]]) };
    const { Signature: _s, SignatureVersion: _v, ...rest } = signedNotification(sesRecord);
    const envelope = sign({ ...rest, SigningCertURL: url });

    expect(verifySnsMessage(snsRequest(envelope), secrets, TEST_NOW)).toEqual({
      ok: false,
      reason: 'sns: untrusted signing certificate URL',
    });
    expect(snsSigningCertUrl(snsRequest(envelope))).toBeUndefined();
  });

  it.each([
    'https://sns.us-east-1.amazonaws.com/SimpleNotificationService-9c6465fa7f48f5cacd23014631ec1136.pem',
    'https://sns.eu-central-1.amazonaws.com/SimpleNotificationService-01d088a6f77103d0fe307c0069e40ed6.pem',
    'https://sns.us-gov-west-1.amazonaws.com/SimpleNotificationService-abc.pem',
    'https://sns.cn-north-1.amazonaws.com.cn/SimpleNotificationService-abc.pem',
  ])('extracts the genuine-looking %s', (url) => {
    const envelope = { ...signedNotification(sesRecord), SigningCertURL: url };

    expect(snsSigningCertUrl(snsRequest(envelope))).toBe(url);
  });

  it('extracts nothing from a body that is not JSON or has no SigningCertURL', () => {
    expect(snsSigningCertUrl(snsRequest('not json'))).toBeUndefined();
    expect(snsSigningCertUrl(snsRequest('{"SigningCertURL": 42}'))).toBeUndefined();
    expect(snsSigningCertUrl(snsRequest('null'))).toBeUndefined();
  });
});
