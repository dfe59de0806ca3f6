import { DEFAULT_RETRY_POLICY, throttlePauseMs } from '../../../lib/writeback/retry-policy';
import { writeScores } from '../../../lib/writeback/write-scores';
import { failWith, fakeTime, POLICY, ScriptedWriter, scoresDeps, scoreWrite, T0 } from './fakes';

const writes = (count: number) => Array.from({ length: count }, (_, n) => scoreWrite(n + 1));

describe('throttlePauseMs', () => {
  it('keeps a Retry-After longer than the floor as it is', () => {
    expect(throttlePauseMs(3_000, 1, POLICY)).toBe(3_000);
  });

  it('waits at least the backoff of the 429s in a row, even when told 0', () => {
    expect([1, 2, 3, 4].map((inARow) => throttlePauseMs(0, inARow, POLICY))).toEqual([
      1_000, 2_000, 4_000, 4_000,
    ]);
  });

  it('pauses the default time when the CRM named none', () => {
    expect(throttlePauseMs(undefined, 1, POLICY)).toBe(POLICY.defaultThrottleMs);
  });

  it('starts small with the default policy', () => {
    expect(throttlePauseMs(0, 1, DEFAULT_RETRY_POLICY)).toBe(DEFAULT_RETRY_POLICY.baseDelayMs);
  });
});

describe('writeScores after 429s with Retry-After: 0', () => {
  it('backs off between them instead of calling again at once', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(
      time.clock,
      Array.from({ length: 4 }, () => failWith('throttled', 0)),
    );

    const result = await writeScores(writes(2), scoresDeps(writer, time));

    expect(writer.calls.map((call) => call.at - T0)).toEqual([0, 1_000, 3_000, 7_000, 11_000]);
    expect(result.results.get('hubspot:contact:1')?.kind).toBe('written');
  });

  it('makes a handful of calls, not dozens, when the CRM keeps refusing all window long', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(
      time.clock,
      Array.from({ length: 100 }, () => failWith('throttled', 0)),
    );

    const result = await writeScores(writes(2), scoresDeps(writer, time));

    // 30 s window less a 2 s call: pauses of 1, 2, 4, 4, 4 … s leave room for 9 calls.
    expect(writer.calls).toHaveLength(9);
    expect(result.stoppedFor).toBe('deadline');
    expect(result.results.get('hubspot:contact:1')?.kind).toBe('deferred');
  });

  it('starts again from the smallest pause once a call goes through', async () => {
    const time = fakeTime();
    // 101 records: two calls a round. The second call of the first round goes through between two 429s.
    const writer = new ScriptedWriter(time.clock, [failWith('throttled', 0), {}, failWith('throttled', 0)]);

    await writeScores(writes(101), scoresDeps(writer, time));

    expect(writer.calls.map((call) => [call.at - T0, call.leadIds.length])).toEqual([
      [0, 100],
      [1_000, 1],
      [1_000, 100],
      [2_000, 100],
    ]);
  });

  it('leaves a call that is never throttled unpaused', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock);

    await writeScores(writes(250), scoresDeps(writer, time));

    expect(writer.calls.map((call) => call.at - T0)).toEqual([0, 0, 0]);
    expect(time.slept).toEqual([]);
  });
});
