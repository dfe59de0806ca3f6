/**
 * SES by queue (`sesQueueTopicArns`): the events queue subscribed to the admin's SES SNS topics, so that SNS
 * puts each notification on the queue itself (raw delivery off: the message is the SNS envelope, which the
 * worker reads as the webhook would) instead of POSTing it to /webhooks/ses.
 */
import * as sns from 'aws-cdk-lib/aws-sns';
import { SqsSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface SesQueueSubscriptionsProps {
  /** The events queue (score-events consumes it). */
  readonly queue: sqs.IQueue;
  readonly topicArns: readonly string[];
}

export class SesQueueSubscriptions extends Construct {
  /** One per topic, in the order of `topicArns`. */
  readonly subscriptions: readonly sns.Subscription[];

  constructor(scope: Construct, id: string, props: SesQueueSubscriptionsProps) {
    super(scope, id);
    this.subscriptions = props.topicArns.map((topicArn) => {
      // Named by its ARN (topic names hold no `/`), not by its place in the list: reordering the setting
      // leaves every subscription as it is.
      const topic = sns.Topic.fromTopicArn(this, topicArn, topicArn);
      // SqsSubscription adds a queue policy statement for sns.amazonaws.com with `aws:SourceArn` = this
      // topic, and, the topic being imported, sets the subscription's Region from its ARN (a topic in
      // another region is subscribed there). SSE-SQS needs no key grant for SNS.
      return topic.addSubscription(new SqsSubscription(props.queue, { rawMessageDelivery: false }));
    });
  }
}
