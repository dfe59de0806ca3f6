/**
 * Rescoring every lead with the active (or a given) rules version: a segmented parallel scan, each page
 * handed to the worker's own updateLeads (conditional writes, write-back announcements for real changes
 * only), with a checkpoint per segment after every page so that an interrupted job resumes where it
 * stopped. Redoing the page in flight at a crash is harmless: rescoring is idempotent.
 */
import type { LeadState } from '../leads/lead-state';
import { updateLeads, type ProcessDeps } from '../leads/process-events';
import { rescore, writeBackDue, type ScoredModel } from '../leads/rescore';
import type { ResolvedGroup } from '../leads/resolve-leads';
import type { JobStore, RescoreJob, SegmentCheckpoint } from './job-store';
import type { LeadScanner } from './lead-scan';

export interface RescoreDeps {
  readonly scanner: LeadScanner;
  readonly jobs: JobStore;
  /** The worker's dependencies; `model` gives the version to score with. */
  readonly process: ProcessDeps;
}

export interface RescoreRun {
  readonly pageSize?: number;
  /** Checked before each page; true stops the job (resumable). */
  readonly shouldStop?: () => boolean;
  /** Items read since the last call, for progress. */
  readonly onProgress?: (scanned: number) => void;
}

export interface RescoreSummary {
  readonly job: RescoreJob;
  /** Every segment finished. */
  readonly complete: boolean;
  readonly scanned: number;
  readonly rescored: number;
  readonly unchanged: number;
  readonly inactive: number;
  readonly announced: number;
  readonly failed: number;
  /** Leads that could not be saved in this run (a few, for the message). */
  readonly failedLeadIds: readonly string[];
}

export class JobNotFoundError extends Error {
  override readonly name = 'JobNotFoundError';
}

export const newCheckpoint = (segment: number): SegmentCheckpoint => ({
  segment,
  done: false,
  scanned: 0,
  rescored: 0,
  unchanged: 0,
  inactive: 0,
  announced: 0,
  failed: 0,
});

/** Whether saving a rescored lead would change anything (score, rules version, due time, events, write-back). */
export function needsRescore(state: LeadState, model: ScoredModel, now: Date): boolean {
  if (state.status !== 'active') return false;
  const next = rescore(state, model, now);
  const [before, after] = [state.score, next.score];
  if (!before || !after) return true;
  return (
    before.rulesVersion !== after.rulesVersion ||
    before.score !== after.score ||
    before.fit !== after.fit ||
    before.engagement !== after.engagement ||
    before.grade !== after.grade ||
    before.stage !== after.stage ||
    before.reasons !== after.reasons ||
    state.nextChangeAt !== next.nextChangeAt ||
    state.events.length !== next.events.length ||
    writeBackDue(next)
  );
}

export async function startRescore(
  deps: RescoreDeps,
  job: RescoreJob,
  run: RescoreRun = {},
): Promise<RescoreSummary> {
  const segments = Array.from({ length: job.segments }, (_, segment) => newCheckpoint(segment));
  await deps.jobs.createJob(job, segments);
  return runSegments(deps, job, segments, run);
}

export async function resumeRescore(
  deps: RescoreDeps,
  jobId: string,
  run: RescoreRun = {},
): Promise<RescoreSummary> {
  const stored = await deps.jobs.getJob(jobId);
  if (!stored) throw new JobNotFoundError(`no rescore job "${jobId}" in the config table`);
  const segments = Array.from(
    { length: stored.job.segments },
    (_, segment) =>
      stored.segments.find((checkpoint) => checkpoint.segment === segment) ?? newCheckpoint(segment),
  );
  return runSegments(deps, stored.job, segments, run);
}

async function runSegments(
  deps: RescoreDeps,
  job: RescoreJob,
  checkpoints: SegmentCheckpoint[],
  run: RescoreRun,
): Promise<RescoreSummary> {
  const failedLeadIds: string[] = [];
  await Promise.all(
    checkpoints.map(async (start, index) => {
      let checkpoint = start;
      while (!checkpoint.done) {
        if (run.shouldStop?.()) return;
        const page = await deps.scanner.scanLeads(
          checkpoint.segment,
          job.segments,
          checkpoint.cursor,
          run.pageSize,
        );
        const model = await deps.process.model();
        const now = deps.process.now();
        const stale = page.leads.filter((lead) => needsRescore(lead, model, now));
        const active = page.leads.filter((lead) => lead.status === 'active').length;
        const groups: ResolvedGroup[] = stale.map((lead) => ({
          leadId: lead.leadId,
          state: lead,
          events: [],
          keys: [lead.leadId],
        }));
        const result =
          groups.length > 0
            ? await updateLeads(groups, deps.process)
            : { leadsSaved: 0, announced: 0, failedKeys: [] };
        failedLeadIds.push(...result.failedKeys);
        checkpoint = {
          segment: checkpoint.segment,
          ...(page.cursor ? { cursor: page.cursor } : {}),
          done: page.cursor === undefined,
          scanned: checkpoint.scanned + page.leads.length,
          rescored: checkpoint.rescored + result.leadsSaved,
          unchanged: checkpoint.unchanged + active - stale.length,
          inactive: (checkpoint.inactive ?? 0) + page.leads.length - active,
          announced: checkpoint.announced + result.announced,
          failed: checkpoint.failed + result.failedKeys.length,
        };
        await deps.jobs.saveSegment(job.id, checkpoint);
        checkpoints[index] = checkpoint;
        run.onProgress?.(page.leads.length);
      }
    }),
  );
  const total = (key: 'scanned' | 'rescored' | 'unchanged' | 'inactive' | 'announced' | 'failed') =>
    checkpoints.reduce((sum, checkpoint) => sum + (checkpoint[key] ?? 0), 0);
  return {
    job,
    complete: checkpoints.every((checkpoint) => checkpoint.done),
    scanned: total('scanned'),
    rescored: total('rescored'),
    unchanged: total('unchanged'),
    inactive: total('inactive'),
    announced: total('announced'),
    failed: total('failed'),
    failedLeadIds: failedLeadIds.slice(0, 20),
  };
}
