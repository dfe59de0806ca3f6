/** The port through which accepted events leave the ingest function, and its failure. */
import { normalizeEmail, type LeadEvent } from '../events/lead-event';

export interface EventQueue {
  /** Resolves once every event is durably queued; rejects with QueueUnavailableError otherwise. */
  enqueue(events: readonly LeadEvent[]): Promise<void>;
}

/** Our own failure (queue down, throttled past retries): answered 5xx so that the sender retries. */
export class QueueUnavailableError extends Error {
  override readonly name = 'QueueUnavailableError';
}

/** An event that no queue can take (over the message size limit): answered 413, never retried. */
export class EventTooLargeError extends Error {
  override readonly name = 'EventTooLargeError';
}

/** The key that keeps one lead's events together: CRM id when known, else the email. */
export function leadKeyOf(event: LeadEvent): string {
  const { crm, email } = event.who;
  return crm ? `${crm.system}:${crm.id}` : `email:${normalizeEmail(email ?? '')}`;
}
