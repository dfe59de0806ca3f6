// CRM write-back benchmark: changed leads through the write-back use case against both sandbox CRMs with
// the real clients; CRM calls per changed lead against the batch minimum (target ≤ 1.1×).
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { AddressInfo } from 'node:net';
import { CreateQueueCommand, SQSClient } from '@aws-sdk/client-sqs';
import { createSqsServer } from 'local-aws-sqs';
import { DynamoDbLeadStore } from '../lib/adapters/dynamodb-lead-store';
import { SqsDeadLetters } from '../lib/adapters/sqs-write-back-queue';
import { createTableInput, LEADS_TABLE } from '../lib/adapters/table-specs';
import { DEFAULT_SCORE_FIELDS } from '../lib/config/crm-fields';
import { crmLeadId, type LeadState } from '../lib/leads/lead-state';
import { WRITEBACK_CONSUMER } from '../lib/pipeline-spec';
import { CallBudget } from '../lib/writeback/call-budget';
import type { WriteBackMessage } from '../lib/writeback/coalesce';
import { createCrmClients } from '../lib/writeback/crm-clients';
import { DEFAULT_RETRY_POLICY } from '../lib/writeback/retry-policy';
import { writeBack } from '../lib/writeback/write-back';
import { LOCAL_AWS, startDynamoDbLocal } from '../local/dynamodb-local';
import { startHubSpotSandbox, type HubSpotSandbox } from '../local/sandbox/hubspot-sandbox';
import {
  DEFAULT_CONNECTED_APP,
  startSalesforceSandbox,
  type SalesforceSandbox,
} from '../local/sandbox/salesforce-sandbox';
import { progress } from './measure';
import { Random } from './prng';
import type { BenchSuite } from './suite';

const LEADS = 1_000;
const SEED = 20261123;
const TARGET_RATIO = 1.1;
const START = Date.parse('2026-11-23T12:00:00.000Z');

interface Scenario {
  readonly name: string;
  /** Share of announcements delivered twice (SQS at-least-once, or two changes in one window). */
  readonly duplicates: number;
  /** Share of API calls answered with a fault (429 for HubSpot, 503 for Salesforce). */
  readonly faultRatio: number;
}

const SCENARIOS: readonly Scenario[] = [
  { name: 'clean', duplicates: 0, faultRatio: 0 },
  { name: 'duplicates-30pct', duplicates: 0.3, faultRatio: 0 },
  { name: 'faults-10pct', duplicates: 0, faultRatio: 0.1 },
];

interface Crm {
  readonly name: 'hubspot' | 'salesforce';
  readonly maxBatch: number;
  readonly dataPath: string;
  start(
    clock: () => number,
    seed: number,
  ): Promise<{
    sandbox: HubSpotSandbox | SalesforceSandbox;
    refs: { system: 'hubspot' | 'salesforce'; objectType: string; id: string }[];
    secrets: unknown;
  }>;
}

const CRMS: readonly Crm[] = [
  {
    name: 'hubspot',
    maxBatch: 100,
    dataPath: '/crm/v3/objects/contacts/batch/update',
    async start(clock, seed) {
      const sandbox = await startHubSpotSandbox({
        clock,
        seed,
        propertyGroups: [{ name: 'leadscore', label: 'Leadscore' }],
        properties: Object.values(DEFAULT_SCORE_FIELDS.hubspot).map((name) => ({
          name,
          label: name,
          type: 'string',
          fieldType: 'text',
          groupName: 'leadscore',
        })),
      });
      const contacts = sandbox.seed(
        Array.from({ length: LEADS }, (_, n) => ({ properties: { email: `bench${n}@example.com` } })),
      );
      return {
        sandbox,
        refs: contacts.map((contact) => ({ system: 'hubspot', objectType: 'contact', id: contact.id })),
        secrets: { hubspot: { accessToken: sandbox.accessToken } },
      };
    },
  },
  {
    name: 'salesforce',
    maxBatch: 200,
    dataPath: '/services/data/v62.0/composite/sobjects',
    async start(clock, seed) {
      const sandbox = await startSalesforceSandbox({
        clock,
        seed,
        customFields: [
          { object: 'Lead', name: 'Lead_Score__c', type: 'double', precision: 18, scale: 0 },
          { object: 'Lead', name: 'Lead_Grade__c', type: 'string', length: 20 },
          { object: 'Lead', name: 'Lead_Stage__c', type: 'string', length: 40 },
          { object: 'Lead', name: 'Lead_Score_Reasons__c', type: 'textarea' },
          { object: 'Lead', name: 'Lead_Scored_At__c', type: 'datetime' },
        ],
      });
      const leads = sandbox.seed(
        Array.from({ length: LEADS }, (_, n) => ({ fields: { LastName: `Bench ${n}`, Company: 'Acme' } })),
      );
      return {
        sandbox,
        refs: leads.map((lead) => ({ system: 'salesforce', objectType: 'Lead', id: lead.id })),
        secrets: {
          salesforce: {
            loginUrl: sandbox.url,
            clientId: DEFAULT_CONNECTED_APP.consumerKey,
            clientSecret: DEFAULT_CONNECTED_APP.consumerSecret,
          },
        },
      };
    },
  },
];

