/**
 * Score write-back to Salesforce: sObject collections update (≤200 records, allOrNone false), one call per
 * object type and assignment header. SaveResults come back in request order (a failed one may lack its
 * id), and carry `statusCode` on the wire although jsforce's types say `errorCode`.
 */
import type { ScoreFieldNames } from '../config/crm-fields';
import {
  CrmCallError,
  type BudgetReport,
  type CallResult,
  type CrmWriter,
  type RecordOutcome,
  type ScoreWrite,
} from '../writeback/crm-writer';
import { errorCode, SalesforceAuthError, type SalesforceSession } from './salesforce-session';

export const SALESFORCE_BATCH_MAX = 200;

/** The record is gone or can never be addressed by this id. */
const GONE = new Set([
  'ENTITY_IS_DELETED',
  'INVALID_CROSS_REFERENCE_KEY',
  'NOT_FOUND',
  'INVALID_ID_FIELD',
  'MALFORMED_ID',
  'CANNOT_UPDATE_CONVERTED_LEAD',
]);
/**
 * The org's score fields refuse the write as set up: a field deleted or renamed, not writable, or a
 * restricted picklist without the value. Salesforce answers these per record or for the whole call.
 */
const FIELD_REFUSED = [
  'INVALID_FIELD',
  'INVALID_FIELD_FOR_INSERT_UPDATE',
  'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
] as const;
/** The org refuses this write as configured (fields, types, validation rules, access) until an admin acts. */
const REFUSED = new Set<string>([
  ...FIELD_REFUSED,
  'INVALID_TYPE',
  'INVALID_TYPE_ON_FIELD_IN_RECORD',
  'FIELD_CUSTOM_VALIDATION_EXCEPTION',
  'FIELD_INTEGRITY_EXCEPTION',
  'STRING_TOO_LONG',
  'NUMBER_OUTSIDE_VALID_RANGE',
  'REQUIRED_FIELD_MISSING',
  'INSUFFICIENT_ACCESS_OR_READONLY',
  'INSUFFICIENT_ACCESS_ON_CROSS_REFERENCE_ENTITY',
  'ENTITY_IS_LOCKED',
  'DUPLICATE_VALUE',
]);
/** Call-level codes that mean the request itself is wrong, or the org's fields refuse it. */
const REJECTED_CALL = new Set<string>([
  'JSON_PARSER_ERROR',
  'EXCEEDED_ID_LIMIT',
  'INVALID_TYPE',
  'MALFORMED_QUERY',
  ...FIELD_REFUSED,
]);
const AUTH_CALL = new Set(['INSUFFICIENT_ACCESS', 'API_DISABLED_FOR_ORG', 'API_CURRENTLY_DISABLED']);

interface WireSaveResult {
  readonly id?: string;
  readonly success: boolean;
  readonly errors?: readonly { statusCode?: string; errorCode?: string; message?: string }[];
}

export interface SalesforceWriterOptions {
  readonly fields: ScoreFieldNames;
  /** Send Sforce-Auto-Assign: TRUE for records whose grade or stage changed (Leads only). */
  readonly assignOnQualificationChange: boolean;
}

/** Lead and Contact as Salesforce spells them. */
export function sObjectType(objectType: string): string {
  const lower = objectType.toLowerCase();
  return lower === 'lead' ? 'Lead' : lower === 'contact' ? 'Contact' : objectType;
}

export class SalesforceScoreWriter implements CrmWriter {
  readonly system = 'salesforce' as const;
  readonly maxBatch = SALESFORCE_BATCH_MAX;

  constructor(
    private readonly session: SalesforceSession,
    private readonly options: SalesforceWriterOptions,
  ) {}

  callGroup(write: ScoreWrite): string {
    return `${sObjectType(write.ref.objectType)}|${this.assigns(write) ? 'TRUE' : 'FALSE'}`;
  }

