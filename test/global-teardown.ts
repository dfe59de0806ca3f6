/** Stops the run's DynamoDB Local (no orphan JVM). */
export default async function globalTeardown(): Promise<void> {
  await globalThis.__leadscoreDynamoDb?.stop();
}
