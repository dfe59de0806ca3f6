import {
  backoffMs,
  CallTimeoutError,
  DEFAULT_RETRY_POLICY,
  RetryWindow,
  withTimeout,
  type RetryPolicy,
} from '../../../lib/writeback/retry-policy';

const POLICY: RetryPolicy = {
  baseDelayMs: 100,
  maxDelayMs: 1_000,
  maxElapsedMs: 5_000,
  safetyMarginMs: 500,
  callTimeoutMs: 1_000,
  defaultThrottleMs: 2_000,
};

describe('backoffMs', () => {
  it('doubles per attempt up to the cap, half fixed and half random', () => {
    // Ceilings: 100, 200, 400, 800, 1000 (capped), 1000.
    const lowest = [1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, POLICY, () => 0));
    const highest = [1, 2, 3, 4, 5, 6].map((attempt) => backoffMs(attempt, POLICY, () => 1));

    expect(lowest).toEqual([50, 100, 200, 400, 500, 500]);
    expect(highest).toEqual([100, 200, 400, 800, 1_000, 1_000]);
  });

  it('stays within [ceiling/2, ceiling] for any random draw', () => {
    for (const draw of [0.1, 0.37, 0.5, 0.99]) {
      const delay = backoffMs(3, POLICY, () => draw);
      expect(delay).toBeGreaterThanOrEqual(200);
      expect(delay).toBeLessThanOrEqual(400);
    }
  });

  it('covers a 10 s outage within the default policy’s retry window at its slowest', () => {
    // Shortest waits (random 0): 250, 500, 1000, 2000, 4000, 4000 … → past 10 s after 6 waits (11.75 s).
    let waited = 0;
    let attempt = 0;
    while (waited < 10_000) waited += backoffMs(++attempt, DEFAULT_RETRY_POLICY, () => 0);

    expect(attempt).toBe(6);
    expect(waited).toBe(11_750);
    expect(waited + DEFAULT_RETRY_POLICY.callTimeoutMs).toBeLessThan(DEFAULT_RETRY_POLICY.maxElapsedMs);
  });
});

describe('RetryWindow', () => {
  const T0 = 1_000_000;

  it('closes after maxElapsedMs when the Lambda deadline is further away', () => {
    const window = new RetryWindow(T0, POLICY, T0 + 60_000);

    expect(window.closesAt).toBe(T0 + 5_000);
    // Waiting 4 s then a call of up to 1 s ends exactly at the close: allowed; one ms more is not.
    expect(window.allows(T0, 4_000)).toBe(true);
    expect(window.allows(T0, 4_001)).toBe(false);
  });

  it('closes a safety margin before the Lambda deadline when that comes first', () => {
    const window = new RetryWindow(T0, POLICY, T0 + 3_000);

    expect(window.closesAt).toBe(T0 + 2_500);
    expect(window.allows(T0 + 1_500, 0)).toBe(true);
    expect(window.allows(T0 + 1_501, 0)).toBe(false);
  });

  it('says the longest wait that still leaves room for one call', () => {
    const window = new RetryWindow(T0, POLICY, T0 + 3_000);

    expect(window.longestWait(T0 + 1_000)).toBe(500);
    expect(window.allows(T0 + 1_000, window.longestWait(T0 + 1_000))).toBe(true);
    expect(window.longestWait(T0 + 2_000)).toBeLessThan(0);
  });

  it('without a deadline is bounded by the policy alone', () => {
    expect(new RetryWindow(T0, POLICY).closesAt).toBe(T0 + 5_000);
  });
});

describe('withTimeout', () => {
  it('passes the value of a call that answers in time', async () => {
    await expect(withTimeout(Promise.resolve(42), 1_000)).resolves.toBe(42);
  });

  it('rejects with CallTimeoutError when the call is slower', async () => {
    const never = new Promise<number>(() => undefined);

    await expect(withTimeout(never, 10)).rejects.toBeInstanceOf(CallTimeoutError);
  });

  it('passes the call’s own failure through', async () => {
    await expect(withTimeout(Promise.reject(new Error('boom')), 1_000)).rejects.toThrow('boom');
  });
});
