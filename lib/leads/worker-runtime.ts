/** Builds the scoring worker's dependencies from configuration; SDK clients are created once per process. */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { DynamoDbLeadStore } from '../adapters/dynamodb-lead-store';
import { DynamoDbRuleStore } from '../adapters/dynamodb-rule-store';
import { SqsDeadLetters, SqsWriteBackQueue } from '../adapters/sqs-write-back-queue';
import { ownFieldSet } from '../config/crm-fields';
import type { WorkerConfig } from '../config/worker-config';
import { activeModel } from './active-model';
import type { CrmProfileReader, DeadLetters } from './ports';
import type { ProcessDeps } from './process-events';

export interface WorkerRuntime extends ProcessDeps {
  readonly deadLetters: DeadLetters;
}

export function createWorkerRuntime(config: WorkerConfig, crm?: CrmProfileReader): WorkerRuntime {
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}), {
    marshallOptions: { removeUndefinedValues: true },
  });
  const sqs = new SQSClient({});
  return {
    store: new DynamoDbLeadStore(documents, config.leadsTable),
    model: activeModel(
      new DynamoDbRuleStore(documents, config.configTable, config.rulesetName),
      config.rulesTtlMs,
    ),
    writeBacks: new SqsWriteBackQueue(sqs, config.writeBackQueueUrl),
    deadLetters: new SqsDeadLetters(sqs, config.deadLetterQueueUrl),
    crm,
    ownFields: ownFieldSet(config.scoreFields),
    now: () => new Date(),
  };
}
