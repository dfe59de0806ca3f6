/**
 * Polls an SQS queue into a Lambda handler the way the Lambda event source mapping does: batches up to
 * `batchSize` gathered for at most `maxBatchingWindowSeconds`, partial batch responses honoured (only
 * failed messages stay, to come back after the visibility timeout; the queue's redrive moves them to the
 * DLQ), a handler that throws fails the whole batch.
 */
import {
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  type Message,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';

export type SqsHandler = (event: SQSEvent) => Promise<SQSBatchResponse | void>;

export interface PollerOptions {
  readonly client: SQSClient;
  readonly queueUrl: string;
  readonly queueArn: string;
  readonly handler: SqsHandler;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Invocations at once (Lambda scales out; reserved concurrency bounds it). */
  readonly concurrency?: number;
  readonly onError?: (error: unknown) => void;
  readonly onBatch?: (stats: { received: number; failed: number }) => void;
}

export interface Poller {
  stop(): Promise<void>;
  /** Resolves once the queue has been seen empty with no batch in flight. */
  idle(): Promise<void>;
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function toSqsRecord(message: Message, queueArn: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  return {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? 'local',
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: Object.fromEntries(
      Object.entries(message.MessageAttributes ?? {}).map(([name, value]) => [
        name,
        {
          stringValue: value.StringValue,
          dataType: value.DataType ?? 'String',
          stringListValues: [],
          binaryListValues: [],
        },
      ]),
    ),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN: queueArn,
    awsRegion: queueArn.split(':')[3] ?? 'us-east-1',
  };
}

export function startPoller(options: PollerOptions): Poller {
  let running = true;
  let inFlight = 0;
  let lastEmpty = false;
  const workers = Array.from({ length: options.concurrency ?? 1 }, () => loop());

  async function receiveBatch(): Promise<Message[]> {
    const batch: Message[] = [];
    const deadline = Date.now() + options.maxBatchingWindowSeconds * 1000;
    while (running && batch.length < options.batchSize) {
      const { Messages = [] } = await options.client.send(
        new ReceiveMessageCommand({
          QueueUrl: options.queueUrl,
          MaxNumberOfMessages: Math.min(10, options.batchSize - batch.length),
          WaitTimeSeconds: batch.length === 0 ? 1 : 0,
          AttributeNames: ['All'],
          MessageAttributeNames: ['All'],
        }),
      );
      batch.push(...Messages);
      if (Messages.length === 0 && (batch.length > 0 || Date.now() >= deadline)) break;
      if (Date.now() >= deadline && batch.length > 0) break;
    }
    return batch;
  }

  async function loop(): Promise<void> {
    while (running) {
      let messages: Message[];
      try {
        messages = await receiveBatch();
      } catch (error) {
        if (running) options.onError?.(error);
        await sleep(500);
        continue;
      }
      lastEmpty = messages.length === 0;
      if (messages.length === 0) continue;
      inFlight++;
      try {
        await invoke(messages);
      } finally {
        inFlight--;
      }
    }
  }

  async function invoke(messages: Message[]): Promise<void> {
    let failedIds: Set<string>;
    try {
      const response = await options.handler({
        Records: messages.map((m) => toSqsRecord(m, options.queueArn)),
      });
      failedIds = new Set((response?.batchItemFailures ?? []).map((failure) => failure.itemIdentifier));
    } catch (error) {
      options.onError?.(error);
      failedIds = new Set(messages.map((message) => message.MessageId ?? ''));
    }
    options.onBatch?.({ received: messages.length, failed: failedIds.size });
    const done = messages.filter((message) => !failedIds.has(message.MessageId ?? ''));
    for (let start = 0; start < done.length; start += 10) {
      await options.client.send(
        new DeleteMessageBatchCommand({
          QueueUrl: options.queueUrl,
          Entries: done.slice(start, start + 10).map((message, index) => ({
            Id: String(index),
            ReceiptHandle: message.ReceiptHandle,
          })),
        }),
      );
    }
  }

  return {
    async stop() {
      running = false;
      await Promise.all(workers);
    },
    async idle() {
      while (!(lastEmpty && inFlight === 0)) await sleep(100);
    },
  };
}
