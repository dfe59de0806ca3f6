import { startHubSpotSandbox, type HubSpotSandbox } from '../../../local/sandbox/hubspot-sandbox';
import { SqsDeadLetters } from '../../../lib/adapters/sqs-write-back-queue';
import { DEFAULT_SCORE_FIELDS } from '../../../lib/config/crm-fields';
import type { LeadEvent } from '../../../lib/events/lead-event';
import { crmLeadId } from '../../../lib/leads/lead-state';
import { sweepDueLeads } from '../../../lib/leads/sweep-due-leads';
import { CallBudget } from '../../../lib/writeback/call-budget';
import { createCrmClients } from '../../../lib/writeback/crm-clients';
import { DEFAULT_RETRY_POLICY } from '../../../lib/writeback/retry-policy';
import { writeBack, type WriteBackDeps } from '../../../lib/writeback/write-back';
import {
  readRules,
  referenceScore,
  startWorkerHarness,
  type WorkerHarness,
} from '../../support/worker-harness';
import { HUBSPOT_BATCH_UPDATE, inlineConnection } from './harness';

const NOW = new Date('2026-11-23T12:00:00.000Z');
const DAY = 86_400_000;
const SCORE_PROPERTIES = [
  ['leadscore_score', 'number', 'number'],
  ['leadscore_grade', 'string', 'text'],
  ['leadscore_stage', 'string', 'text'],
  ['leadscore_reasons', 'string', 'textarea'],
  ['leadscore_scored_at', 'datetime', 'date'],
].map(([name, type, fieldType]) => ({
  name: name!,
  label: name!,
  type: type!,
  fieldType: fieldType!,
  groupName: 'leadscore',
}));
// A standard property in real portals; the sandbox starts with fewer.
const EMPLOYEES = {
  name: 'numberofemployees',
  label: 'Number of employees',
  type: 'number',
  fieldType: 'number',
  groupName: 'contactinformation',
};
const BATCH_READ = '/crm/v3/objects/contacts/batch/read';

/** A contact's webhook events: its creation (ids only, as HubSpot sends it) and a demo request a day ago. */
function contactEvents(id: string): LeadEvent[] {
  const crm = { system: 'hubspot' as const, objectType: 'contact', id };
  return [
    {
      source: 'hubspot',
      sourceEventId: `create-${id}`,
      type: 'crm.created',
      occurredAt: new Date(NOW.getTime() - 20 * DAY).toISOString(),
      who: { crm },
    },
    {
      source: 'api',
      sourceEventId: `demo-${id}`,
      type: 'form.submitted',
      occurredAt: new Date(NOW.getTime() - DAY).toISOString(),
      who: { crm },
      fields: { formId: 'demo-request' },
    },
  ];
}

describe('scoring worker → write-back queue → write-back → HubSpot sandbox', () => {
  let worker: WorkerHarness;
  let sandbox: HubSpotSandbox;
  let deps: WriteBackDeps;
  const rules = readRules();

  beforeAll(async () => {
    worker = await startWorkerHarness();
    sandbox = await startHubSpotSandbox({
      seed: 12,
      propertyGroups: [{ name: 'leadscore', label: 'Leadscore' }],
      properties: [...SCORE_PROPERTIES, EMPLOYEES],
    });
    const clients = createCrmClients(
      'hubspot',
      inlineConnection({ hubspot: { accessToken: sandbox.accessToken } }, { hubspotBaseUrl: sandbox.url }),
      { scoreFields: DEFAULT_SCORE_FIELDS.hubspot },
    );
    deps = {
      store: worker.store,
      writer: clients.writer,
      deadLetters: new SqsDeadLetters(worker.sqs.client, await worker.sqs.createQueue('writeback-dlq-e2e')),
      budget: new CallBudget(),
      policy: DEFAULT_RETRY_POLICY,
      clock: () => NOW.getTime(),
      sleep: async () => undefined,
    };
    // The worker enriches through the same adapters, built the way the worker runtime builds them.
    reader = clients.reader;
  });

  let reader: ReturnType<typeof createCrmClients>['reader'];

  afterAll(async () => {
    await sandbox.close();
    await worker.stop();
  });

  const announced = async () =>
    (await worker.sqs.drain(worker.writeBackQueueUrl)).map((message) => ({
      messageId: message.MessageId ?? '',
      body: message.Body ?? '',
    }));
  const updateCalls = () => sandbox.requests().filter((request) => request.path === HUBSPOT_BATCH_UPDATE);

  it('enriches, scores and writes 120 contacts in 2 batch reads and 2 batch updates', async () => {
    const contacts = sandbox.seed(
      Array.from({ length: 120 }, (_, n) => ({
        properties: { email: `c${n}@acme.example`, jobtitle: 'VP Marketing', numberofemployees: '250' },
      })),
    );
    const events = contacts.flatMap((contact) => contactEvents(contact.id));

    await worker.send(events, NOW, reader);
    const messages = await announced();
    const outcome = await writeBack(messages, deps);

    expect(sandbox.requests().filter((request) => request.path === BATCH_READ)).toHaveLength(2);
    expect(messages).toHaveLength(120);
    expect(updateCalls().map((request) => (request.body as { inputs: unknown[] }).inputs.length)).toEqual([
      100, 20,
    ]);
    expect(outcome).toMatchObject({ written: 120, failedMessageIds: [] });
    const sample = contacts[57]!;
    const lead = await worker.lead(crmLeadId({ system: 'hubspot', objectType: 'contact', id: sample.id }));
    const expected = referenceScore(rules, lead!.leadId, lead!.profile, contactEvents(sample.id), NOW);
    // Fit from the enriched profile: title-exec 20 + mid-market 15 = 35 → grade B (20 ≤ 35 < 40).
    expect(expected.fit).toBe(35);
    expect(sandbox.record(sample.id)?.properties).toMatchObject({
      leadscore_score: String(expected.score),
      leadscore_grade: 'B',
      leadscore_stage: expected.stage,
      leadscore_scored_at: String(NOW.getTime()),
    });
  }, 60_000);

  it('announces nothing and makes no CRM call when a rescore changes nothing', async () => {
    const contacts = sandbox.records().slice(0, 30);
    expect(contacts).toHaveLength(30);
    sandbox.clearRequests();

    // The same events again, and a decay sweep at the same instant.
    await worker.send(
      contacts.flatMap((contact) => contactEvents(contact.id)),
      NOW,
      reader,
    );
    await sweepDueLeads(worker.deps(NOW, reader));
    const messages = await announced();
    const outcome = await writeBack(messages, deps);

    expect(messages).toEqual([]);
    expect(outcome.calls).toBe(0);
    expect(sandbox.requests()).toEqual([]);
  });

  it('writes one record when one lead really changes', async () => {
    const [contact] = sandbox.records();
    sandbox.clearRequests();
    const pricing: LeadEvent = {
      source: 'api',
      sourceEventId: `pricing-${contact!.id}`,
      type: 'page.viewed',
      occurredAt: NOW.toISOString(),
      who: { crm: { system: 'hubspot', objectType: 'contact', id: contact!.id } },
      fields: { url: 'https://acme.example/pricing' },
    };

    await worker.send([pricing], NOW, reader);
    const outcome = await writeBack(await announced(), deps);

    expect(
      updateCalls().map((request) =>
        (request.body as { inputs: { id: string }[] }).inputs.map((input) => input.id),
      ),
    ).toEqual([[contact!.id]]);
    expect(outcome.written).toBe(1);
  });
});
