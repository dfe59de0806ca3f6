/**
 * LeadStore on one DynamoDB table, keyed `LEAD#<leadId>` (an email's own lead is named by a hash, so no
 * address is in any key; it doubles as the identity map, see resolve-leads.ts). A lead's events live
 * inside its item, deflated: one read and one conditional write rescore a lead, and the item stays a few
 * KB (see docs/architecture.md).
 */
import { createHash } from 'node:crypto';
import {
  BatchGetCommand,
  PutCommand,
  QueryCommand,
  ScanCommand,
  TransactWriteCommand,
  UpdateCommand,
  type DynamoDBDocumentClient,
} from '@aws-sdk/lib-dynamodb';
import type { LeadState } from '../leads/lead-state';
import { decodeState, encodeState, STATE_CODEC } from './lead-state-codec';
import type {
  LeadChange,
  LeadStore,
  WriteBackFailure,
  WriteBackLead,
  WriteBackLeadStore,
} from '../leads/ports';

export const DUE_INDEX = 'due';
export const DUE_SHARDS = 8;
const BATCH_GET_MAX = 100;
const TRANSACT_MAX = 100;

type Item = Record<string, unknown>;

const leadKey = (leadId: string) => `LEAD#${leadId}`;
/** Spreads the due index over a few partitions so that a million leads do not share one. */
const dueShard = (leadId: string) => String(createHash('sha256').update(leadId).digest()[0]! % DUE_SHARDS);

/**
 * A lead's compressed state may take this much of DynamoDB's 400 KB item, the rest being its other
 * attributes (keys, version, due time, a write-back failure mark) with room to spare.
 */
export const MAX_STATE_BYTES = 360_000;

/** Told when a lead's oldest events were dropped to keep its item under DynamoDB's limit. */
export type EventsDropped = (leadId: string, dropped: number, kept: number) => void;

export class DynamoDbLeadStore implements LeadStore, WriteBackLeadStore {
  constructor(
    private readonly client: DynamoDBDocumentClient,
    private readonly tableName: string,
    private readonly consistentReads = true,
    private readonly onEventsDropped?: EventsDropped,
  ) {}

  withStaleReads(): DynamoDbLeadStore {
    return new DynamoDbLeadStore(this.client, this.tableName, false, this.onEventsDropped);
  }

  /** Leads as stored, with the write-back's failure mark when there is one. */
  async getLeads(leadIds: readonly string[]): Promise<Map<string, WriteBackLead>> {
    const items = await this.batchGet([...new Set(leadIds)].map(leadKey));
    return new Map(items.map((item) => [item.leadId as string, fromItem(item)]));
  }

  async save(change: LeadChange): Promise<'saved' | 'conflict'> {
    try {
      // A transaction holds 100 items. Beyond (merges of many records in one batch) the rest are written
      // after, like `then`: folding is idempotent, so a conflict there is redone from a fresh read.
      const together = change.leads.slice(0, TRANSACT_MAX);
      const after = [...change.leads.slice(TRANSACT_MAX), ...(change.then ?? [])];
      const [only] = together;
      if (together.length === 1 && only) {
        await this.client.send(new PutCommand({ TableName: this.tableName, ...this.leadPut(only) }));
      } else {
        // A transaction costs twice the write units of plain writes: only for a lead and its tombstones.
        const items = together.map((lead) => ({ Put: { TableName: this.tableName, ...this.leadPut(lead) } }));
        await this.client.send(new TransactWriteCommand({ TransactItems: items }));
      }
      for (const lead of after) {
        await this.client.send(new PutCommand({ TableName: this.tableName, ...this.leadPut(lead) }));
      }
      return 'saved';
    } catch (error) {
      if (isConditionFailure(error)) return 'conflict';
      throw error;
    }
  }

  async dueLeads(now: Date, cursor?: string): Promise<{ leadIds: string[]; cursor?: string }> {
    let { shard, startKey } = decodeCursor(cursor);
    while (shard < DUE_SHARDS) {
      const page = await this.client.send(
        new QueryCommand({
          TableName: this.tableName,
          IndexName: DUE_INDEX,
          KeyConditionExpression: 'dueShard = :shard AND nextChangeAt <= :now',
          ExpressionAttributeValues: { ':shard': String(shard), ':now': now.toISOString() },
          ProjectionExpression: 'pk',
          ExclusiveStartKey: startKey,
          Limit: 500,
        }),
      );
      const leadIds = (page.Items ?? []).map((item) => (item.pk as string).slice('LEAD#'.length));
      const next = page.LastEvaluatedKey
        ? encodeCursor(shard, page.LastEvaluatedKey)
        : shard + 1 < DUE_SHARDS
          ? encodeCursor(shard + 1)
          : undefined;
      if (leadIds.length > 0 || !next) return { leadIds, cursor: next };
      ({ shard, startKey } = decodeCursor(next));
    }
    return { leadIds: [] };
  }

