/** The stores the marketing-ops commands work on, built once from the environment (local or AWS). */
import { userInfo } from 'node:os';
import { DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbLeadStore } from '../adapters/dynamodb-lead-store';
import { DynamoDbRuleStore } from '../adapters/dynamodb-rule-store';
import { SqsWriteBackQueue } from '../adapters/sqs-write-back-queue';
import type { Env } from '../config/env';
import { loadAdminConfig, type AdminConfig, type AdminNeeds } from './admin-config';
import { DynamoDbJobStore } from './job-store';

export interface AdminRuntime {
  readonly config: AdminConfig;
  readonly rules: DynamoDbRuleStore;
  readonly jobs: DynamoDbJobStore;
  /** Present when LEADS_TABLE is set. */
  readonly leads?: DynamoDbLeadStore;
  /** Present when WRITEBACK_QUEUE_URL is set. */
  readonly writeBacks?: SqsWriteBackQueue;
  /** DynamoDB's item count of the leads table (tombstones included; refreshed about every 6 hours on AWS). */
  approximateLeadCount(): Promise<number | undefined>;
  close(): void;
}

/** Who is acting, for the versions' history: LEADSCORE_USER, else the OS user. */
export function currentUser(env: Env): string {
  if (env.LEADSCORE_USER?.trim()) return env.LEADSCORE_USER.trim();
  try {
    return userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
}

/** An AWS client's settings for an endpoint override (DynamoDB Local, an SQS emulator), as both clients take. */
interface EndpointConfig {
  readonly endpoint?: string;
  readonly region?: string;
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

function clientConfig(endpoint: string | undefined, env: Env): EndpointConfig {
  if (!endpoint) return {};
  // Local emulators take any credentials; without these the SDK would look for real ones and fail.
  const hasCredentials = Boolean(env.AWS_ACCESS_KEY_ID || env.AWS_PROFILE);
  return {
    endpoint,
    ...(env.AWS_REGION || env.AWS_DEFAULT_REGION ? {} : { region: 'us-east-1' }),
    ...(hasCredentials ? {} : { credentials: { accessKeyId: 'local', secretAccessKey: 'local' } }),
  };
}

export function openAdminRuntime(env: Env, needs: AdminNeeds = {}): AdminRuntime {
  const config = loadAdminConfig(env, needs);
  const client = new DynamoDBClient(clientConfig(config.endpoint, env));
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  // The SQS emulator is named as DynamoDB Local is, by the SDK's own variable (AWS_ENDPOINT_URL_SQS).
  const sqs = config.writeBackQueueUrl
    ? new SQSClient(clientConfig(env.AWS_ENDPOINT_URL_SQS, env))
    : undefined;
  const leadsTable = config.leadsTable;
  return {
    config,
    rules: new DynamoDbRuleStore(documents, config.configTable, config.rulesetName),
    jobs: new DynamoDbJobStore(documents, config.configTable),
    ...(leadsTable ? { leads: new DynamoDbLeadStore(documents, leadsTable) } : {}),
    ...(sqs && config.writeBackQueueUrl
      ? { writeBacks: new SqsWriteBackQueue(sqs, config.writeBackQueueUrl) }
      : {}),
    async approximateLeadCount() {
      if (!leadsTable) return undefined;
      try {
        const { Table } = await client.send(new DescribeTableCommand({ TableName: leadsTable }));
        return Table?.ItemCount;
      } catch {
        return undefined;
      }
    },
    close() {
      client.destroy();
      sqs?.destroy();
    },
  };
}
