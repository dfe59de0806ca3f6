/**
 * The DynamoDB tables as data, so that the CDK app, the local stack and the tests create the same
 * tables: partition key `pk`, the sparse due-time index on the leads table, TTL attributes.
 */
import type { CreateTableCommandInput } from '@aws-sdk/client-dynamodb';
import { DUE_INDEX } from './dynamodb-lead-store';

export interface TableSpec {
  readonly partitionKey: string;
  readonly sortKey?: string;
  readonly ttlAttribute?: string;
  readonly indexes: readonly {
    readonly name: string;
    readonly partitionKey: string;
    readonly sortKey: string;
  }[];
}

export const LEADS_TABLE: TableSpec = {
  partitionKey: 'pk',
  ttlAttribute: 'expiresAt',
  indexes: [{ name: DUE_INDEX, partitionKey: 'dueShard', sortKey: 'nextChangeAt' }],
};

/** Rule sets: `pk` = `RULESET#<name>`, `sk` = `V#<version>` or `ACTIVE`; also CLI job checkpoints. */
export const CONFIG_TABLE: TableSpec = {
  partitionKey: 'pk',
  sortKey: 'sk',
  indexes: [],
};

/** CreateTable input for a spec (on-demand billing, string keys). */
export function createTableInput(tableName: string, spec: TableSpec): CreateTableCommandInput {
  const attributes = new Set([spec.partitionKey, ...(spec.sortKey ? [spec.sortKey] : [])]);
  for (const index of spec.indexes) attributes.add(index.partitionKey).add(index.sortKey);
  const keySchema = (partition: string, sort?: string) => [
    { AttributeName: partition, KeyType: 'HASH' as const },
    ...(sort ? [{ AttributeName: sort, KeyType: 'RANGE' as const }] : []),
  ];
  return {
    TableName: tableName,
    BillingMode: 'PAY_PER_REQUEST',
    AttributeDefinitions: [...attributes].map((name) => ({ AttributeName: name, AttributeType: 'S' })),
    KeySchema: keySchema(spec.partitionKey, spec.sortKey),
    GlobalSecondaryIndexes:
      spec.indexes.length > 0
        ? spec.indexes.map((index) => ({
            IndexName: index.name,
            KeySchema: keySchema(index.partitionKey, index.sortKey),
            Projection: { ProjectionType: 'KEYS_ONLY' },
          }))
        : undefined,
  };
}
