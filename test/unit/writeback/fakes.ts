/** Test doubles for the write-back: a scripted CRM writer and a clock that sleeps by moving forward. */
import { CallBudget } from '../../../lib/writeback/call-budget';
import {
  CrmCallError,
  type CallResult,
  type CrmWriter,
  type RecordOutcome,
  type ScoreWrite,
} from '../../../lib/writeback/crm-writer';
import type { RetryPolicy } from '../../../lib/writeback/retry-policy';
import type { WriteScoresDeps } from '../../../lib/writeback/write-scores';
import { manualClock } from '../../support/manual-clock';

export const T0 = Date.parse('2026-11-23T12:00:00.000Z');

export const POLICY: RetryPolicy = {
  baseDelayMs: 1_000,
  maxDelayMs: 4_000,
  maxElapsedMs: 30_000,
  safetyMarginMs: 1_000,
  callTimeoutMs: 2_000,
  defaultThrottleMs: 10_000,
};

export function scoreWrite(n: number, overrides: Partial<ScoreWrite> = {}): ScoreWrite {
  return {
    leadId: `hubspot:contact:${n}`,
    ref: { system: 'hubspot', objectType: 'contact', id: String(n) },
    values: { score: n, grade: 'B', stage: 'lead', reasons: 'x +1', scoredAt: '2026-11-23T11:00:00.000Z' },
    qualificationChanged: false,
    ...overrides,
  };
}

/** What one call does: answer per record, or fail as a whole. */
export type Step =
  | { readonly fail: CrmCallError }
  /** Never answers (a hung connection). */
  | { readonly hang: true }
  | { readonly outcomes?: (write: ScoreWrite) => RecordOutcome; readonly budget?: CallResult['budget'] };

export class ScriptedWriter implements CrmWriter {
  readonly system = 'hubspot' as const;
  readonly calls: { at: number; leadIds: string[] }[] = [];
  /** Every record sent, in order. */
  readonly written: ScoreWrite[] = [];

  constructor(
    private readonly clock: () => number,
    private readonly steps: Step[] = [],
    readonly maxBatch = 100,
  ) {}

  callGroup(write: ScoreWrite): string {
    return write.ref.objectType;
  }

  async writeBatch(batch: readonly ScoreWrite[]): Promise<CallResult> {
    this.calls.push({ at: this.clock(), leadIds: batch.map((write) => write.leadId) });
    this.written.push(...batch);
    const step = this.steps.shift() ?? {};
    if ('fail' in step) throw step.fail;
    if ('hang' in step) return new Promise<never>(() => undefined);
    const written: RecordOutcome = { kind: 'written' };
    return {
      outcomes: new Map(batch.map((write) => [write.leadId, step.outcomes?.(write) ?? written])),
      budget: step.budget,
    };
  }
}

export const failWith = (kind: CrmCallError['kind'], retryAfterMs?: number): Step => ({
  fail: new CrmCallError(kind, `${kind} failure`, retryAfterMs === undefined ? {} : { retryAfterMs }),
});

export const fakeTime = (start = T0) => manualClock(start);

export function scoresDeps(
  writer: CrmWriter,
  time: ReturnType<typeof fakeTime>,
  overrides: Partial<WriteScoresDeps> = {},
): WriteScoresDeps {
  return {
    writer,
    budget: new CallBudget(),
    policy: POLICY,
    clock: time.clock,
    sleep: time.sleep,
    random: () => 0,
    ...overrides,
  };
}
