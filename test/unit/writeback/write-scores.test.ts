import { CallBudget } from '../../../lib/writeback/call-budget';
import { planCalls, writeScores } from '../../../lib/writeback/write-scores';
import { failWith, fakeTime, POLICY, ScriptedWriter, scoresDeps, scoreWrite, T0 } from './fakes';

const writes = (count: number, from = 1) => Array.from({ length: count }, (_, n) => scoreWrite(from + n));
const kinds = (results: Map<string, { kind: string }>) =>
  Object.fromEntries([...results].map(([leadId, result]) => [leadId, result.kind]));

describe('planCalls', () => {
  it('cuts each call group into batches of at most maxBatch, fewest calls first', () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [], 100);
    const mixed = [
      ...writes(150),
      ...writes(30, 500).map((write) => ({ ...write, ref: { ...write.ref, objectType: 'company' } })),
    ];

    const calls = planCalls(mixed, writer);

    // 150 contacts → 100 + 50; 30 companies → 30: three calls, never mixing groups.
    expect(calls.map((call) => call.length)).toEqual([100, 50, 30]);
    expect(calls.map((call) => new Set(call.map((write) => write.ref.objectType)).size)).toEqual([1, 1, 1]);
  });
});

describe('writeScores', () => {
  it('writes 250 records in 3 calls of ≤100 when nothing fails', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock);

    const result = await writeScores(writes(250), scoresDeps(writer, time));

    expect(writer.calls.map((call) => call.leadIds.length)).toEqual([100, 100, 50]);
    expect(result.calls).toBe(3);
    expect([...result.results.values()].every((outcome) => outcome.kind === 'written')).toBe(true);
    expect(time.slept).toEqual([]);
  });

  it('retries only the records that failed transiently, after a backoff', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [
      {
        outcomes: (write) =>
          write.leadId.endsWith(':2')
            ? { kind: 'transient', reason: 'UNABLE_TO_LOCK_ROW' }
            : write.leadId.endsWith(':3')
              ? { kind: 'permanent', reason: 'gone', recordGone: true }
              : { kind: 'written' },
      },
    ]);

    const result = await writeScores(writes(3), scoresDeps(writer, time));

    expect(writer.calls.map((call) => call.leadIds)).toEqual([
      ['hubspot:contact:1', 'hubspot:contact:2', 'hubspot:contact:3'],
      ['hubspot:contact:2'],
    ]);
    // Attempt 1 with random 0: half of the 1 s base.
    expect(time.slept).toEqual([500]);
    expect(kinds(result.results)).toEqual({
      'hubspot:contact:1': 'written',
      'hubspot:contact:2': 'written',
      'hubspot:contact:3': 'permanent',
    });
  });

  it('backs off exponentially through an outage and then writes everything', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [
      failWith('transient'),
      failWith('transient'),
      failWith('transient'),
    ]);

    const result = await writeScores(writes(150), scoresDeps(writer, time));

    // Each failure defers the rest of its round: one call per failed round, then 2 calls for 150.
    expect(writer.calls.map((call) => call.leadIds.length)).toEqual([100, 100, 100, 100, 50]);
    expect(time.slept).toEqual([500, 1_000, 2_000]);
    expect(result.failedCalls).toBe(3);
    expect([...result.results.values()].every((outcome) => outcome.kind === 'written')).toBe(true);
  });

  it('waits exactly the Retry-After of a 429 before the next call, without backoff', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [failWith('throttled', 3_000)]);

    const result = await writeScores(writes(2), scoresDeps(writer, time));

    expect(writer.calls.map((call) => call.at - T0)).toEqual([0, 3_000]);
    expect(time.slept).toEqual([3_000]);
    expect(result.results.get('hubspot:contact:1')?.kind).toBe('written');
  });

  it('pauses the default time after a 429 that names none', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [failWith('throttled')]);

    await writeScores(writes(1), scoresDeps(writer, time));

    expect(writer.calls.map((call) => call.at - T0)).toEqual([0, 10_000]);
  });

  it('spaces calls by the window budget the CRM reported', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [{ budget: { windowRemaining: 0, windowMs: 10_000 } }]);

    await writeScores(writes(101), scoresDeps(writer, time));

    expect(writer.calls.map((call) => call.at - T0)).toEqual([0, 10_000]);
  });

  it('defers what is left when the retry window closes, with the last reason', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(
      time.clock,
      Array.from({ length: 50 }, () => failWith('transient')),
    );

    const result = await writeScores(writes(2), scoresDeps(writer, time));

    expect(result.stoppedFor).toBe('deadline');
    expect(kinds(result.results)).toEqual({
      'hubspot:contact:1': 'deferred',
      'hubspot:contact:2': 'deferred',
    });
    expect(result.results.get('hubspot:contact:1')).toEqual({
      kind: 'deferred',
      reason: 'hubspot: transient failure',
    });
    // Never waits or calls past maxElapsedMs (30 s) less one call's timeout (2 s).
    expect(Math.max(...writer.calls.map((call) => call.at - T0))).toBeLessThanOrEqual(28_000);
  });

  it('respects the Lambda deadline: no call without the time to finish it', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [failWith('throttled', 5_000)]);

    // Deadline in 6 s: closes at 5 s (1 s margin); after the 429 a 5 s wait plus a 2 s call does not fit.
    const result = await writeScores(writes(1), scoresDeps(writer, time, { deadlineAt: T0 + 6_000 }));

    expect(writer.calls).toHaveLength(1);
    expect(result.stoppedFor).toBe('deadline');
    expect(result.results.get('hubspot:contact:1')?.kind).toBe('deferred');
  });

  it('stops at once on a spent daily quota and defers everything not written', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [{}, failWith('quota')]);

    const result = await writeScores(writes(250), scoresDeps(writer, time));

    expect(writer.calls).toHaveLength(2);
    expect(result.stoppedFor).toBe('quota');
    const counts = [...result.results.values()].reduce<Record<string, number>>(
      (tally, outcome) => ({ ...tally, [outcome.kind]: (tally[outcome.kind] ?? 0) + 1 }),
      {},
    );
    expect(counts).toEqual({ written: 100, deferred: 150 });
  });

  it('makes no call at all below the daily floor', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock);
    const budget = new CallBudget({ dailyFloor: () => 100 });
    budget.observe({ dailyUsed: 950, dailyLimit: 1_000 }, T0);

    const result = await writeScores(writes(5), scoresDeps(writer, time, { budget }));

    expect(writer.calls).toEqual([]);
    expect(result.stoppedFor).toBe('quota');
    expect(result.results.get('hubspot:contact:5')).toEqual({
      kind: 'deferred',
      reason: 'daily API usage 950/1000 leaves no more than the floor of 100 calls',
    });
  });

  it('stops when the CRM refuses the credentials', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [failWith('auth')]);

    const result = await writeScores(writes(3), scoresDeps(writer, time));

    expect(writer.calls).toHaveLength(1);
    expect(result.stoppedFor).toBe('auth');
    expect(kinds(result.results)).toEqual({
      'hubspot:contact:1': 'deferred',
      'hubspot:contact:2': 'deferred',
      'hubspot:contact:3': 'deferred',
    });
  });

  it('fails every record of a call the CRM rejected, and goes on with the other calls', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [failWith('rejected'), {}]);

    const result = await writeScores(writes(101), scoresDeps(writer, time));

    expect(result.results.get('hubspot:contact:1')).toEqual({
      kind: 'permanent',
      reason: 'hubspot: rejected failure',
      recordGone: false,
    });
    expect(result.results.get('hubspot:contact:101')?.kind).toBe('written');
  });

  it('counts a call slower than the timeout as a transient failure', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [{ hang: true }]);

    const result = await writeScores(
      writes(1),
      scoresDeps(writer, time, { policy: { ...POLICY, callTimeoutMs: 20 } }),
    );

    expect(writer.calls).toHaveLength(2);
    expect(result.failedCalls).toBe(1);
    expect(result.results.get('hubspot:contact:1')?.kind).toBe('written');
  });
});
