/** EventQueue on SQS: SendMessageBatch in chunks of ≤10 entries / ≤256 KB, retrying only failed entries. */
import { createHash } from 'node:crypto';
import {
  SendMessageBatchCommand,
  type SendMessageBatchRequestEntry,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { LeadEvent } from '../events/lead-event';
import { EventTooLargeError, leadKeyOf, QueueUnavailableError, type EventQueue } from '../ingest/event-queue';

export const SQS_MAX_BATCH_ENTRIES = 10;
export const SQS_MAX_BATCH_BYTES = 256 * 1024;

export interface SqsEventQueueOptions {
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class SqsEventQueue implements EventQueue {
  private readonly fifo: boolean;
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly client: SQSClient,
    private readonly queueUrl: string,
    options: SqsEventQueueOptions = {},
  ) {
    this.fifo = queueUrl.endsWith('.fifo');
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.sleep = options.sleep ?? sleepFor;
  }

  async enqueue(events: readonly LeadEvent[]): Promise<void> {
    const entries = events.map((event, index) => this.toEntry(event, index));
    await Promise.all(chunkEntries(entries).map((chunk) => this.sendChunk(chunk)));
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

  private async sendChunk(chunk: SendMessageBatchRequestEntry[]): Promise<void> {
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      let failedIds: Set<string>;
      try {
        const result = await this.client.send(
          new SendMessageBatchCommand({ QueueUrl: this.queueUrl, Entries: pending }),
        );
        const failed = result.Failed ?? [];
        const permanent = failed.find((entry) => entry.SenderFault);
        if (permanent) {
          throw new QueueUnavailableError(`queue refused an event: ${permanent.Code ?? 'sender fault'}`);
        }
        failedIds = new Set(failed.map((entry) => entry.Id ?? ''));
      } catch (error) {
        if (error instanceof QueueUnavailableError || attempt >= this.maxAttempts) {
          throw error instanceof QueueUnavailableError
            ? error
            : new QueueUnavailableError(`queue unavailable: ${(error as Error).name}`);
        }
        await this.sleep(this.baseDelayMs * 2 ** (attempt - 1));
        continue;
      }
      pending = pending.filter((entry) => failedIds.has(entry.Id ?? ''));
      if (pending.length === 0) return;
      if (attempt >= this.maxAttempts) {
        throw new QueueUnavailableError(`queue kept failing ${pending.length} event(s)`);
      }
      await this.sleep(this.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

/**
 * SQS refuses bodies with characters outside XML's set (U+FFFE, U+FFFF); JSON can carry them escaped.
 * They can only stand inside JSON strings, so escaping them keeps the document equal.
 */
function toSqsSafeJson(event: LeadEvent): string {
  return JSON.stringify(event).replace(/[\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

/** SQS counts the body and every attribute's name, type and value against the 256 KB. */
function entryBytes(body: string): number {
  return Buffer.byteLength(body) + 200;
}

function chunkEntries(entries: SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] {
  const chunks: SendMessageBatchRequestEntry[][] = [];
  let current: SendMessageBatchRequestEntry[] = [];
  let bytes = 0;
  for (const entry of entries) {
    const size = entryBytes(entry.MessageBody ?? '');
    if (current.length === SQS_MAX_BATCH_ENTRIES || bytes + size > SQS_MAX_BATCH_BYTES) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(entry);
    bytes += size;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}
