import type { CrmRef, FieldValue } from '../../../lib/events/lead-event';
import type { CrmProfileReader } from '../../../lib/leads/ports';
import { CrmCallError } from '../../../lib/writeback/crm-writer';
import { READER_RETRY_POLICY, retryingProfileReader } from '../../../lib/writeback/retrying-reader';
import { fakeTime, T0 } from './fakes';

const REF: CrmRef = { system: 'hubspot', objectType: 'contact', id: '1' };
const PROFILE = new Map<string, Record<string, FieldValue>>([['1', { email: 'a@acme.example' }]]);

/** Fails with each error in turn, then answers. */
function flakyReader(clock: () => number, failures: Error[]) {
  const attempts: number[] = [];
  const reader: CrmProfileReader = {
    async readProfiles() {
      attempts.push(clock() - T0);
      const failure = failures.shift();
      if (failure) throw failure;
      return PROFILE;
    },
  };
  return { reader, attempts };
}

/** Fails as unavailable until `outageMs` after T0 on the fake clock, then answers. */
function outageReader(time: ReturnType<typeof fakeTime>, outageMs: number) {
  const attempts: number[] = [];
  const reader: CrmProfileReader = {
    async readProfiles() {
      attempts.push(time.now - T0);
      if (time.now - T0 < outageMs) throw new CrmCallError('transient', 'outage');
      return PROFILE;
    },
  };
  return { reader, attempts };
}

describe('retryingProfileReader', () => {
  it('retries transient failures with backoff and returns the profiles', async () => {
    const time = fakeTime();
    const { reader, attempts } = flakyReader(time.clock, [
      new CrmCallError('transient', '503'),
      new CrmCallError('transient', '503'),
    ]);

    const profiles = await retryingProfileReader(reader, { ...time, random: () => 0 }).readProfiles(
      [REF],
      ['email'],
    );

    expect(profiles).toBe(PROFILE);
    // Waits 250 then 500 ms (half of 500 and 1000 with random 0).
    expect(attempts).toEqual([0, 250, 750]);
  });

  it('waits the Retry-After of a 429', async () => {
    const time = fakeTime();
    const { reader, attempts } = flakyReader(time.clock, [
      new CrmCallError('throttled', '429', { retryAfterMs: 3_000 }),
    ]);

    await retryingProfileReader(reader, time).readProfiles([REF], ['email']);

    expect(attempts).toEqual([0, 3_000]);
  });

  it('rides out a 10-second outage within its 20 s budget', async () => {
    const time = fakeTime();
    const { reader, attempts } = outageReader(time, 10_000);

    await expect(
      retryingProfileReader(reader, { ...time, random: () => 0 }).readProfiles([REF], ['email']),
    ).resolves.toBe(PROFILE);
    // 0.25 + 0.5 + 1 + 2 + 4 s of waits: the sixth attempt, at 7.75 s, still fails; the seventh at 11.75 s reads.
    expect(attempts).toEqual([0, 250, 750, 1_750, 3_750, 7_750, 11_750]);
  });

  it.each([0, 0.5, 0.999])(
    'rides out a 13-second outage whatever the jitter (random %s): the last wait is cut to fit',
    async (random) => {
      const time = fakeTime();
      const { reader, attempts } = outageReader(time, 13_000);

      await expect(
        retryingProfileReader(reader, { ...time, random: () => random }).readProfiles([REF], ['email']),
      ).resolves.toBe(PROFILE);
      expect(attempts.at(-1)).toBeGreaterThanOrEqual(13_000);
      expect(attempts.at(-1)).toBeLessThanOrEqual(
        READER_RETRY_POLICY.maxElapsedMs - READER_RETRY_POLICY.callTimeoutMs,
      );
    },
  );

  it('does not cut the Retry-After of a 429 that would not fit: it gives up', async () => {
    const time = fakeTime();
    const { reader, attempts } = flakyReader(time.clock, [
      new CrmCallError('throttled', '429', { retryAfterMs: 16_000 }),
    ]);

    await expect(retryingProfileReader(reader, time).readProfiles([REF], ['email'])).rejects.toThrow('429');
    expect(attempts).toEqual([0]);
  });

  it('gives up once the next wait would not fit, passing the last failure on', async () => {
    const time = fakeTime();
    const failures = Array.from({ length: 20 }, () => new CrmCallError('transient', 'still down'));
    const { reader, attempts } = flakyReader(time.clock, failures);

    await expect(retryingProfileReader(reader, time).readProfiles([REF], ['email'])).rejects.toThrow(
      'still down',
    );
    // The last attempt is made as late as the budget allows, and no later.
    expect(Math.max(...attempts)).toBe(READER_RETRY_POLICY.maxElapsedMs - READER_RETRY_POLICY.callTimeoutMs);
  });

  it.each(['auth', 'quota', 'rejected'] as const)('does not retry a %s failure', async (kind) => {
    const time = fakeTime();
    const { reader, attempts } = flakyReader(time.clock, [new CrmCallError(kind, kind)]);

    await expect(retryingProfileReader(reader, time).readProfiles([REF], ['email'])).rejects.toThrow(kind);
    expect(attempts).toEqual([0]);
  });
});
