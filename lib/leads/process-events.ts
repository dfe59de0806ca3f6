/**
 * The scoring worker's use case: a batch of normalized events → leads updated exactly once in effect.
 * Per lead: read, fold events, rescore, announce the write-back, then save conditionally; a lead that
 * changed meanwhile is re-read and redone, so concurrent batches never lose an update.
 */
import type { FieldValue, LeadEvent } from '../events/lead-event';
import { isEcho } from './apply-events';
import { newLead } from './lead-state';
import { withBatchedReads } from './batched-reads';
import { planLead, type LeadPlan } from './plan-lead';
import type { CrmProfileReader, LeadStore, WriteBackQueue } from './ports';
import type { ScoredModel } from './rescore';
import { followMerges, resolveLeads, type ResolvedGroup } from './resolve-leads';

export interface ProcessDeps {
  readonly store: LeadStore;
  /** The active model; given the newest rules version a lead was seen scored with, never an older one. */
  readonly model: (seenVersion?: number) => Promise<ScoredModel>;
  readonly writeBacks: WriteBackQueue;
  readonly crm?: CrmProfileReader;
  readonly ownFields: ReadonlySet<string>;
  readonly now: () => Date;
  readonly maxAttempts?: number;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly onError?: (error: unknown, leadId: string) => void;
  /**
   * Whether the items of a key will be delivered again if reported failed (default: yes). A lead whose
   * CRM profile could not be read waits for that redelivery; on the last one it is saved without it.
   */
  readonly canRetry?: (key: string) => boolean;
}

export interface ProcessResult {
  /** Keys of the items to retry (their lead could not be saved this time). */
  readonly failedKeys: string[];
  readonly leadsSaved: number;
  readonly announced: number;
  readonly conflicts: number;
  readonly echoes: number;
}

