import type { CallResult, ScoreWrite } from '../../../lib/writeback/crm-writer';
import { WholeBatchRefusal, writeScores } from '../../../lib/writeback/write-scores';
import { failWith, fakeTime, ScriptedWriter, scoresDeps, scoreWrite, T0 } from './fakes';

const writes = (count: number) => Array.from({ length: count }, (_, n) => scoreWrite(n + 1));
const REFUSAL = '400 VALIDATION_ERROR: Property values were not valid';

/** HubSpot's way: one invalid value refuses the whole batch update, without naming the record. */
class ValueCheckingWriter extends ScriptedWriter {
  constructor(
    clock: () => number,
    private readonly invalid: ReadonlySet<string>,
  ) {
    super(clock);
  }

  override async writeBatch(batch: readonly ScoreWrite[]): Promise<CallResult> {
    const result = await super.writeBatch(batch);
    if (batch.some((write) => this.invalid.has(write.leadId))) throw new WholeBatchRefusal(REFUSAL);
    return result;
  }
}

const kindCounts = (results: Map<string, { kind: string }>) =>
  [...results.values()].reduce<Record<string, number>>(
    (tally, { kind }) => ({ ...tally, [kind]: (tally[kind] ?? 0) + 1 }),
    {},
  );

describe('writeScores with a whole-batch refusal', () => {
  it('parks only the record with the invalid value and writes the other 99, halving the refused calls', async () => {
    const time = fakeTime();
    const writer = new ValueCheckingWriter(time.clock, new Set(['hubspot:contact:37']));

    const result = await writeScores(writes(100), scoresDeps(writer, time));

    expect(result.results.get('hubspot:contact:37')).toEqual({
      kind: 'permanent',
      reason: `hubspot: ${REFUSAL}`,
      recordGone: false,
    });
    expect(kindCounts(result.results)).toEqual({ written: 99, permanent: 1 });
    // Refused: 100, 50, 25, 13, 6, 3, 2 and the record alone; beside each, a good half written at once.
    expect(writer.calls.map((call) => call.leadIds.length).sort((a, b) => b - a)).toEqual([
      100, 50, 50, 25, 25, 13, 12, 7, 6, 3, 3, 2, 1, 1, 1,
    ]);
    expect(result.failedCalls).toBe(8);
    expect(time.slept).toEqual([]);
  });

  it('finds each of several invalid records, and marks none of the good ones', async () => {
    const time = fakeTime();
    const invalid = new Set(['hubspot:contact:2', 'hubspot:contact:9', 'hubspot:contact:10']);
    const writer = new ValueCheckingWriter(time.clock, invalid);

    const result = await writeScores(writes(10), scoresDeps(writer, time));

    const parked = [...result.results].filter(([, outcome]) => outcome.kind === 'permanent');
    expect(parked.map(([leadId]) => leadId).sort()).toEqual([...invalid].sort());
    expect(kindCounts(result.results)).toEqual({ written: 7, permanent: 3 });
    // Every record ends in exactly one accepted call or alone in a refused one.
    expect(writer.calls.filter((call) => call.leadIds.length === 1).map((call) => call.leadIds[0])).toEqual(
      expect.arrayContaining([...invalid]),
    );
  });

  it('parks a record refused on its own at once', async () => {
    const time = fakeTime();
    const writer = new ValueCheckingWriter(time.clock, new Set(['hubspot:contact:1']));

    const result = await writeScores(writes(1), scoresDeps(writer, time));

    expect(writer.calls).toHaveLength(1);
    expect(result.results.get('hubspot:contact:1')?.kind).toBe('permanent');
  });

  it('does not split a refusal that would fail every record alike', async () => {
    const time = fakeTime();
    const writer = new ScriptedWriter(time.clock, [failWith('rejected')]);

    const result = await writeScores(writes(100), scoresDeps(writer, time));

    expect(writer.calls).toHaveLength(1);
    expect(kindCounts(result.results)).toEqual({ permanent: 100 });
  });

  it('sends the halves through the call budget like any call', async () => {
    const time = fakeTime();
    const writer = new ValueCheckingWriter(time.clock, new Set(['hubspot:contact:1']));
    const deps = scoresDeps(writer, time);
    // One call left in a 10 s window: each half waits for the window to roll on.
    deps.budget.observe({ windowRemaining: 1, windowMs: 10_000 }, T0);

    const result = await writeScores(writes(2), deps);

    expect(writer.calls.map((call) => [call.at - T0, call.leadIds.length])).toEqual([
      [0, 2],
      [10_000, 1],
      [10_000, 1],
    ]);
    expect(kindCounts(result.results)).toEqual({ written: 1, permanent: 1 });
  });
});
