/** The write-back's CRM port: one batch call per `writeBatch`, with per-record outcomes and what the CRM said about its budgets. */
import type { CrmRef, CrmSystem } from '../events/lead-event';

/** What we write to a CRM record: the lead's current result. */
export interface ScoreValues {
  readonly score: number;
  readonly grade: string;
  readonly stage: string;
  readonly reasons: string;
  /** ISO instant the score was computed. */
  readonly scoredAt: string;
}

export interface ScoreWrite {
  readonly leadId: string;
  readonly ref: CrmRef;
  readonly values: ScoreValues;
  /** Grade or stage changed: Salesforce may run assignment rules for it (if the admin wants). */
  readonly qualificationChanged: boolean;
}

export type RecordOutcome =
  | { readonly kind: 'written' }
  /** The CRM will never take this write as it stands (record gone, field missing, validation rule). */
  | { readonly kind: 'permanent'; readonly reason: string; readonly recordGone: boolean }
  /** Worth trying again (row lock, server busy). */
  | { readonly kind: 'transient'; readonly reason: string };

/** What the CRM reported about its budgets in the last response (absent parts were not reported). */
export interface BudgetReport {
  /** Calls left in the rolling window (HubSpot's 10 seconds) and the window's length. */
  readonly windowRemaining?: number;
  readonly windowMs?: number;
  /** The daily allocation (Salesforce Sforce-Limit-Info). */
  readonly dailyUsed?: number;
  readonly dailyLimit?: number;
}

export interface CallResult {
  /** By lead id, one per record in the call. */
  readonly outcomes: ReadonlyMap<string, RecordOutcome>;
  readonly budget?: BudgetReport;
}

/**
 * Why a whole call failed. `transient`: 5xx, timeout, network; `throttled`: a rate limit that clears by
 * itself shortly; `quota`: the daily allocation is spent (stop writing); `auth`: the CRM refused our
 * credentials even after a new token; `rejected`: the CRM refused the request itself (every record in it
 * fails for good).
 */
export type CallFailureKind = 'transient' | 'throttled' | 'quota' | 'auth' | 'rejected';

export class CrmCallError extends Error {
  override readonly name = 'CrmCallError';

  constructor(
    readonly kind: CallFailureKind,
    message: string,
    readonly details: { readonly retryAfterMs?: number; readonly budget?: BudgetReport } = {},
  ) {
    super(message);
  }
}

export interface CrmWriter {
  readonly system: CrmSystem;
  /** Records per call (HubSpot batch update 100, Salesforce sObject collections 200). */
  readonly maxBatch: number;
  /** Records with the same key may share a call (object type, assignment header). */
  callGroup(write: ScoreWrite): string;
  /** One API call; throws CrmCallError when the call as a whole failed. */
  writeBatch(batch: readonly ScoreWrite[]): Promise<CallResult>;
}

/** Errors of reading the CRM secrets that no retry will fix (bad document, missing or forbidden secret). */
const CONFIGURATION_ERRORS = new Set([
  'CrmSecretsError',
  'SecretUnavailableError',
  'ResourceNotFoundException',
  'AccessDeniedException',
  'DecryptionFailure',
]);

/** A failure to get credentials, as a call failure: configuration problems stop the writing, the rest is retried. */
export function credentialsFailure(error: unknown): CrmCallError {
  if (error instanceof CrmCallError) return error;
  const { name, message } = error instanceof Error ? error : new Error(String(error));
  return new CrmCallError(
    CONFIGURATION_ERRORS.has(name) ? 'auth' : 'transient',
    `CRM credentials unavailable: ${message}`,
  );
}

/** Anything a call threw, as a call failure: what the adapters did not classify (timeouts, bugs) is transient. */
export function toCallError(error: unknown): CrmCallError {
  if (error instanceof CrmCallError) return error;
  return new CrmCallError('transient', error instanceof Error ? error.message : String(error));
}
