/** Builds the scoring worker's dependencies from configuration; SDK clients are created once per process. */
import { dynamoDbDocumentClient } from '../adapters/dynamodb-client';
import { DynamoDbLeadStore, type EventsDropped } from '../adapters/dynamodb-lead-store';
import { DynamoDbRuleStore } from '../adapters/dynamodb-rule-store';
import { sqsClient } from '../adapters/sqs-client';
import { SqsDeadLetters, SqsWriteBackQueue } from '../adapters/sqs-write-back-queue';
import { ownFieldSet } from '../config/crm-fields';
import { loadCrmConnectionConfig } from '../config/crm-secrets';
import type { Env } from '../config/env';
import type { WorkerConfig } from '../config/worker-config';
import { createCrmClients } from '../writeback/crm-clients';
import { activeModel } from './active-model';
import type { CrmProfileReader, DeadLetters } from './ports';
import type { ProcessDeps } from './process-events';

export interface WorkerRuntime extends ProcessDeps {
  readonly deadLetters: DeadLetters;
}

/** `onEventsDropped` hears of leads whose oldest events were dropped to fit DynamoDB's item limit. */
export function createWorkerRuntime(
  config: WorkerConfig,
  crm?: CrmProfileReader,
  onEventsDropped?: EventsDropped,
): WorkerRuntime {
  const documents = dynamoDbDocumentClient();
  const sqs = sqsClient();
  return {
    store: new DynamoDbLeadStore(documents, config.leadsTable, true, onEventsDropped),
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

/** The CRM to enrich profiles from (CRM + CRM_SECRET_ID | LEADSCORE_CRM_SECRETS), or none when not configured. */
export function crmProfileReaderFrom(config: WorkerConfig, env: Env): CrmProfileReader | undefined {
  if (config.crm === 'none') return undefined;
  const connection = loadCrmConnectionConfig(env, false);
  if (!connection) return undefined;
  return createCrmClients(config.crm, connection, { scoreFields: config.scoreFields }).reader;
}
