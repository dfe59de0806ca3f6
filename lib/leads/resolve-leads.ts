/**
 * Which lead each event belongs to: its CRM record, else its email's own lead (`emailLeadId`), followed
 * through merges. The identity map is those leads: a CRM record that claims an email leaves the email's
 * lead as a tombstone pointing to it (see plan-lead.ts), so email events find the record in the same
 * reads that load their lead.
 */
import type { LeadEvent } from '../events/lead-event';
import { emailLeadId, naturalLeadId, profileEmail, releasesEmail, type LeadState } from './lead-state';
import type { LeadStore } from './ports';

/** Redirects through leads that were merged away, at most this deep (a merge of a merge of a merge). */
const MAX_MERGE_HOPS = 4;

export interface ResolvedGroup {
  readonly leadId: string;
  readonly events: LeadEvent[];
  /** Each event's caller key (an SQS message id), to report failures per message. */
  readonly keys: string[];
  /** The lead as read, when it exists. */
  readonly state?: LeadState;
}

export async function resolveLeads(
  items: readonly { readonly key: string; readonly event: LeadEvent }[],
  store: LeadStore,
): Promise<ResolvedGroup[]> {
  const groups = new Map<string, { events: LeadEvent[]; keys: string[] }>();
  // A CRM record in the same batch that names an unclaimed email takes its events now, not after a retry.
  const claimants = new Map<string, string>();
  for (const { key, event } of items) {
    const leadId = naturalLeadId(event);
    const group = groups.get(leadId) ?? { events: [], keys: [] };
    group.events.push(event);
    group.keys.push(key);
    groups.set(leadId, group);
    const email = event.who.crm ? profileEmail(event.profile) : undefined;
    const emailLead = email && emailLeadId(email);
    if (emailLead && !claimants.has(emailLead)) claimants.set(emailLead, leadId);
  }
  const resolved = await followMerges([...groups.keys()], store);
  const merged = new Map<string, ResolvedGroup>();
  for (const [leadId, group] of groups) {
    const followed = resolved.get(leadId) ?? { target: leadId };
    const unclaimed = followed.target === leadId || releasesEmail(followed.state);
    const claimant = unclaimed ? claimants.get(leadId) : undefined;
    const { target, state } = claimant ? (resolved.get(claimant) ?? { target: claimant }) : followed;
    const existing = merged.get(target);
    merged.set(target, {
      leadId: target,
      state,
      events: [...(existing?.events ?? []), ...group.events],
      keys: [...(existing?.keys ?? []), ...group.keys],
    });
  }
  return [...merged.values()];
}

export interface Followed {
  /** The lead that now stands for the one asked about. */
  readonly target: string;
  /** Its state, when it exists. */
  readonly state?: LeadState;
}

/** Reads leads, replacing each one merged away by the lead it was merged into. */
export async function followMerges(
  leadIds: readonly string[],
  store: LeadStore,
): Promise<Map<string, Followed>> {
  const result = new Map<string, Followed>();
  let pending = new Map(leadIds.map((id) => [id, id]));
  for (let hop = 0; hop < MAX_MERGE_HOPS && pending.size > 0; hop++) {
    const read = await store.getLeads([...new Set(pending.values())]);
    const next = new Map<string, string>();
    for (const [original, current] of pending) {
      const state = read.get(current);
      if (state?.status === 'merged' && state.mergedInto) next.set(original, state.mergedInto);
      else result.set(original, { target: current, state });
    }
    pending = next;
  }
  for (const [original, current] of pending) result.set(original, { target: current });
  return result;
}