async function runScenario(
  crm: Crm,
  scenario: Scenario,
  aws: { store: DynamoDbLeadStore; sqs: SQSClient; dlqUrl: string },
  seed: number,
) {
  const random = new Random(seed);
  let now = START;
  const clock = () => now;
  const { sandbox, refs, secrets } = await crm.start(clock, seed);
  try {
    const leads: LeadState[] = refs.map((ref, n) => ({
      // Per scenario, so that one table serves every run.
      leadId: `${crmLeadId(ref)}#${crm.name}-${scenario.name}`,
      status: 'active',
      crm: ref,
      profile: {},
      profileAt: {},
      events: [],
      score: {
        score: n % 101,
        fit: 0,
        engagement: n % 101,
        grade: ['A', 'B', 'C', 'D'][n % 4] ?? 'D',
        stage: 'lead',
        reasons: `pricing-page +${n % 30}`,
        rulesVersion: 1,
        scoredAt: new Date(START).toISOString(),
      },
      version: 0,
    }));
    for (let start = 0; start < leads.length; start += 100) {
      await aws.store.save({ leads: leads.slice(start, start + 100) });
    }
    let id = 0;
    const message = (lead: LeadState): WriteBackMessage => ({
      messageId: `m-${++id}`,
      body: JSON.stringify({ leadId: lead.leadId, version: 1, qualificationChanged: random.chance(0.2) }),
    });
    // Deliveries in arrival order; a duplicate arrives soon after its original, mostly in the same window.
    const queue: WriteBackMessage[] = [];
    for (const lead of leads) {
      queue.push(message(lead));
      if (random.chance(scenario.duplicates)) {
        queue.splice(Math.max(0, queue.length - random.int(0, 150)), 0, message(lead));
      }
    }
    if (scenario.faultRatio > 0) {
      sandbox.fail({
        status: crm.name === 'hubspot' ? 429 : 503,
        ratio: scenario.faultRatio,
        retryAfterSeconds: 1,
      });
    }
    const client = createCrmClients(
      crm.name,
      {
        secrets: { inline: JSON.stringify(secrets) },
        secretsTtlMs: 300_000,
        hubspotBaseUrl: sandbox.url,
        salesforceLoginUrl: sandbox.url,
      },
      { scoreFields: DEFAULT_SCORE_FIELDS[crm.name] },
    );
    const deps = {
      store: aws.store,
      writer: client.writer,
      deadLetters: new SqsDeadLetters(aws.sqs, aws.dlqUrl),
      budget: new CallBudget(),
      policy: DEFAULT_RETRY_POLICY,
      clock,
      sleep: async (ms: number) => {
        now += ms;
      },
      random: () => random.next(),
    };
    const started = performance.now();
    let pending = queue;
    let invocations = 0;
    let written = 0;
    // Per invocation, the fewest calls its distinct leads could take.
    let batchMinimumCalls = 0;
    // SQS hands failed messages back; run until the queue is empty (the clock moves past the visibility timeout).
    while (pending.length > 0 && invocations < 1_000) {
      const failed = new Set<string>();
      for (let start = 0; start < pending.length; start += WRITEBACK_CONSUMER.batchSize) {
        invocations++;
        const outcome = await writeBack(pending.slice(start, start + WRITEBACK_CONSUMER.batchSize), deps);
        written += outcome.written;
        batchMinimumCalls += Math.ceil(
          (outcome.written + outcome.deferred + outcome.deadLettered) / crm.maxBatch,
        );
        outcome.failedMessageIds.forEach((failedId) => failed.add(failedId));
      }
      pending = pending.filter((entry) => failed.has(entry.messageId));
      now += WRITEBACK_CONSUMER.queue.visibilityTimeoutSeconds * 1000;
    }
    const seconds = (performance.now() - started) / 1000;
    const requests = sandbox.requests().filter((request) => request.path === crm.dataPath);
    const calls = requests.length;
    const minimumCalls = Math.ceil(LEADS / crm.maxBatch);
    return {
      messages: queue.length,
      changedLeads: LEADS,
      leadsWritten: written,
      invocations,
      calls,
      faultedCalls: requests.filter((request) => request.fault !== undefined).length,
      minimumCalls,
      callsPerChangedLead: round(calls / LEADS),
      minimumPerChangedLead: round(minimumCalls / LEADS),
      ratioToMinimum: round(calls / minimumCalls),
      batchMinimumCalls,
      ratioToBatchMinimum: round(calls / batchMinimumCalls),
      wallSeconds: round(seconds),
    };
  } finally {
    await sandbox.close();
  }
}

