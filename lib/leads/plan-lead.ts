/**
 * Plans one lead's update from its events: the new state, the leads it absorbs (CRM merges, its email's
 * earlier lead), identity changes, and the write-back to announce. Pure but for reads through the store.
 */
import type { FieldValue, LeadEvent } from '../events/lead-event';
import { applyEvents, foldInto } from './apply-events';
import { crmLeadId, newLead, type LeadState } from './lead-state';
import type { IdentityWrite, LeadChange, LeadStore, WriteBackRequest } from './ports';
import { qualificationChanged, rescore, writeBackDue, type ScoredModel } from './rescore';

export interface PlanContext {
  readonly store: LeadStore;
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

/** The events belong to another lead: their email was claimed (by a CRM record) since they were routed. */
export interface LeadRedirect {
  readonly redirectTo: string;
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
): Promise<LeadPlan | LeadRedirect> {
  const { store } = context;
  const current = read ?? newLead(leadId);
  let next = applyEvents(current, events, {
    ownFields: context.ownFields,
    enrichment: context.enrichment && { values: context.enrichment, at: context.now.toISOString() },
  });
  const absorbed: LeadState[] = [];
  const identities: IdentityWrite[] = [];

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

  const email = current.email ?? next.email;
  const mapped = email ? await store.resolveEmails([email]) : new Map<string, string>();
  const owner = email ? mapped.get(email) : undefined;
  if (!next.crm && owner !== undefined && owner !== leadId && !read) return { redirectTo: owner };
  if (next.status === 'erased') {
    if (email && owner === leadId) identities.push({ email, leadId: undefined, expected: leadId });
  } else if (next.email && owner === undefined) {
    identities.push({ email: next.email, leadId, expected: undefined });
  } else if (next.email && owner !== leadId && next.crm && owner?.startsWith('email:')) {
    // Events that came by email before the CRM record existed now count for the record.
    const earlier = (await store.getLeads([owner])).get(owner);
    if (earlier?.status === 'active') absorb(earlier);
    identities.push({ email: next.email, leadId, expected: owner });
  }
  identities.push(...(await repointEmails(absorbed, identities, leadId, store)));

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
  return { change: { leads: [next, ...tombstones], identities }, lead: next, announce };
}

/** Emails that pointed to an absorbed lead now point to the survivor (unless already being rewritten). */
async function repointEmails(
  absorbed: readonly LeadState[],
  planned: readonly IdentityWrite[],
  leadId: string,
  store: LeadStore,
): Promise<IdentityWrite[]> {
  const emails = new Map<string, string>();
  for (const lead of absorbed) {
    if (lead.email && !planned.some((write) => write.email === lead.email))
      emails.set(lead.email, lead.leadId);
  }
  if (emails.size === 0) return [];
  const mapped = await store.resolveEmails([...emails.keys()]);
  return [...emails].flatMap(([email, from]) =>
    mapped.get(email) === from ? [{ email, leadId, expected: from }] : [],
  );
}
