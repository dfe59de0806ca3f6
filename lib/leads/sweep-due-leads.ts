/**
 * The decay sweep: leads whose score is due to change by itself (decay, window edges) are found through
 * the due index, a page at a time, and rescored; write-backs go out only for real changes. It also reads
 * the CRM profile of leads saved without one (the CRM was down through all their deliveries): a lead whose
 * read fails again is left due, for the next sweep.
 */
import type { CrmProfileReader } from './ports';
import { updateLeads, type ProcessDeps } from './process-events';
import { followMerges, type ResolvedGroup } from './resolve-leads';

export interface SweepResult {
  readonly pages: number;
  readonly leadsDue: number;
  readonly leadsSaved: number;
  readonly announced: number;
  readonly failed: number;
  /** Where to resume when the sweep stopped early (time budget), else undefined. */
  readonly cursor?: string;
}

export async function sweepDueLeads(
  deps: ProcessDeps,
  options: { readonly cursor?: string; readonly shouldStop?: () => boolean } = {},
): Promise<SweepResult> {
  const now = deps.now();
  const crm = deps.crm && stopAfterFirstFailure(deps.crm);
  let cursor = options.cursor;
  let pages = 0;
  let leadsDue = 0;
  let leadsSaved = 0;
  let announced = 0;
  let failed = 0;
  do {
    const page = await deps.store.dueLeads(now, cursor);
    pages++;
    leadsDue += page.leadIds.length;
    const followed = await followMerges(page.leadIds, deps.store);
    const groups: ResolvedGroup[] = [...followed.entries()].map(([leadId, { target, state }]) => ({
      leadId: target,
      state,
      events: [],
      keys: [leadId],
    }));
    const result = await updateLeads(groups, { ...deps, crm });
    leadsSaved += result.leadsSaved;
    announced += result.announced;
    failed += result.failedKeys.length;
    cursor = page.cursor;
  } while (cursor && !options.shouldStop?.());
  return { pages, leadsDue, leadsSaved, announced, failed, ...(cursor ? { cursor } : {}) };
}

/**
 * After one failed read the CRM is taken to be down for the rest of the run, so that later pages rescore
 * without waiting out the reader's retries again (their leads that need a read stay due).
 */
export function stopAfterFirstFailure(reader: CrmProfileReader): CrmProfileReader {
  let failure: { readonly error: unknown } | undefined;
  return {
    async readProfiles(refs, fields) {
      if (failure) throw failure.error;
      try {
        return await reader.readProfiles(refs, fields);
      } catch (error) {
        failure = { error };
        throw error;
      }
    },
  };
}
