/** The ingest use case: route → size check → verify → parse → queue, each failure mapped to its HTTP answer. */
import type { Source } from '../events/lead-event';
import type { SourceAdapter, WebhookReply } from '../events/source';
import { MalformedBodyError, type Verdict, type WebhookRequest } from '../events/webhook';
import { cutLongValues } from '../events/value-limits';
import { EventTooLargeError, QueueUnavailableError, type EventQueue } from './event-queue';

/** A source as deployed: its adapter, where its secrets come from, and its vendor's quirks. */
export interface IngestRoute<Secrets = unknown> {
  readonly adapter: SourceAdapter<Secrets>;
  /** Async so that a source can fetch what verification needs first (SES: the SNS signing certificate). */
  readonly secrets: (request: WebhookRequest) => Secrets | Promise<Secrets>;
  /** Checks once the signature holds: a one-time token not replayed, an SNS subscription confirmed. */
  readonly afterVerify?: (request: WebhookRequest) => Verdict | Promise<Verdict>;
  /**
   * Methods other than POST with which a vendor probes the URL when the webhook is installed
   * (Mailchimp GETs it, Mandrill sends HEAD). Answered 200 with nothing queued; `verified` ones
   * must still pass verification.
   */
  readonly probes?: Readonly<Record<string, { readonly verified: boolean }>>;
}

export type IngestOutcome =
  | 'queued'
  | 'ignored'
  | 'rejected'
  | 'malformed'
  | 'too_large'
  | 'not_found'
  | 'method_not_allowed'
  | 'failed';

export interface IngestDeps {
  readonly routes: ReadonlyMap<string, IngestRoute>;
  readonly queue: EventQueue;
  readonly now: () => Date;
  readonly maxBodyBytes: number;
  /** Counts outcomes (a metric); never given payload content. */
  readonly record: (outcome: IngestOutcome, source: Source | 'unknown', count: number) => void;
  /** Reports our own failures (bugs, queue down) for the logs: no payload content. */
  /** A failure of ours, while verifying (secrets, SNS certificates, confirming) or queueing: answered 503. */
  readonly onError?: (error: unknown, source: Source, stage: 'verifying' | 'queueing') => void;
}

export const DEFAULT_MAX_BODY_BYTES = 5 * 1024 * 1024;

const json = (statusCode: number, body: object): WebhookReply => ({
  statusCode,
  contentType: 'application/json',
  body: JSON.stringify(body),
});

export async function ingestWebhook(
  route: string,
  request: WebhookRequest,
  deps: IngestDeps,
): Promise<WebhookReply> {
  const entry = deps.routes.get(route);
  if (!entry) {
    deps.record('not_found', 'unknown', 1);
    return json(404, { error: `no webhook route ${route}` });
  }
  const source = entry.adapter.source;
  const method = request.method.toUpperCase();
  const probe = entry.probes?.[method];
  if (method !== 'POST' && !probe) {
    deps.record('method_not_allowed', source, 1);
    return json(405, { error: `${route} accepts POST` });
  }
  if (request.rawBody.length > deps.maxBodyBytes) {
    deps.record('too_large', source, 1);
    return json(413, { error: `body larger than ${deps.maxBodyBytes} bytes` });
  }

  if (probe && !probe.verified) return json(200, {});

  let verdict: Verdict;
  try {
    verdict = await verify(entry, request, deps.now());
  } catch (error) {
    // What verification had to fetch or do first (the SNS certificate, confirming a subscription) failed:
    // our side, not the sender's, so 503 and the sender retries; a 401 would be taken as final.
    deps.record('failed', source, 1);
    deps.onError?.(error, source, 'verifying');
    return json(503, { error: 'could not verify the request now, retry later' });
  }
  if (!verdict.ok) {
    deps.record('rejected', source, 1);
    return json(401, { error: verdict.reason });
  }
  if (probe) return json(200, {});

  let parsed;
  try {
    parsed = entry.adapter.parse(request, deps.now());
  } catch (error) {
    if (!(error instanceof MalformedBodyError)) throw error;
    deps.record('malformed', source, 1);
    return json(400, { error: error.message });
  }
  deps.record('ignored', source, parsed.ignored);

  try {
    if (parsed.events.length > 0)
      await deps.queue.enqueue(parsed.events.map((event) => cutLongValues(event)));
  } catch (error) {
    if (error instanceof EventTooLargeError) {
      deps.record('too_large', source, 1);
      return json(413, { error: error.message });
    }
    deps.record('failed', source, 1);
    deps.onError?.(error, source, 'queueing');
    if (error instanceof QueueUnavailableError) return json(503, { error: 'queue unavailable, retry later' });
    throw error;
  }
  deps.record('queued', source, parsed.events.length);
  return entry.adapter.accepted ?? json(200, { queued: parsed.events.length, ignored: parsed.ignored });
}

async function verify(entry: IngestRoute, request: WebhookRequest, now: Date): Promise<Verdict> {
  const secrets = await entry.secrets(request);
  const verdict = entry.adapter.verify(request, secrets, now);
  if (!verdict.ok || !entry.afterVerify) return verdict;
  return entry.afterVerify(request);
}
