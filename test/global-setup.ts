/** Spawns one DynamoDB Local for the whole run without waiting; tests that need it wait for it. */
import { spawnDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodb-local';

declare global {
  var __leadscoreDynamoDb: DynamoDbLocal | undefined;
}

export default async function globalSetup(): Promise<void> {
  const emulator = await spawnDynamoDbLocal();
  globalThis.__leadscoreDynamoDb = emulator;
  process.env.LEADSCORE_TEST_DYNAMODB_ENDPOINT = emulator.endpoint;
}