async function run(): Promise<Record<string, unknown>> {
  progress('crm: starting DynamoDB Local and the SQS emulator');
  const dynamo = await startDynamoDbLocal();
  const server = await createSqsServer({
    port: 0,
    hostname: '127.0.0.1',
    emulateQueueCreationLifecycle: false,
  });
  const sqs = new SQSClient({
    ...LOCAL_AWS,
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
  });
  const db = new DynamoDBClient({ ...LOCAL_AWS, endpoint: dynamo.endpoint });
  try {
    await db.send(new CreateTableCommand(createTableInput('bench-leads', LEADS_TABLE)));
    const store = new DynamoDbLeadStore(
      DynamoDBDocumentClient.from(db, { marshallOptions: { removeUndefinedValues: true } }),
      'bench-leads',
    );
    const { QueueUrl: dlqUrl = '' } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'bench-writeback-dlq' }),
    );
    const results: Record<string, Record<string, unknown>> = {};
    let seed = SEED;
    for (const crm of CRMS) {
      results[crm.name] = {};
      for (const scenario of SCENARIOS) {
        progress(`crm: ${crm.name} ${scenario.name} (${LEADS} changed leads)`);
        results[crm.name]![scenario.name] = await runScenario(crm, scenario, { store, sqs, dlqUrl }, seed++);
      }
    }
    const clean = CRMS.map((crm) => (results[crm.name]!.clean as { ratioToMinimum: number }).ratioToMinimum);
    const met = clean.every((ratio) => ratio <= TARGET_RATIO);
    return {
      ...results,
      notes: [
        `${LEADS} changed leads, announced once each, in SQS batches of ${WRITEBACK_CONSUMER.batchSize} (the write-back consumer's).`,
        'Calls count the CRM data calls the sandbox answered (HubSpot batch update, Salesforce sObject collections), faults included; Salesforce token requests are not data calls.',
        'Duplicates land up to 150 messages after their original; those in another batch cost a second write (ratioToMinimum), while each batch still takes its fewest calls (ratioToBatchMinimum).',
        'Faults use a fake clock shared with the sandboxes: waits cost no real time.',
      ],
      targets: { cleanRatioToMinimum: { target: TARGET_RATIO, met } },
      ...(met ? {} : { ok: false }),
    };
  } finally {
    db.destroy();
    sqs.destroy();
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
    await dynamo.stop();
  }
}

const round = (value: number) => Math.round(value * 1000) / 1000;

export const crmSuite: BenchSuite = { name: 'crm', run };
