/** SendMessageBatch in chunks of ≤10 entries / ≤256 KB, retrying only the entries that failed. */
// Types only: the ingest function sends through its small client (aws-lite), the others through the SDK.
import type {
  SendMessageBatchRequest,
  SendMessageBatchRequestEntry,
  SendMessageBatchResult,
} from '@aws-sdk/client-sqs';

export const SQS_MAX_BATCH_ENTRIES = 10;
export const SQS_MAX_BATCH_BYTES = 256 * 1024;

export interface SqsBatchOptions {
  readonly maxAttempts?: number;
  readonly baseDelayMs?: number;
  readonly sleep?: (ms: number) => Promise<void>;
}

/** One SendMessageBatch call, by whichever client makes it (see sqs-client.ts and sqs-lite.ts). */
export type SendBatch = (
  input: SendMessageBatchRequest,
) => Promise<{ readonly Failed?: SendMessageBatchResult['Failed'] }>;

/** The queue could not take the messages after retries (or refused them as malformed). */
export class QueueSendError extends Error {
  override readonly name = 'QueueSendError';
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * SQS refuses bodies with characters outside XML's set (U+FFFE, U+FFFF); JSON can carry them escaped.
 * They can only stand inside JSON strings, so escaping them keeps the document equal.
 */
export function toSqsSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/[\uFFFE\uFFFF]/g, (char) => `\\u${char.charCodeAt(0).toString(16)}`);
}

/** SQS counts the body and every attribute's name, type and value against the 256 KB. */
export function entryBytes(body: string): number {
  return Buffer.byteLength(body) + 200;
}

export class SqsBatchSender {
  private readonly maxAttempts: number;
  private readonly baseDelayMs: number;
  private readonly sleep: (ms: number) => Promise<void>;

  constructor(
    private readonly sendBatch: SendBatch,
    readonly queueUrl: string,
    options: SqsBatchOptions = {},
  ) {
    this.maxAttempts = options.maxAttempts ?? 4;
    this.baseDelayMs = options.baseDelayMs ?? 50;
    this.sleep = options.sleep ?? sleepFor;
  }

  /** Entry ids must be unique; resolves once every entry is queued. */
  async send(entries: readonly SendMessageBatchRequestEntry[]): Promise<void> {
    await Promise.all(chunkEntries(entries).map((chunk) => this.sendChunk(chunk)));
  }

  private async sendChunk(chunk: readonly SendMessageBatchRequestEntry[]): Promise<void> {
    let pending = chunk;
    for (let attempt = 1; ; attempt++) {
      let failedIds: Set<string>;
      try {
        const result = await this.sendBatch({ QueueUrl: this.queueUrl, Entries: [...pending] });
        const failed = result.Failed ?? [];
        const permanent = failed.find((entry) => entry.SenderFault);
        if (permanent) {
          throw new QueueSendError(`queue refused a message: ${permanent.Code ?? 'sender fault'}`);
        }
        failedIds = new Set(failed.map((entry) => entry.Id ?? ''));
      } catch (error) {
        if (error instanceof QueueSendError) throw error;
        if (attempt >= this.maxAttempts) {
          const reason = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
          throw new QueueSendError(`queue unavailable: ${reason}`);
        }
        await this.sleep(this.baseDelayMs * 2 ** (attempt - 1));
        continue;
      }
      pending = pending.filter((entry) => failedIds.has(entry.Id ?? ''));
      if (pending.length === 0) return;
      if (attempt >= this.maxAttempts) {
        throw new QueueSendError(`queue kept failing ${pending.length} message(s)`);
      }
      await this.sleep(this.baseDelayMs * 2 ** (attempt - 1));
    }
  }
}

function chunkEntries(entries: readonly SendMessageBatchRequestEntry[]): SendMessageBatchRequestEntry[][] {
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
