/** An SQS batch of event messages → processed leads; unreadable messages go to the DLQ with their reason. */
import { firstIssue } from '../issue-text';
import { LeadEventSchema, type LeadEvent } from '../events/lead-event';
import { cutLongValues } from '../events/value-limits';
import { parseQueuedSesNotification } from '../events/sources/ses';
import { MalformedBodyError } from '../events/webhook';
import { EVENTS_QUEUE } from '../pipeline-spec';
import type { DeadLetters } from './ports';
import { processLeadEvents, type ProcessDeps, type ProcessResult } from './process-events';

export interface EventMessage {
  readonly messageId: string;
  readonly body: string;
  /** SQS's count of deliveries so far (1 on the first); absent = first. */
  readonly attributes?: { readonly ApproximateReceiveCount?: string };
}

export interface BatchOutcome extends ProcessResult {
  readonly deadLettered: number;
}

/**
 * The events a message carries: the normalized event the ingest function queued, or those of an SES
 * notification SNS delivered to the queue itself (none for an SES record we do not score); or why the
 * message can never be processed.
 */
function readMessage(body: string): { events: LeadEvent[] } | { reason: string } {
  let json: unknown;
  try {
    json = JSON.parse(body);
  } catch {
    return { reason: 'body is not JSON' };
  }
  const parsed = LeadEventSchema.safeParse(json);
  // Values are cut as the ingest cuts them: SES notifications come straight from SNS, and older messages
  // may predate the cut (value-limits.ts).
  if (parsed.success) return { events: [cutLongValues(parsed.data)] };
  try {
    const ses = parseQueuedSesNotification(body);
    if (ses) return { events: ses.map((event) => cutLongValues(event)) };
  } catch (error) {
    if (error instanceof MalformedBodyError) return { reason: error.message };
    throw error;
  }
  return { reason: `not a LeadEvent: ${firstIssue(parsed.error)}` };
}

/** Messages that SQS will deliver again if reported failed (before its redrive parks them). */
function redeliverable(messages: readonly EventMessage[], maxReceiveCount: number): Set<string> {
  return new Set(
    messages
      .filter((message) => Number(message.attributes?.ApproximateReceiveCount ?? 1) < maxReceiveCount)
      .map((message) => message.messageId),
  );
}

export async function scoreEventBatch(
  messages: readonly EventMessage[],
  deps: ProcessDeps & { readonly deadLetters: DeadLetters; readonly maxReceiveCount?: number },
): Promise<BatchOutcome> {
  const items: { key: string; event: LeadEvent }[] = [];
  const dead: { messageId: string; body: string; reason: string }[] = [];
  for (const message of messages) {
    const read = readMessage(message.body);
    if ('events' in read) read.events.forEach((event) => items.push({ key: message.messageId, event }));
    else dead.push({ ...message, reason: read.reason });
  }
  const failedKeys: string[] = [];
  if (dead.length > 0) {
    try {
      await deps.deadLetters.send(dead);
    } catch {
      // Not parked: leave them on the queue, whose own redrive will park them after retries.
      failedKeys.push(...dead.map((message) => message.messageId));
    }
  }
  const retryable = redeliverable(messages, deps.maxReceiveCount ?? EVENTS_QUEUE.maxReceiveCount);
  const result = await processLeadEvents(items, { ...deps, canRetry: (key) => retryable.has(key) });
  return { ...result, failedKeys: [...failedKeys, ...result.failedKeys], deadLettered: dead.length };
}