interface Pending {
  readonly group: ResolvedGroup;
  leadId: string;
  state: ResolvedGroup['state'];
  attempts: number;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Where first reads go: the store's stale (half-price) view when it has one. Every write such a read feeds
 * is conditional, and retries after a conflict read from the store itself.
 */
const firstReads = (store: LeadStore): LeadStore => store.withStaleReads?.() ?? store;

export async function processLeadEvents(
  items: readonly { readonly key: string; readonly event: LeadEvent }[],
  deps: ProcessDeps,
): Promise<ProcessResult> {
  const relevant = items.filter(({ event }) => !isEcho(event, { ownFields: deps.ownFields }));
  const groups = await resolveLeads(relevant, firstReads(deps.store));
  const result = await updateLeads(groups, deps);
  return { ...result, echoes: items.length - relevant.length };
}

/** Updates each lead from its group of events (none, for a rescoring), retrying leads that changed meanwhile. */
export async function updateLeads(
  groups: readonly ResolvedGroup[],
  deps: ProcessDeps,
): Promise<Omit<ProcessResult, 'echoes'>> {
  const ownFields = deps.ownFields;
  let model = await deps.model(newestRulesVersion(groups.map((group) => group.state)));
  const enrichment = await enrich(groups, model, deps);
  const failedKeys: string[] = [];
  const canRetry = deps.canRetry ?? (() => true);
  // A lead scored without its CRM profile would show a wrong score (and lack the email that joins its
  // email events), so it waits for a redelivery while one will come.
  const waiting = groups.filter(
    (group) => enrichment.unreachable.has(group.leadId) && group.keys.every(canRetry),
  );
  waiting.forEach((group) => failedKeys.push(...group.keys));
  let pending: Pending[] = groups
    .filter((group) => !waiting.includes(group))
    .map((group) => ({ group, leadId: group.leadId, state: group.state, attempts: 0 }));
  let leadsSaved = 0;
  let announced = 0;
  let conflicts = 0;

  // The plans read claimed emails' leads and absorbed leads at the same moment: one read round for all.
  let reads = withBatchedReads(firstReads(deps.store));
  while (pending.length > 0) {
    const now = deps.now();
    const planned = await settle(pending, (lead) =>
      planLead(lead.leadId, lead.state, lead.group.events, {
        store: reads,
        freshStore: deps.store,
        model,
        ownFields,
        now,
        enrichment: enrichment.profiles.get(lead.group.leadId),
        enrichmentMissed: enrichment.unreachable.has(lead.group.leadId),
      }),
    );
    const ready: { lead: Pending; value: LeadPlan }[] = [];
    for (const entry of planned) if ('value' in entry) ready.push({ lead: entry.lead, value: entry.value });
    planned.filter((entry) => 'error' in entry).forEach(({ lead }) => failedKeys.push(...lead.group.keys));
    const announcements = ready.flatMap(({ value }) => (value.announce ? [value.announce] : []));
    try {
      // Announced before saving: the write-back waits for this version, so a crash between the two loses nothing.
      await deps.writeBacks.announce(announcements);
    } catch (error) {
      deps.onError?.(error, 'write-back queue');
      ready.forEach(({ lead }) => failedKeys.push(...lead.group.keys));
      break;
    }
    announced += announcements.length;
    const saved = await settle(ready, ({ value }) => deps.store.save(value.change));
    const conflicted: Pending[] = [];
    for (const entry of saved) {
      const { lead } = entry.lead;
      if ('error' in entry) {
        deps.onError?.(entry.error, lead.leadId);
        failedKeys.push(...lead.group.keys);
      } else if (entry.value === 'saved') {
        leadsSaved++;
      } else if (++lead.attempts >= (deps.maxAttempts ?? 8)) {
        failedKeys.push(...lead.group.keys);
      } else {
        conflicts++;
        conflicted.push(lead);
      }
    }
    pending = conflicted;
    if (pending.length === 0) break;
    reads = withBatchedReads(deps.store);
    await (deps.sleep ?? sleepFor)(
      10 + Math.random() * 40 * Math.max(...pending.map((lead) => lead.attempts)),
    );
    const reread = await followMerges(
      pending.map((lead) => lead.leadId),
      deps.store,
    );
    for (const lead of pending) {
      const followed = reread.get(lead.leadId);
      lead.leadId = followed?.target ?? lead.leadId;
      lead.state = followed?.state;
    }
    model = await deps.model(newestRulesVersion(pending.map((lead) => lead.state)));
  }
  return { failedKeys, leadsSaved, announced, conflicts };
}

/** The newest rules version any of these leads was scored with, if any was. */
function newestRulesVersion(states: readonly (ResolvedGroup['state'] | undefined)[]): number | undefined {
  const versions = states.flatMap((state) => (state?.score ? [state.score.rulesVersion] : []));
  return versions.length > 0 ? Math.max(...versions) : undefined;
}

/** Runs `work` for each entry, keeping each outcome (value or error) beside its entry. */
async function settle<T, R>(
  entries: readonly T[],
  work: (entry: T) => Promise<R>,
): Promise<({ lead: T; value: R } | { lead: T; error: unknown })[]> {
  return Promise.all(
    entries.map((lead) =>
      work(lead).then(
        (value) => ({ lead, value }),
        (error: unknown) => ({ lead, error }),
      ),
    ),
  );
}

interface Enrichment {
  /** Lead id → the profile values read from the CRM ({} for a record that no longer exists). */
  readonly profiles: Map<string, Record<string, FieldValue>>;
  /** Leads that needed a read the CRM did not answer (after the reader's own retries). */
  readonly unreachable: Set<string>;
}

/**
 * Reads, once per lead and in one CRM call per batch, the profile fields the rules need but the lead
 * lacks (HubSpot webhooks carry ids and single properties, not whole records).
 */
async function enrich(
  groups: readonly ResolvedGroup[],
  { model }: ScoredModel,
  deps: ProcessDeps,
): Promise<Enrichment> {
  const needed = new Map<string, { leadId: string; ref: NonNullable<LeadEvent['who']['crm']> }>();
  for (const group of groups) {
    const state = group.state ?? newLead(group.leadId);
    const ref = state.crm ?? group.events.find((event) => event.who.crm)?.who.crm;
    if (!ref || state.status !== 'active' || state.enrichedAt || !deps.crm) continue;
    const known = new Set([
      ...Object.keys(state.profile),
      ...group.events.flatMap((event) => Object.keys(event.profile ?? {})),
    ]);
    if (model.profileFields.some((field) => !known.has(field)))
      needed.set(ref.id, { leadId: group.leadId, ref });
  }
  const result: Enrichment = { profiles: new Map(), unreachable: new Set() };
  if (needed.size === 0 || !deps.crm) return result;
  try {
    const profiles = await deps.crm.readProfiles(
      [...needed.values()].map(({ ref }) => ref),
      model.profileFields,
    );
    for (const [id, { leadId }] of needed) result.profiles.set(leadId, profiles.get(id) ?? {});
  } catch (error) {
    deps.onError?.(error, 'crm enrichment');
    for (const { leadId } of needed.values()) result.unreachable.add(leadId);
  }
  return result;
}
