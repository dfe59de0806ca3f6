/** How long the write-back keeps retrying within one invocation, and how it spaces its attempts. */

export interface RetryPolicy {
  /** First backoff; each further attempt doubles it, up to maxDelayMs. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** Longest an invocation keeps retrying before it leaves the rest to SQS. */
  readonly maxElapsedMs: number;
  /** Kept in hand before the Lambda's deadline, to answer SQS. */
  readonly safetyMarginMs: number;
  /** A call slower than this is abandoned and counted as a transient failure. */
  readonly callTimeoutMs: number;
  /** Pause after a 429 that names no Retry-After and no window. */
  readonly defaultThrottleMs: number;
}

/** Fits the write-back Lambda's 60 s timeout: up to 40 s of retries, a 10 s call, and 5 s to answer. */
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  baseDelayMs: 500,
  maxDelayMs: 8_000,
  maxElapsedMs: 40_000,
  safetyMarginMs: 5_000,
  callTimeoutMs: 10_000,
  defaultThrottleMs: 10_000,
};

/**
 * Exponential backoff with equal jitter: half of the delay fixed, half random, so that two Lambdas
 * that failed together do not retry together. `attempt` counts from 1.
 */
export function backoffMs(attempt: number, policy: RetryPolicy, random: () => number = Math.random): number {
  const ceiling = backoffCeilingMs(attempt, policy);
  return Math.round(ceiling / 2 + (random() * ceiling) / 2);
}

/** The base delay doubled per attempt after the first, up to maxDelayMs. */
function backoffCeilingMs(attempt: number, policy: RetryPolicy): number {
  return Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 1));
}

/**
 * The pause after a 429: the Retry-After the CRM named (else the default), but never less than a floor
 * that doubles with each 429 in a row. A CRM that keeps answering `Retry-After: 0` would otherwise be
 * called again at once, all window long. `inARow` counts from 1.
 */
export function throttlePauseMs(
  retryAfterMs: number | undefined,
  inARow: number,
  policy: RetryPolicy,
): number {
  return Math.max(retryAfterMs ?? policy.defaultThrottleMs, backoffCeilingMs(inARow, policy));
}

/** The time an invocation may spend on calls and waits: bounded by the policy and by the Lambda's deadline. */
export class RetryWindow {
  readonly closesAt: number;

  constructor(
    startedAt: number,
    private readonly policy: RetryPolicy,
    /** Epoch ms the invocation must have answered by; none = only the policy bounds it. */
    deadlineAt?: number,
  ) {
    const byPolicy = startedAt + policy.maxElapsedMs;
    this.closesAt =
      deadlineAt === undefined ? byPolicy : Math.min(byPolicy, deadlineAt - policy.safetyMarginMs);
  }

  /** Whether waiting `waitMs` and then making one call (at its slowest) still ends in time. */
  allows(now: number, waitMs: number): boolean {
    return now + waitMs + this.policy.callTimeoutMs <= this.closesAt;
  }

  /** The longest wait after which one more call (at its slowest) still ends in time; negative when none fits. */
  longestWait(now: number): number {
    return this.closesAt - this.policy.callTimeoutMs - now;
  }
}

export class CallTimeoutError extends Error {
  override readonly name = 'CallTimeoutError';
}

/** Rejects with CallTimeoutError when `work` takes longer than `ms` (the call itself is left to finish). */
export async function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new CallTimeoutError(`no answer within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([work, timeout]);
  } finally {
    clearTimeout(timer);
  }
}
