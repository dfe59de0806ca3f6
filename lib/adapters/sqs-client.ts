/** The SQS client every adapter but ingest's uses: made once per process, observable. */
import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { observed } from './aws-observer';
import type { SendBatch } from './sqs-batch-sender';

export const sqsClient = (): SQSClient => observed(new SQSClient({}), 'sqs');

/** SendMessageBatch through an SDK client. */
export const sdkSendBatch =
  (client: SQSClient): SendBatch =>
  (input) =>
    client.send(new SendMessageBatchCommand(input));
