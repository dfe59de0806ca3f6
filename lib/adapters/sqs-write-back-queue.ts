/** WriteBackQueue and DeadLetters on SQS: small JSON messages, batched. */
import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeadLetters, WriteBackHold, WriteBackQueue, WriteBackRequest } from '../leads/ports';
import { SqsBatchSender, type SqsBatchOptions } from './sqs-batch-sender';
import { sdkSendBatch } from './sqs-client';

export class SqsWriteBackQueue implements WriteBackQueue, WriteBackHold {
  private readonly sender: SqsBatchSender;

  constructor(client: SQSClient, queueUrl: string, options: SqsBatchOptions = {}) {
    this.sender = new SqsBatchSender(sdkSendBatch(client), queueUrl, options);
  }

  async announce(requests: readonly WriteBackRequest[]): Promise<void> {
    await this.sender.send(
      requests.map((request, index) => ({ Id: String(index), MessageBody: JSON.stringify(request) })),
    );
  }

  /** New messages (their receive count starts again) delivered no sooner than `delaySeconds` (≤ 900). */
  async hold(bodies: readonly string[], delaySeconds: number): Promise<void> {
    await this.sender.send(
      bodies.map((body, index) => ({ Id: String(index), MessageBody: body, DelaySeconds: delaySeconds })),
    );
  }
}

/** Sends messages that can never succeed to a DLQ with the reason as a message attribute. */
export class SqsDeadLetters implements DeadLetters {
  private readonly sender: SqsBatchSender;

  constructor(client: SQSClient, queueUrl: string, options: SqsBatchOptions = {}) {
    this.sender = new SqsBatchSender(sdkSendBatch(client), queueUrl, options);
  }

  async send(items: readonly { readonly body: string; readonly reason: string }[]): Promise<void> {
    await this.sender.send(
      items.map(({ body, reason }, index) => ({
        Id: String(index),
        // The body came out of SQS, so SQS takes it back as it is.
        MessageBody: body,
        MessageAttributes: { reason: { DataType: 'String', StringValue: reason.slice(0, 1000) } },
      })),
    );
  }
}