  async writeBatch(batch: readonly ScoreWrite[]): Promise<CallResult> {
    const [first] = batch;
    if (!first) return { outcomes: new Map() };
    const type = sObjectType(first.ref.objectType);
    const { fields } = this.options;
    const records = batch.map(({ ref, values }) => ({
      Id: ref.id,
      [fields.score]: values.score,
      [fields.grade]: values.grade,
      [fields.stage]: values.stage,
      [fields.reasons]: values.reasons,
      [fields.scoredAt]: values.scoredAt,
    }));
    let usage: BudgetReport | undefined;
    let results: readonly WireSaveResult[];
    try {
      results = (await this.session.call(async (connection) => {
        try {
          return await connection.sobject(type).update(records, {
            allOrNone: false,
            headers: { 'Sforce-Auto-Assign': this.assigns(first) ? 'TRUE' : 'FALSE' },
          });
        } finally {
          usage = salesforceUsage(connection.limitInfo);
        }
      })) as unknown as readonly WireSaveResult[];
    } catch (error) {
      throw salesforceCallError(error, usage);
    }
    const outcomes = new Map<string, RecordOutcome>();
    // Matched by position: a failed result may lack its id.
    batch.forEach((write, index) => outcomes.set(write.leadId, outcomeOf(results[index])));
    return { outcomes, ...(usage ? { budget: usage } : {}) };
  }

  private assigns(write: ScoreWrite): boolean {
    return (
      this.options.assignOnQualificationChange &&
      write.qualificationChanged &&
      sObjectType(write.ref.objectType) === 'Lead'
    );
  }
}

export function salesforceUsage(limitInfo: {
  apiUsage?: { used: number; limit: number };
}): BudgetReport | undefined {
  const usage = limitInfo.apiUsage;
  return usage ? { dailyUsed: usage.used, dailyLimit: usage.limit } : undefined;
}

function outcomeOf(result: WireSaveResult | undefined): RecordOutcome {
  if (!result) return { kind: 'transient', reason: 'salesforce: no SaveResult for this record' };
  if (result.success) return { kind: 'written' };
  const errors = result.errors ?? [];
  const codes = errors.map((error) => error.statusCode ?? error.errorCode ?? 'UNKNOWN');
  const reason = `salesforce: ${errors.map((error, index) => `${codes[index]}: ${error.message ?? ''}`).join('; ')}`;
  if (codes.some((code) => GONE.has(code))) return { kind: 'permanent', reason, recordGone: true };
  const lockedByTrigger = errors.some((error) => /UNABLE_TO_LOCK_ROW/.test(error.message ?? ''));
  if (
    !lockedByTrigger &&
    codes.some((code) => REFUSED.has(code) || code === 'CANNOT_INSERT_UPDATE_ACTIVATE_ENTITY')
  ) {
    return { kind: 'permanent', reason, recordGone: false };
  }
  // UNABLE_TO_LOCK_ROW, SERVER_UNAVAILABLE, UNKNOWN_EXCEPTION and anything new: worth another try.
  return { kind: 'transient', reason };
}

/** What jsforce (or our session) threw, as a call failure. */
export function salesforceCallError(error: unknown, budget?: BudgetReport): CrmCallError {
  if (error instanceof CrmCallError) return error;
  if (error instanceof SalesforceAuthError) return new CrmCallError('auth', error.message, { budget });
  const code = errorCode(error) ?? '';
  const message = `salesforce: ${code ? `${code}: ` : ''}${(error as Error)?.message ?? String(error)}`;
  if (code === 'REQUEST_LIMIT_EXCEEDED') {
    // The daily allocation is TotalRequests; the concurrent-request limit clears within seconds.
    const daily = /TotalRequests/i.test((error as Error).message ?? '');
    return new CrmCallError(daily ? 'quota' : 'throttled', message, { budget });
  }
  if (AUTH_CALL.has(code)) return new CrmCallError('auth', message, { budget });
  if (REJECTED_CALL.has(code)) return new CrmCallError('rejected', message, { budget });
  return new CrmCallError('transient', message, { budget });
}
