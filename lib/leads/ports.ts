/** The ports the lead use cases depend on; adapters in lib/adapters implement them. */
import type { CrmRef, FieldValue } from '../events/lead-event';
import type { Rules } from '../scoring';
import type { LeadState } from './lead-state';

/**
 * A change: leads, each at the version it was read, written all or nothing (a survivor and the tombstones
 * of the CRM records it absorbed; past a DynamoDB transaction's 100 items, the rest are written after, as
 * `then` is); then, each on its own, `then`.
 */
export interface LeadChange {
  readonly leads: readonly LeadState[];
  /**
   * Written after `leads`, one by one, each conditional on its version: the email's own lead becoming a
   * tombstone when a CRM record claims the email. A plain write costs half a transaction item, and no
   * transaction is needed: folding a lead in is idempotent, so if one of these fails (the email's lead
   * changed meanwhile) or never happens (a crash in between), the claim is made again on the next try and
   * folds in what is there then. The save answers 'conflict' when one fails, after `leads` were written.
   */
  readonly then?: readonly LeadState[];
}

export interface LeadStore {
  /** Leads by id; absent ids are not in the map. */
  getLeads(leadIds: readonly string[]): Promise<Map<string, LeadState>>;
  /** Writes all or nothing; 'conflict' when any lead changed since it was read. */
  save(change: LeadChange): Promise<'saved' | 'conflict'>;
  /** Leads whose score is due to change by itself at `now` (decay, window edges), a page at a time. */
  dueLeads(now: Date, cursor?: string): Promise<{ leadIds: string[]; cursor?: string }>;
  /**
   * The same store whose reads may be a moment stale (DynamoDB: eventually consistent, half the price).
   * Safe wherever what is read only feeds conditional writes: a stale read then costs a conflict and a
   * retry, which reads from the store itself.
   */
  withStaleReads?(): LeadStore;
}

export interface ActiveRules {
  readonly version: number;
  readonly rules: Rules;
}

export interface RuleStore {
  /** The active rule set; throws NoActiveRulesError when none was activated. */
  getActive(): Promise<ActiveRules>;
}

export class NoActiveRulesError extends Error {
  override readonly name = 'NoActiveRulesError';
}

/** Reads profile fields from the CRM (enrichment): id → field → value; records that no longer exist are absent. */
export interface CrmProfileReader {
  readProfiles(
    refs: readonly CrmRef[],
    fields: readonly string[],
  ): Promise<Map<string, Record<string, FieldValue>>>;
}

/** Where changed leads are announced for write-back. */
export interface WriteBackQueue {
  announce(requests: readonly WriteBackRequest[]): Promise<void>;
}

/** A lead whose written fields should change; the write-back reads its current state when it writes. */
export interface WriteBackRequest {
  readonly leadId: string;
  /** The lead version that carries the change: the write-back waits until the store has it. */
  readonly version: number;
  /** True when grade or stage changed, so that assignment rules may run in the CRM (if the admin wants). */
  readonly qualificationChanged: boolean;
  /** How often the write-back put this request back on its queue because the CRM could not take it yet. */
  readonly holds?: number;
}

/** Why the CRM refused a lead's score write for good (kept on the lead, see WriteBackLeadStore). */
export interface WriteBackFailure {
  readonly reason: string;
  /** The CRM record is gone (deleted, not found): writes to it stop until its id changes. */
  readonly recordGone: boolean;
  /** The CRM record id the failure is about. */
  readonly crmId: string;
  readonly at: string;
}

/** A lead as the write-back reads it: the lead state and the last permanent write failure, if any. */
export type WriteBackLead = LeadState & { readonly writeBackFailure?: WriteBackFailure };

/** What the write-back needs from the lead store. */
export interface WriteBackLeadStore {
  getLeads(leadIds: readonly string[]): Promise<Map<string, WriteBackLead>>;
  /** Records a permanent write failure on the lead (a new version); a lead that no longer exists is left alone. */
  markWriteBackFailed(leadId: string, failure: WriteBackFailure): Promise<void>;
  /**
   * The same store whose reads may be a moment stale (half the price). The write-back reads with it first:
   * a lead read older than announced is read again from the store itself, and a lead that moved on after
   * the stale read is caught by the check after writing.
   */
  withStaleReads?(): WriteBackLeadStore;
}

/** Puts write-back requests back on their queue as new messages, delivered after `delaySeconds` (0–900). */
export interface WriteBackHold {
  hold(bodies: readonly string[], delaySeconds: number): Promise<void>;
}

/** Where messages that can never succeed go, with their reason. */
export interface DeadLetters {
  send(items: readonly { readonly body: string; readonly reason: string }[]): Promise<void>;
}
