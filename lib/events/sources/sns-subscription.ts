/** What to GET to confirm an SNS subscription once its SubscriptionConfirmation message has been verified. */
import type { WebhookRequest } from '../webhook';
import { isSnsSubscribeUrl, parseSnsEnvelope } from './sns-envelope';

export interface SnsSubscriptionToConfirm {
  readonly subscribeUrl: string;
  readonly topicArn: string;
}

/**
 * The SubscribeURL and topic of a SubscriptionConfirmation, or undefined for any other message or a
 * SubscribeURL that is not https on an SNS host. Call it only after verifySnsMessage accepted the request:
 * the URL is signed, so a verified one is exactly what SNS sent.
 */
export function snsSubscriptionToConfirm(request: WebhookRequest): SnsSubscriptionToConfirm | undefined {
  const envelope = parseSnsEnvelope(request.rawBody);
  if (envelope?.Type !== 'SubscriptionConfirmation' || envelope.SubscribeURL === undefined) return undefined;
  if (!isSnsSubscribeUrl(envelope.SubscribeURL)) return undefined;
  return { subscribeUrl: envelope.SubscribeURL, topicArn: envelope.TopicArn };
}
