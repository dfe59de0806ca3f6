/** The write-back wired to DynamoDB Local, the SQS emulator (DLQ) and a sandbox CRM, with real clients and a shared fake clock. */
import { DEFAULT_CONNECTED_APP } from '../../../local/sandbox/salesforce-sandbox';
import type { Message } from '@aws-sdk/client-sqs';
import { DynamoDbLeadStore } from '../../../lib/adapters/dynamodb-lead-store';
import { SqsDeadLetters } from '../../../lib/adapters/sqs-write-back-queue';
import { scoreFieldNames, type ScoreFieldNames } from '../../../lib/config/crm-fields';
import type { CrmConnectionConfig } from '../../../lib/config/crm-secrets';
import type { CrmRef } from '../../../lib/events/lead-event';
import { crmLeadId, type LeadState } from '../../../lib/leads/lead-state';
import { CallBudget } from '../../../lib/writeback/call-budget';
import type { WriteBackMessage } from '../../../lib/writeback/coalesce';
import { createCrmClients, type CrmClients } from '../../../lib/writeback/crm-clients';
import { DEFAULT_RETRY_POLICY } from '../../../lib/writeback/retry-policy';
import type { WriteBackDeps } from '../../../lib/writeback/write-back';
import { createTestTables, type TestTables } from '../../support/dynamodb';
import { startSqsEmulator, type SqsEmulator } from '../../support/sqs-emulator';
import { manualClock } from '../../support/manual-clock';

export const START = Date.parse('2026-11-23T12:00:00.000Z');

/** The CRM paths the write-back calls, as the sandboxes record them. */
export const HUBSPOT_BATCH_UPDATE = '/crm/v3/objects/contacts/batch/update';
export const SALESFORCE_COLLECTIONS = '/services/data/v62.0/composite/sobjects';
export const SALESFORCE_TOKEN = '/services/oauth2/token';

/** The Salesforce sandbox's connected app, as the CRM secret names it (client credentials flow). */
export const SALESFORCE_CLIENT_CREDENTIALS = {
  salesforce: {
    loginUrl: 'https://login.salesforce.com',
    clientId: DEFAULT_CONNECTED_APP.consumerKey,
    clientSecret: DEFAULT_CONNECTED_APP.consumerSecret,
  },
};

export interface WriteBackHarness {
  readonly tables: TestTables;
  readonly sqs: SqsEmulator;
  readonly store: DynamoDbLeadStore;
  readonly dlqUrl: string;
  stop(): Promise<void>;
}

export async function startWriteBackHarness(): Promise<WriteBackHarness> {
  const [tables, sqs] = await Promise.all([createTestTables(), startSqsEmulator()]);
  const dlqUrl = await sqs.createQueue(`writeback-dlq-${tables.leadsTable}`);
  return {
    tables,
    sqs,
    store: new DynamoDbLeadStore(tables.documents, tables.leadsTable),
    dlqUrl,
    stop: async () => {
      tables.client.destroy();
      await sqs.stop();
    },
  };
}

/** A manual clock the sandbox and the code under test share. */
export const sharedClock = (start = START) => manualClock(start);

export interface ScoredLeadSpec {
  readonly ref: CrmRef;
  readonly score: number;
  readonly grade: string;
  readonly stage: string;
  readonly reasons: string;
  readonly scoredAt: string;
}

/** An active lead with a score, as the worker would have saved it (version 0 → stored as 1). */
export function scoredLead(spec: ScoredLeadSpec): LeadState {
  return {
    leadId: crmLeadId(spec.ref),
    status: 'active',
    crm: spec.ref,
    profile: {},
    profileAt: {},
    events: [],
    score: {
      score: spec.score,
      fit: 0,
      engagement: spec.score,
      grade: spec.grade,
      stage: spec.stage,
      reasons: spec.reasons,
      rulesVersion: 1,
      scoredAt: spec.scoredAt,
    },
    version: 0,
  };
}

/** Saves the leads (each a new item at version 1), 100 per transaction. */
export async function saveLeads(store: DynamoDbLeadStore, leads: readonly LeadState[]): Promise<void> {
  for (let start = 0; start < leads.length; start += 100) {
    const result = await store.save({ leads: leads.slice(start, start + 100) });
    if (result !== 'saved') throw new Error(`could not seed leads ${start}…`);
  }
}

let messageCounter = 0;

/** SQS messages announcing the leads at `version`, as the worker sends them. */
export function announcements(
  leads: readonly Pick<LeadState, 'leadId'>[],
  version = 1,
  qualificationChanged = false,
): WriteBackMessage[] {
  return leads.map((lead) => ({
    messageId: `wb-${++messageCounter}`,
    body: JSON.stringify({ leadId: lead.leadId, version, qualificationChanged }),
  }));
}

export interface DepsOptions {
  readonly crm: 'hubspot' | 'salesforce';
  readonly connection: CrmConnectionConfig;
  readonly time: ReturnType<typeof sharedClock>;
  readonly scoreFields?: Partial<ScoreFieldNames>;
  readonly assignOnQualificationChange?: boolean;
  readonly budget?: CallBudget;
}

/** The use case's dependencies as the runtime builds them, but with the fake clock and no real sleeping. */
export function writeBackDeps(
  harness: WriteBackHarness,
  options: DepsOptions,
): WriteBackDeps & { clients: CrmClients } {
  const clients = createCrmClients(options.crm, options.connection, {
    scoreFields: scoreFieldNames(options.crm, options.scoreFields),
    assignOnQualificationChange: options.assignOnQualificationChange,
  });
  return {
    clients,
    store: harness.store,
    writer: clients.writer,
    deadLetters: new SqsDeadLetters(harness.sqs.client, harness.dlqUrl),
    budget: options.budget ?? new CallBudget(),
    policy: DEFAULT_RETRY_POLICY,
    clock: options.time.clock,
    sleep: options.time.sleep,
    random: () => 0.5,
  };
}

export function inlineConnection(
  secrets: unknown,
  overrides: Partial<CrmConnectionConfig> = {},
): CrmConnectionConfig {
  return { secrets: { inline: JSON.stringify(secrets) }, secretsTtlMs: 300_000, ...overrides };
}

export const dlqEntries = (messages: readonly Message[]) =>
  messages.map((message) => ({
    body: JSON.parse(message.Body ?? '{}') as { leadId: string; version: number },
    reason: message.MessageAttributes?.reason?.StringValue,
  }));
