/**
 * Enrichment reads that ride out short CRM trouble: the worker reads a profile once per lead, and a lead
 * that misses it may never learn its email (HubSpot creation webhooks carry only an id). Transient
 * failures are retried with backoff and 429s after their Retry-After, within a bounded time; the last
 * backoff is shortened so that one attempt is always made as late as the budget allows.
 */
import type { CrmRef, FieldValue } from '../events/lead-event';
import type { CrmProfileReader } from '../leads/ports';
import { toCallError } from './crm-writer';
import { backoffMs, RetryWindow, withTimeout, type RetryPolicy } from './retry-policy';

/** Fits the scoring worker's 30 s timeout: up to 20 s of reading, then the batch goes on without. */
export const READER_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxElapsedMs: 20_000,
  safetyMarginMs: 0,
  callTimeoutMs: 5_000,
  defaultThrottleMs: 2_000,
};

export interface RetryingReaderOptions {
  readonly policy?: RetryPolicy;
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly random?: () => number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function retryingProfileReader(
  reader: CrmProfileReader,
  options: RetryingReaderOptions = {},
): CrmProfileReader {
  const policy = options.policy ?? READER_RETRY_POLICY;
  const clock = options.clock ?? Date.now;
  const sleep = options.sleep ?? sleepFor;
  return {
    async readProfiles(
      refs: readonly CrmRef[],
      fields: readonly string[],
    ): Promise<Map<string, Record<string, FieldValue>>> {
      const window = new RetryWindow(clock(), policy);
      for (let attempt = 1; ; attempt++) {
        try {
          return await withTimeout(reader.readProfiles(refs, fields), policy.callTimeoutMs);
        } catch (caught) {
          const error = toCallError(caught);
          if (error.kind !== 'transient' && error.kind !== 'throttled') throw error;
          const now = clock();
          // A 429 names its wait; a backoff is only a spacing, cut short so the last attempt still fits.
          const longest = window.longestWait(now);
          const wait =
            error.kind === 'throttled'
              ? (error.details.retryAfterMs ?? policy.defaultThrottleMs)
              : Math.min(backoffMs(attempt, policy, options.random), longest);
          if (longest <= 0 || wait > longest) throw error;
          await sleep(wait);
        }
      }
    },
  };
}
