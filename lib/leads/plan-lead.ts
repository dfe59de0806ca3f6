/**
 * Plans one lead's update from its events: the new state, the leads it absorbs (CRM merges, its email's
 * own lead when it claims the email), and the write-back to announce. Pure but for reads through the store.
 */
import type { FieldValue, LeadEvent } from '../events/lead-event';
import { applyEvents, foldInto } from './apply-events';
import { crmLeadId, emailLeadId, newLead, releasesEmail, type LeadState } from './lead-state';
import type { LeadChange, LeadStore, WriteBackRequest } from './ports';
import { followMerges } from './resolve-leads';
import { qualificationChanged, rescore, writeBackDue, type ScoredModel } from './rescore';

export interface PlanContext {
  readonly store: LeadStore;
  /**
   * The store read strongly, when `store` may answer stale (first reads are eventually consistent). A
   * claim found 'taken' is checked again on it: no conditional write depends on that answer, so a stale one
   * would stand (a record created just after the email's previous holder was erased would never claim it).
   */
  readonly freshStore?: LeadStore;
  readonly model: ScoredModel;
  readonly ownFields: ReadonlySet<string>;
  readonly now: Date;
  /** Profile values read from the CRM for this lead (enrichment), if any were read. */
  readonly enrichment?: Readonly<Record<string, FieldValue>>;
  /** The CRM profile was needed but could not be read: the lead is due now, for the sweep to read it. */
  readonly enrichmentMissed?: boolean;
}

export interface LeadPlan {
  readonly change: LeadChange;
  readonly lead: LeadState;
  readonly announce?: WriteBackRequest;
}

const tombstone = (lead: LeadState, into: string): LeadState => ({
  leadId: lead.leadId,
  status: 'merged',
  mergedInto: into,
  profile: {},
  profileAt: {},
  events: [],
  version: lead.version,
});

export async function planLead(
  leadId: string,
  read: LeadState | undefined,
  events: readonly LeadEvent[],
  context: PlanContext,
): Promise<LeadPlan> {
  const { store } = context;
  const current = read ?? newLead(leadId);
  let next = applyEvents(current, events, {
    ownFields: context.ownFields,
    enrichment: context.enrichment && { values: context.enrichment, at: context.now.toISOString() },
  });
  const absorbed: LeadState[] = [];
  // The email's own lead, folded in now and left as a tombstone after this lead is saved (LeadChange.then).
  let claimed: LeadState | undefined;

  const absorb = (other: LeadState) => {
    next = foldInto(next, other);
    absorbed.push(other);
  };

  for (const event of events) {
    if (event.type !== 'crm.merged' || !event.who.crm || next.status === 'erased') continue;
    const mergedIds = (event.mergedIds ?? []).map((id) => crmLeadId({ ...event.who.crm!, id }));
    const others = await store.getLeads(mergedIds.filter((id) => id !== leadId));
    for (const id of mergedIds.filter(
      (id) => id !== leadId && !absorbed.some((lead) => lead.leadId === id),
    )) {
      const other = others.get(id);
      if (other?.status === 'merged') continue;
      // A merged record that we never saw still gets a tombstone, so its late events find the survivor.
      absorb(other ?? newLead(id));
    }
  }

  const claim = next.crm && next.status === 'active' ? next.email : undefined;
  if (claim && claim !== next.claimedEmail) {
    const emailLead = emailLeadId(claim);
    let holder = (await store.getLeads([emailLead])).get(emailLead);
    let outcome = await claimOf(holder, leadId, store);
    const fresh = context.freshStore;
    if (outcome === 'taken' && fresh && fresh !== store) {
      holder = (await fresh.getLeads([emailLead])).get(emailLead);
      outcome = await claimOf(holder, leadId, fresh);
    }
    // The email's own lead becomes a tombstone pointing here: its events are folded in, and email events
    // find this lead through it from now on. The claim is recorded once the tombstone is seen in place.
    if (outcome === 'take') {
      claimed = holder ?? newLead(emailLead);
      next = foldInto(next, claimed);
    }
    if (outcome === 'ours') next = { ...next, claimedEmail: claim };
  }

  next = rescore(next, context.model, context.now);
  if (context.enrichmentMissed && next.status === 'active') {
    next = { ...next, nextChangeAt: context.now.toISOString() };
  }
  let announce: WriteBackRequest | undefined;
  if (writeBackDue(next) && next.score) {
    announce = { leadId, version: current.version + 1, qualificationChanged: qualificationChanged(next) };
    const { score, grade, stage, reasons } = next.score;
    next = { ...next, emitted: { score, grade, stage, reasons } };
  }
  const tombstones = absorbed.map((other) => tombstone(other, leadId));
  const then = claimed ? [tombstone(claimed, leadId)] : [];
  return { change: { leads: [next, ...tombstones], then }, lead: next, announce };
}

/**
 * Whether a CRM lead may claim an email whose own lead is `holder`: 'take' it (absent, an email-only lead,
 * or pointing to a record that was deleted or erased, which gives its email up), 'ours' when it already
 * leads here, or 'taken' by another record (a second record with the same email does not steal it).
 */
async function claimOf(
  holder: LeadState | undefined,
  leadId: string,
  store: LeadStore,
): Promise<'take' | 'ours' | 'taken'> {
  if (holder?.status !== 'merged' || !holder.mergedInto) return 'take';
  if (holder.mergedInto === leadId) return 'ours';
  const owner = (await followMerges([holder.mergedInto], store)).get(holder.mergedInto);
  if (owner?.target === leadId) return 'ours';
  return releasesEmail(owner?.state) ? 'take' : 'taken';
}
