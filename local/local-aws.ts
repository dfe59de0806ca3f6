/** The local AWS: DynamoDB Local and the SQS emulator, with the tables and queues the CDK app defines. */
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CreateQueueCommand, GetQueueAttributesCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';
import { CONFIG_TABLE, createTableInput, LEADS_TABLE } from '../lib/adapters/table-specs';
import { EVENTS_QUEUE, WRITEBACK_QUEUE, type QueueSpec } from '../lib/pipeline-spec';
import { LOCAL_AWS, startDynamoDbLocal } from './dynamodb-local';

export interface LocalQueue {
  readonly url: string;
  readonly arn: string;
  readonly dlqUrl: string;
}

export interface LocalAws {
  readonly dynamodbEndpoint: string;
  readonly sqsEndpoint: string;
  readonly dynamodb: DynamoDBClient;
  readonly sqs: SQSClient;
  readonly tables: { readonly leads: string; readonly config: string };
  readonly queues: { readonly events: LocalQueue; readonly writeBack: LocalQueue };
  stop(): Promise<void>;
}

export interface VisibilityTimeouts {
  readonly events?: number;
  readonly writeBack?: number;
}

export interface LocalAwsOptions {
  /**
   * Visibility timeout per queue; shorter ones make retries quick in tests. Defaults: the deployed values.
   * Keep each above its consumer's longest invocation, or messages are delivered again while in hand.
   */
  readonly visibilityTimeoutSeconds?: VisibilityTimeouts;
  readonly dynamodbPort?: number;
  readonly sqsPort?: number;
}

export async function startLocalAws(options: LocalAwsOptions = {}): Promise<LocalAws> {
  const dynamoDbLocal = await startDynamoDbLocal({ port: options.dynamodbPort });
  const sqsServer = await createSqsServer({
    port: options.sqsPort ?? 0,
    hostname: '127.0.0.1',
    emulateQueueCreationLifecycle: false,
  });
  const sqsEndpoint = `http://127.0.0.1:${(sqsServer.address() as AddressInfo).port}`;
  const sqs = new SQSClient({ ...LOCAL_AWS, endpoint: sqsEndpoint });
  const dynamodb = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamoDbLocal.endpoint });
  const stop = async () => {
    sqs.destroy();
    dynamodb.destroy();
    sqsServer.closeAllConnections();
    await new Promise<void>((resolve) => sqsServer.close(() => resolve()));
    await dynamoDbLocal.stop();
  };
  try {
    const createQueue = async (spec: QueueSpec, visibilityTimeoutSeconds?: number): Promise<LocalQueue> => {
      const dlq = await sqs.send(new CreateQueueCommand({ QueueName: `${spec.name}-dlq` }));
      const dlqArn = await queueArn(sqs, dlq.QueueUrl ?? '');
      const queue = await sqs.send(
        new CreateQueueCommand({
          QueueName: spec.name,
          Attributes: {
            VisibilityTimeout: String(visibilityTimeoutSeconds ?? spec.visibilityTimeoutSeconds),
            RedrivePolicy: JSON.stringify({
              deadLetterTargetArn: dlqArn,
              maxReceiveCount: spec.maxReceiveCount,
            }),
          },
        }),
      );
      return {
        url: queue.QueueUrl ?? '',
        arn: await queueArn(sqs, queue.QueueUrl ?? ''),
        dlqUrl: dlq.QueueUrl ?? '',
      };
    };
    const visibility = options.visibilityTimeoutSeconds ?? {};
    const queues = {
      events: await createQueue(EVENTS_QUEUE, visibility.events),
      writeBack: await createQueue(WRITEBACK_QUEUE, visibility.writeBack),
    };
    const tables = { leads: 'leadscore-leads', config: 'leadscore-config' };
    await dynamodb.send(new CreateTableCommand(createTableInput(tables.leads, LEADS_TABLE)));
    await dynamodb.send(new CreateTableCommand(createTableInput(tables.config, CONFIG_TABLE)));
    return { dynamodbEndpoint: dynamoDbLocal.endpoint, sqsEndpoint, dynamodb, sqs, tables, queues, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

async function queueArn(sqs: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  return Attributes?.QueueArn ?? '';
}
