/** Builds the write-back function's dependencies from configuration; clients and budgets live for the process. */
import { dynamoDbDocumentClient } from '../adapters/dynamodb-client';
import { DynamoDbLeadStore } from '../adapters/dynamodb-lead-store';
import { sqsClient } from '../adapters/sqs-client';
import { SqsDeadLetters, SqsWriteBackQueue } from '../adapters/sqs-write-back-queue';
import { apiFloor, type WriteBackConfig } from '../config/writeback-config';
import { CallBudget } from './call-budget';
import { createCrmClients, type CrmClients } from './crm-clients';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from './retry-policy';
import type { WriteBackDeps } from './write-back';

/** All but the invocation's deadline, which the handler adds per call. */
export type WriteBackRuntime = Omit<WriteBackDeps, 'deadlineAt' | 'onError'> & {
  readonly clients: CrmClients;
};

export interface WriteBackRuntimeOverrides {
  readonly policy?: RetryPolicy;
  readonly clock?: () => number;
  readonly sleep?: (ms: number) => Promise<void>;
}

const sleepFor = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export function createWriteBackRuntime(
  config: WriteBackConfig,
  overrides: WriteBackRuntimeOverrides = {},
): WriteBackRuntime {
  const documents = dynamoDbDocumentClient();
  const sqs = sqsClient();
  const clients = createCrmClients(config.crm, config.connection, {
    scoreFields: config.scoreFields,
    assignOnQualificationChange: config.assignOnQualificationChange,
  });
  return {
    store: new DynamoDbLeadStore(documents, config.leadsTable),
    deadLetters: new SqsDeadLetters(sqs, config.deadLetterQueueUrl),
    ...(config.queueUrl ? { hold: new SqsWriteBackQueue(sqs, config.queueUrl) } : {}),
    ...(config.holdDelaySeconds !== undefined ? { holdDelaySeconds: config.holdDelaySeconds } : {}),
    writer: clients.writer,
    clients,
    budget: new CallBudget(
      config.crm === 'salesforce' ? { dailyFloor: (limit) => apiFloor(config, limit) } : {},
    ),
    policy: overrides.policy ?? DEFAULT_RETRY_POLICY,
    clock: overrides.clock ?? Date.now,
    sleep: overrides.sleep ?? sleepFor,
  };
}
