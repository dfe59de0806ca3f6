/** Folds a lead's normalized events into its state: profile (last writer wins), events (deduped), status. */
import type { FieldValue, LeadEvent } from '../events/lead-event';
import {
  addEvents,
  crmLeadId,
  isScoringEvent,
  mergeProfile,
  normalizeEmail,
  profileEmail,
  toStoredEvent,
  type LeadState,
} from './lead-state';

export interface ApplyOptions {
  /** Our own score fields: their changes coming back from the CRM are not profile changes (no loops). */
  readonly ownFields: ReadonlySet<string>;
  /** Profile values just read from the CRM, as of `at` (enrichment). */
  readonly enrichment?: { readonly values: Readonly<Record<string, FieldValue>>; readonly at: string };
}

/** True when the event changes nothing we score on: only our own fields changed (our write echoed back). */
export function isEcho(event: LeadEvent, options: ApplyOptions): boolean {
  if (event.type !== 'crm.updated' || !event.profile) return false;
  const fields = Object.keys(event.profile);
  return fields.length > 0 && fields.every((field) => options.ownFields.has(field));
}

/**
 * Whether a record event is about this lead's own record. A deletion of a record merged into this one
 * (it reaches the survivor through the merge's tombstone) deletes that record only, which the tombstone
 * already stands for: the survivor lives on. An erasure does follow the merge: what the erased record
 * held was folded into the survivor and cannot be told apart any more, so privacy wins.
 */
function namesThisRecord(state: LeadState, event: LeadEvent): boolean {
  const record = event.who.crm;
  return !record || !state.crm || crmLeadId(record) === crmLeadId(state.crm);
}

/** Applies events in any order with the same result: callers may pass duplicates and shuffled batches. */
export function applyEvents(
  state: LeadState,
  events: readonly LeadEvent[],
  options: ApplyOptions,
): LeadState {
  if (state.status === 'erased') return state;
  let next: LeadState = state;
  for (const event of events) {
    if (event.type === 'crm.privacy_deleted') return erase(next);
    if (event.type === 'crm.deleted' && next.status === 'active' && namesThisRecord(next, event)) {
      next = { ...next, status: 'deleted' };
    }
    if (!next.crm && event.who.crm) next = { ...next, crm: event.who.crm };
    if (event.profile)
      next = { ...next, ...mergeProfile(next, event.profile, event.occurredAt, options.ownFields) };
  }
  if (options.enrichment) {
    const { values, at } = options.enrichment;
    next = { ...next, ...mergeProfile(next, values, at, options.ownFields), enrichedAt: at };
  }
  const stored = events.filter(isScoringEvent).map(toStoredEvent);
  const merged = addEvents(next.events, stored);
  if (merged !== next.events) next = { ...next, events: merged };
  const email = emailOf(next, events);
  return email && email !== next.email ? { ...next, email } : next;
}

/** Folds a lead that the CRM merged away into the survivor: the union of what both knew. */
export function foldInto(survivor: LeadState, merged: LeadState): LeadState {
  if (survivor.status === 'erased') return survivor;
  let profile = { profile: survivor.profile, profileAt: survivor.profileAt };
  for (const [field, value] of Object.entries(merged.profile)) {
    profile = mergeProfile(profile, { [field]: value }, merged.profileAt[field] ?? new Date(0).toISOString());
  }
  return {
    ...survivor,
    ...profile,
    email: survivor.email ?? merged.email,
    events: addEvents(survivor.events, merged.events),
  };
}

/** Privacy deletion: nothing about the person stays, only a tombstone that stops writes. */
export function erase(state: LeadState): LeadState {
  return {
    leadId: state.leadId,
    status: 'erased',
    profile: {},
    profileAt: {},
    events: [],
    version: state.version,
  };
}

/** The lead's email: from the profile (HubSpot `email`, Salesforce `Email`) or from its email events. */
function emailOf(state: LeadState, events: readonly LeadEvent[]): string | undefined {
  const fromProfile = profileEmail(state.profile);
  if (fromProfile) return fromProfile;
  if (state.email) return state.email;
  const fromEvent = events.find((event) => event.who.email)?.who.email;
  return fromEvent ? normalizeEmail(fromEvent) : undefined;
}
