/** Starts the SQS emulator (local-aws-sqs) on a free loopback port and gives a real SDK client for it. */
import type { AddressInfo } from 'node:net';
import {
  CreateQueueCommand,
  DeleteMessageBatchCommand,
  ReceiveMessageCommand,
  SQSClient,
  type Message,
} from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';
import type { SendBatch } from '../../lib/adapters/sqs-batch-sender';
import { liteSendBatch } from '../../lib/adapters/sqs-lite';

export interface SqsEmulator {
  readonly endpoint: string;
  readonly client: SQSClient;
  /** SendMessageBatch through the ingest function's own client (no SDK), as it runs on Lambda. */
  readonly sendBatch: SendBatch;
  createQueue(name: string, attributes?: Record<string, string>): Promise<string>;
  /** Receives until the queue answers empty, deleting what it read. */
  drain(queueUrl: string): Promise<Message[]>;
  stop(): Promise<void>;
}

export const FAKE_AWS = {
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
} as const;

/** The environment the Lambda runtime would give the ingest function's client, pointed at `endpoint`. */
export const liteEnv = (endpoint: string) => ({
  AWS_REGION: FAKE_AWS.region,
  AWS_ACCESS_KEY_ID: FAKE_AWS.credentials.accessKeyId,
  AWS_SECRET_ACCESS_KEY: FAKE_AWS.credentials.secretAccessKey,
  AWS_ENDPOINT_URL_SQS: endpoint,
});

export async function startSqsEmulator(): Promise<SqsEmulator> {
  const server = await createSqsServer({
    port: 0,
    hostname: '127.0.0.1',
    emulateQueueCreationLifecycle: false,
  });
  const { port } = server.address() as AddressInfo;
  const endpoint = `http://127.0.0.1:${port}`;
  const client = new SQSClient({ ...FAKE_AWS, endpoint });
  return {
    endpoint,
    client,
    sendBatch: liteSendBatch(liteEnv(endpoint)),
    async createQueue(name, attributes) {
      const result = await client.send(new CreateQueueCommand({ QueueName: name, Attributes: attributes }));
      if (!result.QueueUrl) throw new Error(`emulator did not create ${name}`);
      return result.QueueUrl;
    },
    async drain(queueUrl) {
      const messages: Message[] = [];
      for (;;) {
        const { Messages = [] } = await client.send(
          new ReceiveMessageCommand({
            QueueUrl: queueUrl,
            MaxNumberOfMessages: 10,
            MessageAttributeNames: ['All'],
            AttributeNames: ['All'],
          }),
        );
        if (Messages.length === 0) return messages;
        messages.push(...Messages);
        await client.send(
          new DeleteMessageBatchCommand({
            QueueUrl: queueUrl,
            Entries: Messages.map((message, index) => ({
              Id: String(index),
              ReceiptHandle: message.ReceiptHandle,
            })),
          }),
        );
      }
    },
    async stop() {
      client.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
