/**
 * The write-back use case: a batch of write-back messages → the announced leads' CURRENT scores written
 * to the CRM. Reading the state at write time (not the message) means stale or repeated messages can
 * never write old values. Per message: success (written, dropped, or parked in the DLQ for good) or
 * retry (its save has not landed, or the CRM could not take it now).
 */
import type { CrmSystem } from '../events/lead-event';
import type {
  DeadLetters,
  WriteBackHold,
  WriteBackLead,
  WriteBackLeadStore,
  WriteBackRequest,
} from '../leads/ports';
import { WRITEBACK_QUEUE } from '../pipeline-spec';
import { coalesce, splitByStoredVersion, type CoalescedLead, type WriteBackMessage } from './coalesce';
import type { ScoreWrite } from './crm-writer';
import { writeCurrentScores, type MovedLead } from './write-current';
import type { StopReason, WriteScoresDeps } from './write-scores';

export interface WriteBackDeps extends WriteScoresDeps {
  readonly store: WriteBackLeadStore;
  readonly deadLetters: DeadLetters;
  /**
   * The write-back queue itself. A write the CRM could not take yet goes back on it on its last delivery,
   * instead of the DLQ (a long outage or a spent daily API allocation must delay scores, not park them),
   * and a lead that moved on while being written is requeued rather than written twice. Without it,
   * SQS's redrive applies and moved leads are rewritten at once.
   */
  readonly hold?: WriteBackHold;
  /** Deliveries before SQS parks a message (the queue's redrive policy). */
  readonly maxReceiveCount?: number;
  /** How long a held write waits (default HOLD_DELAY_SECONDS). */
  readonly holdDelaySeconds?: number;
  /** Holds before a write is parked (default MAX_HOLDS). */
  readonly maxHolds?: number;
  readonly onError?: (error: unknown, what: string) => void;
}

/** How long a held write waits before it is tried again (SQS's longest delay). */
export const HOLD_DELAY_SECONDS = 900;
/**
 * How often a write is held before it is parked: 96 × 15 minutes, a day and more, which outlasts an outage
 * or a spent daily API allocation. What still fails after that (a revoked token, a field the CRM refuses in
 * a way we do not know to be final) goes to the DLQ with its last reason, instead of being held forever.
 */
export const MAX_HOLDS = 96;

export interface WriteBackOutcome {
  /** Messages SQS should deliver again. */
  readonly failedMessageIds: string[];
  /** Leads written to the CRM. */
  readonly written: number;
  /** Leads with nothing to write (not active, no CRM record, record known gone). */
  readonly dropped: number;
  /** Leads the CRM refused for good (and messages that were not write-back requests), parked in the DLQ. */
  readonly deadLettered: number;
  /** Messages whose lead version is not saved yet. */
  readonly notYetSaved: number;
  /** Leads left for SQS to retry (CRM unavailable, throttled past the window, daily floor). */
  readonly deferred: number;
  /** Of those, leads on their last delivery, put back on the queue for later rather than parked. */
  readonly held: number;
  readonly calls: number;
  readonly failedCalls: number;
  /** Leads written again because their result moved on while they were being written. */
  readonly rewrites: number;
  /** Leads whose result moved on while they were being written, put back on the queue instead. */
  readonly requeued: number;
  readonly stoppedFor?: StopReason;
  readonly stopDetail?: string;
}

