/**
 * Starts one DynamoDB Local for the whole run and waits until it answers (a global setup has no time limit;
 * a test file's beforeAll waiting for a booting JVM on a busy machine could run out of its own).
 */
import { startDynamoDbLocal, type DynamoDbLocal } from '../local/dynamodb-local';

declare global {
  var __leadscoreDynamoDb: DynamoDbLocal | undefined;
}

export default async function globalSetup(): Promise<void> {
  const emulator = await startDynamoDbLocal({ timeoutMs: 180_000 });
  globalThis.__leadscoreDynamoDb = emulator;
  process.env.LEADSCORE_TEST_DYNAMODB_ENDPOINT = emulator.endpoint;
}
