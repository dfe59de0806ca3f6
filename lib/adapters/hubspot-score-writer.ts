/**
 * Score write-back to HubSpot contacts: one batch update (≤100 inputs) per call. A 207 names the failed
 * ids per error; missing records and invalid properties fail for good, anything else is retried. Each
 * input carries its lead id as objectWriteTraceId, which HubSpot's batch results carry back: a contact
 * merged into another is updated under the survivor's id, and its result still finds its input. A result
 * without it is matched by id.
 */
import type { ScoreFieldNames } from '../config/crm-fields';
import type { CallResult, CrmWriter, RecordOutcome, ScoreWrite } from '../writeback/crm-writer';
import { hubSpotBudget, hubSpotCallError, type HubSpotClientSource } from './hubspot-client';

export const HUBSPOT_BATCH_MAX = 100;

/** Error categories (and detail codes) HubSpot will answer the same way however often it is asked. */
const PERMANENT_CATEGORIES = new Set(['OBJECT_NOT_FOUND', 'VALIDATION_ERROR', 'INVALID_PARAMS']);
const GONE_CATEGORIES = new Set(['OBJECT_NOT_FOUND']);

interface BatchError {
  readonly category?: string;
  readonly message?: string;
  readonly context?: Record<string, string[] | undefined>;
  readonly errors?: readonly { readonly code?: string; readonly message?: string }[];
}

/** Our property values as HubSpot takes them: strings; datetimes as epoch milliseconds. */
export function hubSpotProperties(write: ScoreWrite, fields: ScoreFieldNames): Record<string, string> {
  const { values } = write;
  return {
    [fields.score]: String(values.score),
    [fields.grade]: values.grade,
    [fields.stage]: values.stage,
    [fields.reasons]: values.reasons,
    [fields.scoredAt]: String(Date.parse(values.scoredAt)),
  };
}

export class HubSpotScoreWriter implements CrmWriter {
  readonly system = 'hubspot' as const;
  readonly maxBatch = HUBSPOT_BATCH_MAX;

  constructor(
    private readonly source: HubSpotClientSource,
    private readonly fields: ScoreFieldNames,
  ) {}

  callGroup(write: ScoreWrite): string {
    return write.ref.objectType.toLowerCase();
  }

  async writeBatch(batch: readonly ScoreWrite[]): Promise<CallResult> {
    const outcomes = new Map<string, RecordOutcome>();
    const contacts = batch.filter((write) => this.callGroup(write) === 'contact');
    for (const write of batch) {
      if (this.callGroup(write) !== 'contact') {
        outcomes.set(write.leadId, {
          kind: 'permanent',
          reason: `hubspot: scores are written to contacts, not ${write.ref.objectType}`,
          recordGone: false,
        });
      }
    }
    if (contacts.length === 0) return { outcomes };
    const client = await this.source.client();
    let response;
    try {
      response = await client.batchApi.updateWithHttpInfo({
        inputs: contacts.map((write) => ({
          id: write.ref.id,
          objectWriteTraceId: write.leadId,
          properties: hubSpotProperties(write, this.fields),
        })),
      });
    } catch (error) {
      throw hubSpotCallError(error);
    }
    const byId = new Map(contacts.map((write) => [write.ref.id, write.leadId]));
    const sent = new Set(byId.values());
    for (const result of response.data.results ?? []) {
      const traced = result.objectWriteTraceId;
      const leadId = traced !== undefined && sent.has(traced) ? traced : byId.get(String(result.id));
      if (leadId) outcomes.set(leadId, { kind: 'written' });
    }
    const errors = ('errors' in response.data ? response.data.errors : undefined) ?? [];
    for (const error of errors as readonly BatchError[]) {
      const outcome = outcomeOf(error);
      for (const id of error.context?.ids ?? []) {
        const leadId = byId.get(String(id));
        if (leadId) outcomes.set(leadId, outcome);
      }
    }
    return { outcomes, budget: hubSpotBudget(response.headers) };
  }
}

function outcomeOf(error: BatchError): RecordOutcome {
  const category = error.category ?? 'UNKNOWN';
  const codes = (error.errors ?? []).map((detail) => detail.code).filter(Boolean);
  const reason = `hubspot: ${category}${codes.length > 0 ? ` (${codes.join(', ')})` : ''}: ${error.message ?? ''}`;
  if (PERMANENT_CATEGORIES.has(category) || codes.includes('PROPERTY_DOESNT_EXIST')) {
    return { kind: 'permanent', reason, recordGone: GONE_CATEGORIES.has(category) };
  }
  return { kind: 'transient', reason };
}
