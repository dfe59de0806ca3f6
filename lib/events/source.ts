/** The contract every webhook source implements: verify (pure), parse to LeadEvents, and how to answer. */
import type { LeadEvent, Source } from './lead-event';
import type { Verdict, WebhookRequest } from './webhook';

export interface WebhookReply {
  readonly statusCode: number;
  readonly contentType?: string;
  readonly body?: string;
}

export interface SourceAdapter<Secrets> {
  readonly source: Source;
  /** The HTTP route, e.g. `/webhooks/hubspot`. */
  readonly route: string;
  /** Pure: decides authenticity from the request, the secrets and the clock alone. Never throws. */
  verify(request: WebhookRequest, secrets: Secrets, now: Date): Verdict;
  /**
   * Parses the wire format into normalized events. Throws MalformedBodyError (→ 400) when the body is
   * not this source's format. Events of types we do not score are left out and counted in `ignored`.
   */
  parse(request: WebhookRequest, now: Date): ParsedBatch;
  /** What to answer once everything is queued; default 200 with an empty JSON object. */
  readonly accepted?: WebhookReply;
}

export interface ParsedBatch {
  readonly events: LeadEvent[];
  /** Vendor events we recognised but do not score (counted as a metric, never queued). */
  readonly ignored: number;
}