export async function writeBack(
  messages: readonly WriteBackMessage[],
  deps: WriteBackDeps,
): Promise<WriteBackOutcome> {
  const { leads, invalid } = coalesce(messages);
  const failed = new Set<string>();
  const fail = (list: readonly WriteBackMessage[]) =>
    list.forEach((message) => failed.add(message.messageId));

  const stored = await readAnnounced(leads, deps.store);
  const writes: ScoreWrite[] = [];
  const toWrite = new Map<string, CoalescedLead>();
  let notYetSaved = 0;
  let dropped = 0;
  for (const announced of leads) {
    const lead = stored.get(announced.leadId);
    // An absent lead is version 0: its first save has not landed.
    const { satisfied, waiting } = splitByStoredVersion(announced, lead?.version ?? 0);
    notYetSaved += waiting.length;
    fail(waiting);
    if (!satisfied || !lead) continue;
    const write = scoreWriteOf(lead, satisfied, deps.writer.system);
    if (!write) {
      dropped++;
      continue;
    }
    writes.push(write);
    toWrite.set(lead.leadId, satisfied);
  }

  const written = await writeCurrentScores(
    writes,
    { ...deps, requeue: requeuer(deps) },
    (lead, previous, system) => scoreWriteOf(lead, previous, system),
  );
  const parked: { lead: CoalescedLead; write: ScoreWrite; reason: string; recordGone: boolean }[] = [];
  let writtenCount = 0;
  const deferred: Deferred[] = [];
  for (const write of writes) {
    const lead = toWrite.get(write.leadId);
    const result = written.results.get(write.leadId);
    if (!lead || !result) continue;
    if (result.kind === 'written') writtenCount++;
    else if (result.kind === 'deferred') deferred.push({ lead, write, reason: result.reason });
    else parked.push({ lead, write, reason: result.reason, recordGone: result.recordGone });
  }

  const { held, exhausted } = await holdLastDeliveries(deferred, deps);
  deferred
    .filter(({ lead }) => !held.includes(lead) && !exhausted.some((entry) => entry.lead === lead))
    .forEach(({ lead }) => fail(lead.messages));
  parked.push(...exhausted);
  await park(parked, invalid, deps, fail);
  return {
    failedMessageIds: messages.map((message) => message.messageId).filter((id) => failed.has(id)),
    written: writtenCount,
    dropped,
    deadLettered: parked.length + invalid.length,
    notYetSaved,
    deferred: deferred.length - exhausted.length,
    held: held.length,
    calls: written.calls,
    failedCalls: written.failedCalls,
    rewrites: written.rewrites,
    requeued: written.requeued,
    ...(written.stoppedFor ? { stoppedFor: written.stoppedFor, stopDetail: written.stopDetail } : {}),
  };
}

/**
 * The announced leads as stored: read eventually consistent first (the worker saved them seconds ago, so
 * a stale answer is rare), then strongly only those the first read shows older than announced, so that a
 * stale read never delays a write until SQS redelivers.
 */
async function readAnnounced(
  leads: readonly CoalescedLead[],
  store: WriteBackLeadStore,
): Promise<Map<string, WriteBackLead>> {
  const stale = store.withStaleReads?.();
  const stored = await (stale ?? store).getLeads(leads.map((lead) => lead.leadId));
  if (!stale) return stored;
  const behind = leads
    .filter((lead) => (stored.get(lead.leadId)?.version ?? 0) < lead.version)
    .map((lead) => lead.leadId);
  if (behind.length === 0) return stored;
  const fresh = await store.getLeads(behind);
  for (const leadId of behind) {
    const lead = fresh.get(leadId);
    if (lead) stored.set(leadId, lead);
  }
  return stored;
}

/** What to write for a lead now, or undefined when there is nothing to write to. */
export function scoreWriteOf(
  lead: WriteBackLead,
  announced: Pick<CoalescedLead, 'qualificationChanged'>,
  system: CrmSystem,
): ScoreWrite | undefined {
  const { crm, score } = lead;
  if (lead.status !== 'active' || !crm || !score || crm.system !== system) return undefined;
  const failure = lead.writeBackFailure;
  if (failure?.recordGone && failure.crmId === crm.id) return undefined;
  return {
    leadId: lead.leadId,
    ref: crm,
    values: {
      score: score.score,
      grade: score.grade,
      stage: score.stage,
      reasons: score.reasons,
      scoredAt: score.scoredAt,
    },
    qualificationChanged: announced.qualificationChanged,
  };
}

/**
 * Puts one request per lead back on the write-back queue as a new message (it stands for all of the lead's
 * messages: the write takes the lead's current state). False when there is no queue or it refused.
 */
async function putBack(
  deps: WriteBackDeps,
  requests: readonly WriteBackRequest[],
  delaySeconds: number,
  what: string,
): Promise<boolean> {
  if (!deps.hold || requests.length === 0) return false;
  try {
    await deps.hold.hold(
      requests.map(({ leadId, version, qualificationChanged, holds }) =>
        JSON.stringify({ leadId, version, qualificationChanged, ...(holds ? { holds } : {}) }),
      ),
      delaySeconds,
    );
    return true;
  } catch (error) {
    deps.onError?.(error, what);
    return false;
  }
}

