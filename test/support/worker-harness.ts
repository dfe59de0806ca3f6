/** A scoring worker wired to DynamoDB Local and the SQS emulator with real SDK clients, for integration tests. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Message } from '@aws-sdk/client-sqs';
import { DynamoDbLeadStore } from '../../lib/adapters/dynamodb-lead-store';
import { DynamoDbRuleStore } from '../../lib/adapters/dynamodb-rule-store';
import { SqsDeadLetters, SqsWriteBackQueue } from '../../lib/adapters/sqs-write-back-queue';
import { DEFAULT_SCORE_FIELDS, ownFieldSet } from '../../lib/config/crm-fields';
import type { LeadEvent } from '../../lib/events/lead-event';
import { activeModel } from '../../lib/leads/active-model';
import { isScoringEvent, toStoredEvent, type LeadState } from '../../lib/leads/lead-state';
import type { CrmProfileReader } from '../../lib/leads/ports';
import type { ProcessDeps } from '../../lib/leads/process-events';
import { scoreEventBatch, type BatchOutcome } from '../../lib/leads/score-event-batch';
import { compileRules, parseRulesText, scoreLead, type Rules, type ScoreResult } from '../../lib/scoring';
import { createTestTables, type TestTables } from './dynamodb';
import { startSqsEmulator, type SqsEmulator } from './sqs-emulator';

export const DEFAULT_RULES_PATH = join(__dirname, '..', 'fixtures', 'rules', 'default.yaml');

export function readRules(path = DEFAULT_RULES_PATH): Rules {
  const parsed = parseRulesText(readFileSync(path, 'utf8'), path);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return parsed.rules;
}

export interface WorkerHarness {
  readonly tables: TestTables;
  readonly sqs: SqsEmulator;
  readonly store: DynamoDbLeadStore;
  readonly rules: DynamoDbRuleStore;
  readonly writeBackQueueUrl: string;
  readonly deadLetterQueueUrl: string;
  deps(now: Date, crm?: CrmProfileReader): ProcessDeps & { deadLetters: SqsDeadLetters };
  /** Delivers the events as one SQS batch, each message on its `receiveCount`th delivery (default 1). */
  send(
    events: readonly LeadEvent[],
    now: Date,
    crm?: CrmProfileReader,
    receiveCount?: number,
  ): Promise<BatchOutcome>;
  lead(leadId: string): Promise<LeadState | undefined>;
  stop(): Promise<void>;
}

let messageCounter = 0;

export async function startWorkerHarness(): Promise<WorkerHarness> {
  const [tables, sqs] = await Promise.all([createTestTables(), startSqsEmulator()]);
  const writeBackQueueUrl = await sqs.createQueue(`writeback-${tables.leadsTable}`);
  const deadLetterQueueUrl = await sqs.createQueue(`events-dlq-${tables.leadsTable}`);
  const store = new DynamoDbLeadStore(tables.documents, tables.leadsTable);
  const rules = new DynamoDbRuleStore(tables.documents, tables.configTable);
  const first = await rules.push(readRules(), { createdBy: 'test' });
  await rules.activate(first.version, { activatedBy: 'test' });
  const deps = (now: Date, crm?: CrmProfileReader) => ({
    store,
    model: activeModel(rules, 0),
    writeBacks: new SqsWriteBackQueue(sqs.client, writeBackQueueUrl),
    deadLetters: new SqsDeadLetters(sqs.client, deadLetterQueueUrl),
    crm,
    ownFields: ownFieldSet(DEFAULT_SCORE_FIELDS.hubspot),
    now: () => now,
    sleep: async () => undefined,
  });
  return {
    tables,
    sqs,
    store,
    rules,
    writeBackQueueUrl,
    deadLetterQueueUrl,
    deps,
    send: (events, now, crm, receiveCount = 1) =>
      scoreEventBatch(
        events.map((event) => ({
          messageId: `m-${++messageCounter}`,
          body: JSON.stringify(event),
          attributes: { ApproximateReceiveCount: String(receiveCount) },
        })),
        deps(now, crm),
      ),
    lead: async (leadId) => (await store.getLeads([leadId])).get(leadId),
    stop: async () => {
      tables.client.destroy();
      await sqs.stop();
    },
  };
}

/** The reference: scoreLead over the lead's unique scoring events, with the profile it ended with. */
export function referenceScore(
  rules: Rules,
  leadId: string,
  profile: LeadState['profile'],
  events: readonly LeadEvent[],
  at: Date,
): ScoreResult {
  const unique = new Map(
    events.filter(isScoringEvent).map((event) => [toStoredEvent(event).id, toStoredEvent(event)]),
  );
  return scoreLead(compileRules(rules), { id: leadId, profile, events: [...unique.values()] }, at);
}

export const bodies = (messages: readonly Message[]) =>
  messages.map((message) => JSON.parse(message.Body ?? '{}'));
