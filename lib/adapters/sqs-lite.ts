/** SendMessageBatch without the SDK, for the ingest function (see aws-lite.ts for why). */
import type { SendMessageBatchResult } from '@aws-sdk/client-sqs';
import { awsJsonClient, SQS_SERVICE } from './aws-lite';
import type { SendBatch } from './sqs-batch-sender';

export function liteSendBatch(env: Readonly<Record<string, string | undefined>> = process.env): SendBatch {
  const call = awsJsonClient(SQS_SERVICE, env);
  return (input) => call<SendMessageBatchResult>('SendMessageBatch', input);
}
