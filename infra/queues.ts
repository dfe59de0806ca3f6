/** The events and write-back queues, each with its DLQ, from the pipeline spec the local runner also reads. */
import { Duration } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { EVENTS_QUEUE, WRITEBACK_QUEUE, type QueueSpec } from '../lib/pipeline-spec';

/** SQS's longest retention: an operator has two weeks to look at and redrive dead letters. */
const DLQ_RETENTION = Duration.days(14);

export interface QueueWithDlq {
  readonly spec: QueueSpec;
  readonly queue: sqs.Queue;
  readonly dlq: sqs.Queue;
}

export class Queues extends Construct {
  readonly events: QueueWithDlq;
  readonly writeBack: QueueWithDlq;

  constructor(scope: Construct, id: string) {
    super(scope, id);
    this.events = queueWithDlq(this, 'Events', EVENTS_QUEUE);
    this.writeBack = queueWithDlq(this, 'WriteBack', WRITEBACK_QUEUE);
  }

  get all(): readonly QueueWithDlq[] {
    return [this.events, this.writeBack];
  }
}

// SQS-managed SSE: encrypted at rest without a KMS key to pay for, and SNS/EventBridge need no key grants.
const secured = {
  encryption: sqs.QueueEncryption.SQS_MANAGED,
  enforceSSL: true,
} as const;

function queueWithDlq(scope: Construct, id: string, spec: QueueSpec): QueueWithDlq {
  const dlq = new sqs.Queue(scope, `${id}Dlq`, { ...secured, retentionPeriod: DLQ_RETENTION });
  const queue = new sqs.Queue(scope, `${id}Queue`, {
    ...secured,
    visibilityTimeout: Duration.seconds(spec.visibilityTimeoutSeconds),
    retentionPeriod: Duration.days(spec.retentionDays),
    deadLetterQueue: { queue: dlq, maxReceiveCount: spec.maxReceiveCount },
  });
  return { spec, queue, dlq };
}