  /** A new version, so that a worker holding the older one re-reads (and keeps the mark) instead of overwriting it. */
  async markWriteBackFailed(leadId: string, failure: WriteBackFailure): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: { pk: leadKey(leadId) },
          UpdateExpression: 'SET writeBackFailure = :failure, version = version + :one',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':failure': failure, ':one': 1 },
        }),
      );
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
    }
  }

  /**
   * One page of a segmented parallel Scan over the leads (tombstones included): segments can be
   * read at the same time by different workers, and `cursor` resumes a segment where its last page ended.
   */
  async scanLeads(
    segment: number,
    totalSegments: number,
    cursor?: string,
    limit = 200,
  ): Promise<{ leads: LeadState[]; cursor?: string }> {
    const page = await this.client.send(
      new ScanCommand({
        TableName: this.tableName,
        Segment: segment,
        TotalSegments: totalSegments,
        FilterExpression: 'begins_with(pk, :lead)',
        ExpressionAttributeValues: { ':lead': 'LEAD#' },
        ExclusiveStartKey: cursor
          ? (JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as Item)
          : undefined,
        Limit: limit,
      }),
    );
    const leads = (page.Items ?? []).map(fromItem);
    return page.LastEvaluatedKey
      ? { leads, cursor: Buffer.from(JSON.stringify(page.LastEvaluatedKey)).toString('base64url') }
      : { leads };
  }

  private leadPut(lead: LeadState) {
    return {
      Item: toItem(lead, this.onEventsDropped),
      ConditionExpression: lead.version === 0 ? 'attribute_not_exists(pk)' : 'version = :read',
      ExpressionAttributeValues: lead.version === 0 ? undefined : { ':read': lead.version },
    };
  }

  private async batchGet(keys: string[]): Promise<Item[]> {
    const items: Item[] = [];
    for (let start = 0; start < keys.length; start += BATCH_GET_MAX) {
      let request: Record<string, { Keys: Item[]; ConsistentRead?: boolean }> | undefined = {
        [this.tableName]: {
          Keys: keys.slice(start, start + BATCH_GET_MAX).map((pk) => ({ pk })),
          ConsistentRead: this.consistentReads,
        },
      };
      // DynamoDB may hand back part of a batch as unprocessed under load: ask again for the rest.
      for (let attempt = 0; request && Object.keys(request).length > 0; attempt++) {
        if (attempt > 0) await new Promise((resolve) => setTimeout(resolve, 20 * 2 ** Math.min(attempt, 6)));
        const result = await this.client.send(new BatchGetCommand({ RequestItems: request }));
        items.push(...(result.Responses?.[this.tableName] ?? []));
        request = result.UnprocessedKeys as typeof request;
      }
    }
    return items;
  }
}

/** What a lead over MAX_STATE_BYTES is cut down to: room for new events before it needs cutting again. */
const TRIMMED_STATE_BYTES = (MAX_STATE_BYTES * 3) / 4;

/**
 * The state document compressed, within MAX_STATE_BYTES: a lead over it (thousands of events with long
 * URLs, say) keeps its newest events that fit in TRIMMED_STATE_BYTES, instead of failing every save from
 * then on. Its score was computed with all of them; the oldest weigh least once decayed.
 */
function encodeWithin(
  leadId: string,
  document: Omit<LeadState, 'leadId' | 'status' | 'version' | 'nextChangeAt'>,
  dropped?: EventsDropped,
): Uint8Array {
  const whole = encodeState(document);
  if (whole.length <= MAX_STATE_BYTES) return whole;
  const events = document.events;
  const encodeNewest = (count: number) =>
    encodeState({ ...document, events: events.slice(events.length - count) });
  // The most of the newest events that fit, by bisection: encoding is the costly part.
  let fits = 0;
  let tooMany = events.length;
  let best = encodeNewest(0);
  if (best.length > TRIMMED_STATE_BYTES) {
    throw new Error(
      `lead ${leadId}: its profile alone takes ${best.length} bytes compressed, over ${TRIMMED_STATE_BYTES}`,
    );
  }
  while (tooMany - fits > 1) {
    const middle = (fits + tooMany) >>> 1;
    const encoded = encodeNewest(middle);
    if (encoded.length <= TRIMMED_STATE_BYTES) {
      fits = middle;
      best = encoded;
    } else {
      tooMany = middle;
    }
  }
  dropped?.(leadId, events.length - fits, fits);
  return best;
}

/**
 * Everything but the keys, the condition and index attributes is kept as one compressed JSON document
 * (see lead-state-codec.ts): a typical lead then stays under 1 KB, one write unit per save.
 */
function toItem(lead: LeadState, dropped?: EventsDropped): Item {
  const { leadId, status, version, nextChangeAt, ...rest } = lead;
  return {
    pk: leadKey(leadId),
    leadId,
    status,
    version: version + 1,
    state: encodeWithin(leadId, rest, dropped),
    codec: STATE_CODEC,
    // Only leads with a due time are in the sparse due index.
    ...(nextChangeAt ? { nextChangeAt, dueShard: dueShard(leadId) } : {}),
  };
}

function fromItem(item: Item): WriteBackLead {
  const { pk: _pk, dueShard: _shard, state, codec, ...attributes } = item;
  const bytes = state instanceof Uint8Array ? state : new Uint8Array(0);
  const packed = decodeState(bytes, typeof codec === 'number' ? codec : 0);
  // Attributes set by UpdateItem since the last save (a write-back failure mark) sit beside the document.
  return { events: [], profile: {}, profileAt: {}, ...packed, ...attributes } as unknown as WriteBackLead;
}

function isConditionFailure(error: unknown): boolean {
  const name = (error as { name?: string }).name;
  if (name === 'ConditionalCheckFailedException') return true;
  if (name !== 'TransactionCanceledException') return false;
  const reasons = (error as { CancellationReasons?: { Code?: string }[] }).CancellationReasons ?? [];
  return reasons.some(
    (reason) => reason.Code === 'ConditionalCheckFailed' || reason.Code === 'TransactionConflict',
  );
}

function encodeCursor(shard: number, startKey?: Item): string {
  return Buffer.from(JSON.stringify({ shard, startKey })).toString('base64url');
}

function decodeCursor(cursor: string | undefined): { shard: number; startKey?: Item } {
  if (!cursor) return { shard: 0 };
  return JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as { shard: number; startKey?: Item };
}
