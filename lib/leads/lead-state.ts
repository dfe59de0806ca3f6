/** What we keep per lead, and the pure rules for folding normalized events into it. */
import { createHash } from 'node:crypto';
import {
  normalizeEmail,
  RECORD_EVENT_TYPES,
  type CrmRef,
  type FieldValue,
  type LeadEvent,
} from '../events/lead-event';
import { toEpochMs } from '../scoring/time';
import type { ScoringEvent } from '../scoring/types';

/** One event kept for rescoring: the scoring engine's shape, fields flattened in. */
export type StoredEvent = ScoringEvent & {
  readonly id: string;
  readonly type: string;
  readonly occurredAt: string;
};

export type LeadStatus = 'active' | 'deleted' | 'erased' | 'merged';

/** The last result computed for a lead, and the rules version behind it. */
export interface LeadScore {
  readonly score: number;
  readonly fit: number;
  readonly engagement: number;
  readonly grade: string;
  readonly stage: string;
  readonly reasons: string;
  readonly rulesVersion: number;
  readonly scoredAt: string;
}

export interface LeadState {
  readonly leadId: string;
  readonly status: LeadStatus;
  readonly mergedInto?: string;
  readonly crm?: CrmRef;
  /** Normalized (trimmed, lower-case) email. */
  readonly email?: string;
  /**
   * A CRM lead's email whose own lead (`emailLeadId`) now points here: claimed once, so that later events
   * need no identity read. See plan-lead.ts.
   */
  readonly claimedEmail?: string;
  readonly profile: Readonly<Record<string, FieldValue>>;
  /** When each profile field was last set (last writer wins by the CRM's time, not arrival order). */
  readonly profileAt: Readonly<Record<string, string>>;
  readonly events: readonly StoredEvent[];
  /** When the profile was last read from the CRM (enrichment), if ever. */
  readonly enrichedAt?: string;
  readonly score?: LeadScore;
  /** What was last sent to the write-back queue, to emit only real changes. */
  readonly emitted?: Pick<LeadScore, 'score' | 'grade' | 'stage' | 'reasons'>;
  readonly nextChangeAt?: string;
  /** Optimistic concurrency: the version this state was read at (0 = new). */
  readonly version: number;
}

/** A record that was deleted or erased gives its email up: a new record with that email may claim it. */
export const releasesEmail = (lead: LeadState | undefined): boolean =>
  lead?.status === 'deleted' || lead?.status === 'erased';

export { normalizeEmail };

/** The email a profile holds (HubSpot `email`, Salesforce `Email`), normalized; undefined when none. */
export function profileEmail(profile: Readonly<Record<string, FieldValue>> | undefined): string | undefined {
  const value = Object.entries(profile ?? {}).find(([field]) => field.toLowerCase() === 'email')?.[1];
  return typeof value === 'string' && value.includes('@') ? normalizeEmail(value) : undefined;
}

/** Lead ids appear in logs and keys, so an email-keyed lead is named by a hash, never the address. */
export function emailLeadId(email: string): string {
  return `email:${createHash('sha256').update(normalizeEmail(email)).digest('hex').slice(0, 32)}`;
}

export const crmLeadId = (crm: CrmRef): string => `${crm.system}:${crm.objectType.toLowerCase()}:${crm.id}`;

/** The id of the lead an event belongs to before identity resolution: its CRM record, else its email. */
export function naturalLeadId(event: LeadEvent): string {
  if (event.who.crm) return crmLeadId(event.who.crm);
  return emailLeadId(event.who.email ?? '');
}

export const eventKey = (event: LeadEvent): string => `${event.source}:${event.sourceEventId}`;

export function newLead(leadId: string): LeadState {
  return { leadId, status: 'active', profile: {}, profileAt: {}, events: [], version: 0 };
}

/** Longer event keys are stored as a digest: several sources' ids are 64-character SHA-256 hex strings. */
const MAX_STORED_ID_LENGTH = 40;

/**
 * The id an event is stored and deduplicated under: its key, or `<source>:~` and 96 bits of the key's
 * SHA-256 (collisions within one lead's ≤ 2,000 events: ~1e-23). Idempotent (a digest id is short), so
 * events stored under their full key before this existed still deduplicate against new deliveries.
 */
export function storedEventId(key: string): string {
  if (key.length <= MAX_STORED_ID_LENGTH) return key;
  const source = key.slice(0, key.indexOf(':') + 1);
  return `${source}~${createHash('sha256').update(key).digest('base64url').slice(0, 16)}`;
}

export function toStoredEvent(event: LeadEvent): StoredEvent {
  return {
    ...(event.fields ?? {}),
    id: storedEventId(eventKey(event)),
    type: event.type,
    occurredAt: event.occurredAt,
  };
}

/** Sets profile fields whose change is newer than what we hold; equal times tie-break on the value. */
export function mergeProfile(
  state: Pick<LeadState, 'profile' | 'profileAt'>,
  changes: Readonly<Record<string, FieldValue>>,
  at: string,
  ignoredFields: ReadonlySet<string> = new Set(),
): Pick<LeadState, 'profile' | 'profileAt'> {
  let profile = state.profile;
  let profileAt = state.profileAt;
  for (const [field, value] of Object.entries(changes)) {
    if (ignoredFields.has(field)) continue;
    const heldAt = profileAt[field];
    if (heldAt !== undefined && !isNewer(at, value, heldAt, profile[field])) continue;
    if (profile === state.profile) profile = { ...profile };
    if (profileAt === state.profileAt) profileAt = { ...profileAt };
    (profile as Record<string, FieldValue>)[field] = value;
    (profileAt as Record<string, string>)[field] = at;
  }
  return { profile, profileAt };
}

function isNewer(at: string, value: FieldValue, heldAt: string, held: FieldValue | undefined): boolean {
  const [t1, t2] = [Date.parse(at), Date.parse(heldAt)];
  if (t1 !== t2) return t1 > t2;
  return String(value ?? '') > String(held ?? '');
}

/** Adds scoring events not seen before; keeps the list in time order so that pruning drops the oldest. */
export function addEvents(events: readonly StoredEvent[], incoming: readonly StoredEvent[]): StoredEvent[] {
  const seen = new Set(events.map((event) => storedEventId(event.id)));
  const added = incoming.filter((event) => !seen.has(event.id) && (seen.add(event.id), true));
  if (added.length === 0) return events as StoredEvent[];
  return sortByTimeThenId([...events, ...added]);
}

/**
 * Sorted by time, then id. Each time is read once, not twice per comparison: a lead keeps up to 2,000
 * events, and parsing in the comparator made every update's sort cost about a millisecond.
 */
export function sortByTimeThenId(events: readonly StoredEvent[]): StoredEvent[] {
  return events
    .map((event) => ({ event, time: toEpochMs(event.occurredAt) }))
    .sort(
      ({ event: a, time: t1 }, { event: b, time: t2 }) => t1 - t2 || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
    )
    .map(({ event }) => event);
}

export const isScoringEvent = (event: LeadEvent): boolean => !RECORD_EVENT_TYPES.has(event.type);