/** Moved leads go back on the queue with no delay (see write-current.ts). */
function requeuer(deps: WriteBackDeps): ((moved: readonly MovedLead[]) => Promise<boolean>) | undefined {
  if (!deps.hold) return undefined;
  return (moved) =>
    putBack(
      deps,
      moved.map(({ write, version, qualificationChanged }) => ({
        leadId: write.leadId,
        version,
        qualificationChanged,
      })),
      0,
      'write-back requeue',
    );
}

interface Deferred {
  readonly lead: CoalescedLead;
  readonly write: ScoreWrite;
  readonly reason: string;
}

/**
 * The deferred leads any of whose messages is on its last delivery are put back on the queue with a delay
 * (the others go back to SQS as usual), one hold more on their count. Returns the leads held (a hold that
 * fails holds none, and SQS's redrive then applies as before) and, to park, those held MAX_HOLDS times.
 */
async function holdLastDeliveries(
  deferred: readonly Deferred[],
  deps: WriteBackDeps,
): Promise<{ held: CoalescedLead[]; exhausted: (Deferred & { recordGone: false })[] }> {
  const maxReceiveCount = deps.maxReceiveCount ?? WRITEBACK_QUEUE.maxReceiveCount;
  const maxHolds = deps.maxHolds ?? MAX_HOLDS;
  const last = deferred.filter(({ lead }) =>
    lead.messages.some(
      (message) => Number(message.attributes?.ApproximateReceiveCount ?? 1) >= maxReceiveCount,
    ),
  );
  const exhausted = last
    .filter(({ lead }) => lead.holds >= maxHolds)
    .map((entry) => ({
      ...entry,
      reason: `${entry.reason} (still not written after ${entry.lead.holds} holds of the write-back)`,
      recordGone: false as const,
    }));
  const toHold = last.filter(({ lead }) => lead.holds < maxHolds).map(({ lead }) => lead);
  const requests = toHold.map((lead) => ({ ...lead, holds: lead.holds + 1 }));
  const held = await putBack(deps, requests, deps.holdDelaySeconds ?? HOLD_DELAY_SECONDS, 'write-back hold');
  return { held: held ? toHold : [], exhausted };
}

/**
 * Parks refused writes in the DLQ (the newest message, with the CRM's error), then marks their leads so
 * that a gone record is not written again. What cannot be parked stays on the queue to be retried.
 */
async function park(
  parked: readonly { lead: CoalescedLead; write: ScoreWrite; reason: string; recordGone: boolean }[],
  invalid: readonly { message: WriteBackMessage; reason: string }[],
  deps: WriteBackDeps,
  fail: (list: readonly WriteBackMessage[]) => void,
): Promise<void> {
  const letters = [
    ...parked.map(({ lead, reason }) => ({ body: newest(lead).body, reason })),
    ...invalid.map(({ message, reason }) => ({ body: message.body, reason })),
  ];
  if (letters.length === 0) return;
  try {
    await deps.deadLetters.send(letters);
  } catch (error) {
    deps.onError?.(error, 'write-back DLQ');
    parked.forEach(({ lead }) => fail(lead.messages));
    fail(invalid.map(({ message }) => message));
    return;
  }
  const at = new Date(deps.clock()).toISOString();
  await Promise.all(
    parked.map(({ lead, write, reason, recordGone }) =>
      deps.store
        .markWriteBackFailed(lead.leadId, { reason, recordGone, crmId: write.ref.id, at })
        .catch((error: unknown) => deps.onError?.(error, lead.leadId)),
    ),
  );
}

function newest(lead: CoalescedLead) {
  return lead.messages.reduce((best, message) =>
    message.request.version > best.request.version ? message : best,
  );
}

/** The outcome as metric counts (names as the dashboards know them). */
export function outcomeCounts(outcome: WriteBackOutcome): Record<string, number> {
  return {
    writeback_leads_written: outcome.written,
    writeback_leads_rewritten: outcome.rewrites,
    writeback_leads_requeued: outcome.requeued,
    writeback_leads_dropped: outcome.dropped,
    writeback_dead_lettered: outcome.deadLettered,
    writeback_not_yet_saved: outcome.notYetSaved,
    writeback_deferred: outcome.deferred,
    writeback_held: outcome.held,
    writeback_crm_calls: outcome.calls,
    writeback_crm_failed_calls: outcome.failedCalls,
    ...(outcome.stoppedFor ? { [`writeback_stopped_${outcome.stoppedFor}`]: 1 } : {}),
  };
}
