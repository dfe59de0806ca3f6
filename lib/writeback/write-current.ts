/**
 * Writes leads' scores and makes sure the CRM ends with the newest. Two invocations can hold different
 * states of one lead (one of them stuck in retries), and the CRM keeps whichever write lands last; so
 * after writing, the leads are read again, and a lead whose result moved on meanwhile is written again:
 * by a later invocation when it can be requeued (it then joins the lead's own pending announcement in
 * one write, instead of costing a call here and another there), else here. The last write to land is
 * then always followed by a check that finds it current, or by another write.
 */
import type { CrmSystem } from '../events/lead-event';
import type { WriteBackLead, WriteBackLeadStore } from '../leads/ports';
import type { ScoreValues, ScoreWrite } from './crm-writer';
import { RetryWindow } from './retry-policy';
import {
  writeScores,
  type LeadWriteResult,
  type WriteScoresDeps,
  type WriteScoresResult,
} from './write-scores';

/** Writes per lead in one invocation before leaving a still-moving lead to the queue. */
export const MAX_WRITE_PASSES = 3;

/** A lead whose result moved on while it was being written: what it holds now, at which version. */
export interface MovedLead {
  readonly write: ScoreWrite;
  readonly version: number;
  /** Grade or stage differ from what was just written. */
  readonly qualificationChanged: boolean;
}

export interface WriteCurrentDeps extends WriteScoresDeps {
  readonly store: Pick<WriteBackLeadStore, 'getLeads'>;
  /** Puts moved leads back on the write-back queue; false when it could not (they are written here). */
  readonly requeue?: (moved: readonly MovedLead[]) => Promise<boolean>;
}

export async function writeCurrentScores(
  writes: readonly ScoreWrite[],
  deps: WriteCurrentDeps,
  current: (lead: WriteBackLead, previous: ScoreWrite, system: CrmSystem) => ScoreWrite | undefined,
): Promise<WriteScoresResult & { rewrites: number; requeued: number }> {
  const window = new RetryWindow(deps.clock(), deps.policy, deps.deadlineAt);
  const results = new Map<string, LeadWriteResult>();
  let calls = 0;
  let failedCalls = 0;
  let rewrites = 0;
  let requeued = 0;
  let stop: Pick<WriteScoresResult, 'stoppedFor' | 'stopDetail'> = {};
  let round: readonly ScoreWrite[] = writes;
  for (let pass = 1; round.length > 0; pass++) {
    const result = await writeScores(round, deps, window);
    calls += result.calls;
    failedCalls += result.failedCalls;
    result.results.forEach((outcome, leadId) => results.set(leadId, outcome));
    if (result.stoppedFor) {
      stop = { stoppedFor: result.stoppedFor, stopDetail: result.stopDetail };
      break;
    }
    const written = round.filter((write) => result.results.get(write.leadId)?.kind === 'written');
    if (written.length === 0) break;
    const now = await deps.store.getLeads(written.map((write) => write.leadId));
    const movedLeads = written.flatMap((write): MovedLead[] => {
      const lead = now.get(write.leadId);
      const next = lead && current(lead, write, deps.writer.system);
      if (!next || sameResult(next.values, write.values)) return [];
      const qualificationChanged =
        next.values.grade !== write.values.grade || next.values.stage !== write.values.stage;
      return [{ write: next, version: lead.version, qualificationChanged }];
    });
    if (movedLeads.length > 0 && deps.requeue && (await deps.requeue(movedLeads))) {
      requeued += movedLeads.length;
      break;
    }
    // Rewritten with its own flag: assignment rules run again only if grade or stage moved since the write.
    const moved = movedLeads.map(({ write, qualificationChanged }) => ({ ...write, qualificationChanged }));
    if (moved.length > 0 && pass >= MAX_WRITE_PASSES) {
      // Still moving: its newer announcement (or SQS's retry of this one) will write it.
      for (const write of moved) {
        results.set(write.leadId, {
          kind: 'deferred',
          reason: 'the lead kept changing while it was written',
        });
      }
      break;
    }
    rewrites += moved.length;
    round = moved;
  }
  return { results, calls, failedCalls, rewrites, requeued, ...stop };
}

/** What the worker announces changes of; the scored time alone moves on every rescore and is not a change. */
function sameResult(a: ScoreValues, b: ScoreValues): boolean {
  return a.score === b.score && a.grade === b.grade && a.stage === b.stage && a.reasons === b.reasons;
}
