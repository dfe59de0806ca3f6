/** EventQueue on SQS: one message per normalized event, grouped by lead and deduplicated on FIFO queues. */
import { createHash } from 'node:crypto';
import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { LeadEvent } from '../events/lead-event';
import { EventTooLargeError, leadKeyOf, QueueUnavailableError, type EventQueue } from '../ingest/event-queue';
import {
  entryBytes,
  QueueSendError,
  SQS_MAX_BATCH_BYTES,
  SqsBatchSender,
  toSqsSafeJson,
  type SendBatch,
  type SqsBatchOptions,
} from './sqs-batch-sender';

export class SqsEventQueue implements EventQueue {
  private readonly sender: SqsBatchSender;
  private readonly fifo: boolean;

  constructor(sendBatch: SendBatch, queueUrl: string, options: SqsBatchOptions = {}) {
    this.sender = new SqsBatchSender(sendBatch, queueUrl, options);
    this.fifo = queueUrl.endsWith('.fifo');
  }

  async enqueue(events: readonly LeadEvent[]): Promise<void> {
    const entries = events.map((event, index) => this.toEntry(event, index));
    try {
      await this.sender.send(entries);
    } catch (error) {
      throw error instanceof QueueSendError ? new QueueUnavailableError(error.message) : error;
    }
  }

  private toEntry(event: LeadEvent, index: number): SendMessageBatchRequestEntry {
    const body = toSqsSafeJson(event);
    if (entryBytes(body) > SQS_MAX_BATCH_BYTES) {
      throw new EventTooLargeError(`event ${index} is larger than an SQS message (256 KB)`);
    }
    const entry: SendMessageBatchRequestEntry = {
      Id: String(index),
      MessageBody: body,
      MessageAttributes: {
        source: { DataType: 'String', StringValue: event.source },
        type: { DataType: 'String', StringValue: event.type },
      },
    };
    if (this.fifo) {
      entry.MessageGroupId = leadKeyOf(event);
      entry.MessageDeduplicationId = createHash('sha256')
        .update(`${event.source}\u0000${event.sourceEventId}`)
        .digest('hex');
    }
    return entry;
  }
}
