/** EventQueue on SQS: one message per normalized event, grouped by lead and deduplicated on FIFO queues. */
import { createHash } from 'node:crypto';
import type { SendMessageBatchRequestEntry } from '@aws-sdk/client-sqs';
import type { LeadEvent } from '../events/lead-event';
import { fitEvent } from '../events/value-limits';
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

  private toEntry(given: LeadEvent, index: number): SendMessageBatchRequestEntry {
    // Values are cut further only for an event that would not fit a message otherwise (value-limits.ts).
    let body = '';
    const event = fitEvent(given, (candidate) => {
      body = toSqsSafeJson(candidate);
      return entryBytes(body) <= SQS_MAX_BATCH_BYTES;
    });
    if (event === undefined) {
      throw new EventTooLargeError(
        `${given.source}: a ${given.type} event does not fit an SQS message (256 KB) even with every value ` +
          'cut to 64 characters: it has too many fields',
      );
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
      entry.MessageGroupId = messageGroupId(leadKeyOf(event));
      entry.MessageDeduplicationId = createHash('sha256')
        .update(`${event.source}\u0000${event.sourceEventId}`)
        .digest('hex');
    }
    return entry;
  }
}

/** SQS takes 1–128 printable ASCII characters as a group id; any other lead key (a unicode email) is hashed. */
function messageGroupId(leadKey: string): string {
  return /^[\x21-\x7e]{1,128}$/.test(leadKey)
    ? leadKey
    : `sha256:${createHash('sha256').update(leadKey).digest('hex')}`;
}
