import { snsSubscriptionToConfirm } from '../../../lib/events/sources/sns-subscription';
import { verifySnsMessage } from '../../../lib/events/sources/sns-signature';
import {
  signedConfirmation,
  signedNotification,
  snsRequest,
  TEST_NOW,
  TEST_SECRETS,
  TEST_TOPIC_ARN,
} from '../../support/sns-envelopes';

describe('snsSubscriptionToConfirm', () => {
  it('gives the SubscribeURL and topic of a verified SubscriptionConfirmation', () => {
    const subscribeUrl = `https://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&TopicArn=${TEST_TOPIC_ARN}&Token=2336412f37f`;
    const request = snsRequest(signedConfirmation('SubscriptionConfirmation', subscribeUrl));

    expect(verifySnsMessage(request, TEST_SECRETS, TEST_NOW)).toEqual({ ok: true });
    expect(snsSubscriptionToConfirm(request)).toEqual({ subscribeUrl, topicArn: TEST_TOPIC_ARN });
  });

  it('gives nothing for notifications and unsubscribe confirmations', () => {
    expect(snsSubscriptionToConfirm(snsRequest(signedNotification({ eventType: 'Open' })))).toBeUndefined();
    expect(
      snsSubscriptionToConfirm(snsRequest(signedConfirmation('UnsubscribeConfirmation'))),
    ).toBeUndefined();
    expect(snsSubscriptionToConfirm(snsRequest('not json'))).toBeUndefined();
  });

  it.each([
    ['http', 'http://sns.us-east-1.amazonaws.com/?Action=ConfirmSubscription&Token=t'],
    ['a look-alike host', 'https://sns.us-east-1.amazonaws.com.evil.com/?Action=ConfirmSubscription&Token=t'],
    ['userinfo', 'https://sns.us-east-1.amazonaws.com@evil.com/?Action=ConfirmSubscription&Token=t'],
    ['another host', 'https://evil.com/?Action=ConfirmSubscription&Token=t'],
    ['another port', 'https://sns.us-east-1.amazonaws.com:8443/?Action=ConfirmSubscription&Token=t'],
    ['another action', 'https://sns.us-east-1.amazonaws.com/?Action=Unsubscribe&Token=t'],
  ])('refuses a SubscribeURL with %s, even when signed', (_name, subscribeUrl) => {
    expect(
      snsSubscriptionToConfirm(snsRequest(signedConfirmation('SubscriptionConfirmation', subscribeUrl))),
    ).toBe(undefined);
  });

  it('accepts a China-region SubscribeURL', () => {
    const subscribeUrl = 'https://sns.cn-north-1.amazonaws.com.cn/?Action=ConfirmSubscription&Token=t';

    expect(
      snsSubscriptionToConfirm(snsRequest(signedConfirmation('SubscriptionConfirmation', subscribeUrl))),
    ).toEqual({ subscribeUrl, topicArn: TEST_TOPIC_ARN });
  });
});
