/**
 * Writes score records to the CRM in as few calls as its batch limits allow, retrying only what failed:
 * transient failures with backoff, throttling after the pause the CRM asked for, all within the
 * invocation's retry window. What is still unwritten when the window closes (or the daily floor is
 * reached) is deferred: its messages go back to SQS, so nothing is lost. A call the CRM refused whole
 * for what one of its records holds is split until that record stands alone, so the others are written.
 */
import type { CallBudget } from './call-budget';
import { CrmCallError, toCallError, type CrmWriter, type ScoreWrite } from './crm-writer';
import { backoffMs, RetryWindow, throttlePauseMs, withTimeout, type RetryPolicy } from './retry-policy';

/**
 * A `rejected` call that one record's values may have caused, the CRM not saying which (HubSpot refuses a
 * whole batch update when one input has an invalid value). A call of several records is halved, and the
 * halves are written in its place, until each refused record is alone in its call; only those fail.
 */
export class WholeBatchRefusal extends CrmCallError {
  constructor(message: string, details: CrmCallError['details'] = {}) {
    super('rejected', message, details);
  }
}

export type LeadWriteResult =
  | { readonly kind: 'written' }
  | { readonly kind: 'permanent'; readonly reason: string; readonly recordGone: boolean }
  | { readonly kind: 'deferred'; readonly reason: string };

export type StopReason = 'quota' | 'auth' | 'deadline';

export interface WriteScoresDeps {
  readonly writer: CrmWriter;
  readonly budget: CallBudget;
  readonly policy: RetryPolicy;
  readonly clock: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random?: () => number;
  /** Epoch ms the invocation must have answered by. */
  readonly deadlineAt?: number;
}

export interface WriteScoresResult {
  /** By lead id. */
  readonly results: Map<string, LeadWriteResult>;
  readonly calls: number;
  readonly failedCalls: number;
  readonly stoppedFor?: StopReason;
  /** Why it stopped, e.g. the CRM's error. */
  readonly stopDetail?: string;
}

/** Groups records that may share a call, then cuts each group into batches of at most `maxBatch`. */
export function planCalls(writes: readonly ScoreWrite[], writer: CrmWriter): ScoreWrite[][] {
  const groups = new Map<string, ScoreWrite[]>();
  for (const write of writes) {
    const key = writer.callGroup(write);
    const group = groups.get(key) ?? [];
    group.push(write);
    groups.set(key, group);
  }
  const calls: ScoreWrite[][] = [];
  for (const group of groups.values()) {
    for (let start = 0; start < group.length; start += writer.maxBatch) {
      calls.push(group.slice(start, start + writer.maxBatch));
    }
  }
  return calls;
}

/** `window`: the time this may take, when it shares an invocation's window with other work. */
export async function writeScores(
  writes: readonly ScoreWrite[],
  deps: WriteScoresDeps,
  window: RetryWindow = new RetryWindow(deps.clock(), deps.policy, deps.deadlineAt),
): Promise<WriteScoresResult> {
  const { writer, budget, policy, clock } = deps;
  const results = new Map<string, LeadWriteResult>();
  let pending: ScoreWrite[] = [...writes];
  let lastReason = new Map<string, string>();
  let calls = 0;
  let failedCalls = 0;
  /** 429s since the last call that went through: each one pauses longer. */
  let throttledInARow = 0;
  let stoppedFor: StopReason | undefined;
  let stopDetail = '';

  const stop = (reason: StopReason, detail: string) => {
    stoppedFor = reason;
    stopDetail = detail;
  };

  for (let round = 1; pending.length > 0 && !stoppedFor; round++) {
    const retry: ScoreWrite[] = [];
    const nextReason = new Map<string, string>();
    let transientSeen = false;
    const batches = planCalls(pending, writer);
    for (let index = 0; index < batches.length; index++) {
      const batch = batches[index] ?? [];
      const gate = await passGate(deps, window);
      if (gate) {
        stop(gate.reason, gate.detail);
        retry.push(...batches.slice(index).flat());
        break;
      }
      budget.spend();
      calls++;
      try {
        const result = await withTimeout(writer.writeBatch(batch), policy.callTimeoutMs);
        throttledInARow = 0;
        budget.observe(result.budget, clock());
        for (const write of batch) {
          const outcome = result.outcomes.get(write.leadId) ?? {
            kind: 'transient' as const,
            reason: 'the CRM returned no result for this record',
          };
          if (outcome.kind === 'transient') {
            transientSeen = true;
            retry.push(write);
            nextReason.set(write.leadId, outcome.reason);
          } else {
            results.set(write.leadId, outcome);
          }
        }
      } catch (caught) {
        failedCalls++;
        const error = toCallError(caught);
        budget.observe(error.details.budget, clock());
        const reason = `${writer.system}: ${error.message}`;
        if (error instanceof WholeBatchRefusal && batch.length > 1) {
          // Next in this round: the halves, and theirs in turn, before any other call.
          const half = Math.ceil(batch.length / 2);
          batches.splice(index + 1, 0, batch.slice(0, half), batch.slice(half));
          continue;
        }
        if (error.kind === 'rejected') {
          for (const write of batch)
            results.set(write.leadId, { kind: 'permanent', reason, recordGone: false });
          continue;
        }
        for (const write of batch) nextReason.set(write.leadId, reason);
        if (error.kind === 'throttled') {
          throttledInARow++;
          budget.pause(throttlePauseMs(error.details.retryAfterMs, throttledInARow, policy), clock());
          retry.push(...batch);
          continue;
        }
        // Transient, quota or auth: the rest of this round would fail the same way; back off (or stop) first.
        const rest = batches.slice(index).flat();
        retry.push(...rest);
        for (const write of rest) nextReason.set(write.leadId, reason);
        if (error.kind === 'quota') stop('quota', reason);
        else if (error.kind === 'auth') stop('auth', reason);
        else transientSeen = true;
        break;
      }
    }
    pending = retry;
    lastReason = new Map([...lastReason, ...nextReason]);
    if (pending.length === 0 || stoppedFor) break;
    const delay = transientSeen ? backoffMs(round, policy, deps.random) : 0;
    if (!window.allows(clock(), delay)) {
      stop('deadline', 'retry window closed');
      break;
    }
    if (delay > 0) await deps.sleep(delay);
  }

  for (const write of pending) {
    results.set(write.leadId, { kind: 'deferred', reason: lastReason.get(write.leadId) ?? stopDetail });
  }
  return { results, calls, failedCalls, ...(stoppedFor ? { stoppedFor, stopDetail } : {}) };
}

/** Waits while the budget asks for it; says why not to call at all when the wait cannot fit or the floor is reached. */
async function passGate(
  deps: WriteScoresDeps,
  window: RetryWindow,
): Promise<{ reason: StopReason; detail: string } | undefined> {
  for (;;) {
    const now = deps.clock();
    const decision = deps.budget.decide(now);
    if (decision.kind === 'exhausted') return { reason: 'quota', detail: decision.reason };
    const waitMs = decision.kind === 'wait' ? decision.ms : 0;
    if (!window.allows(now, waitMs)) return { reason: 'deadline', detail: 'retry window closed' };
    if (decision.kind === 'go') return undefined;
    await deps.sleep(decision.ms);
  }
}
