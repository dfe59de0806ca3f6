/** The run's DynamoDB Local (started, and answering, before any test: the global setup), with fresh tables per test file. */
import { randomUUID } from 'node:crypto';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { CONFIG_TABLE, createTableInput, LEADS_TABLE } from '../../lib/adapters/table-specs';
import { LOCAL_AWS } from '../../local/dynamodb-local';

export interface TestTables {
  readonly client: DynamoDBClient;
  readonly documents: DynamoDBDocumentClient;
  readonly leadsTable: string;
  readonly configTable: string;
  readonly endpoint: string;
}

export async function createTestTables(): Promise<TestTables> {
  const endpoint = process.env.LEADSCORE_TEST_DYNAMODB_ENDPOINT;
  if (!endpoint)
    throw new Error('LEADSCORE_TEST_DYNAMODB_ENDPOINT is not set: run through jest (global setup)');
  const client = new DynamoDBClient({ ...LOCAL_AWS, endpoint });
  const suffix = randomUUID().slice(0, 8);
  const leadsTable = `leads-${suffix}`;
  const configTable = `config-${suffix}`;
  await client.send(new CreateTableCommand(createTableInput(leadsTable, LEADS_TABLE)));
  await client.send(new CreateTableCommand(createTableInput(configTable, CONFIG_TABLE)));
  const documents = DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });
  return { client, documents, leadsTable, configTable, endpoint };
}
