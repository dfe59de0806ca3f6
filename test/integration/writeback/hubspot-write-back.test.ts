import { startHubSpotSandbox, type HubSpotSandbox } from '../../../local/sandbox/hubspot-sandbox';
import { writeBack } from '../../../lib/writeback/write-back';
import {
  announcements,
  dlqEntries,
  inlineConnection,
  saveLeads,
  scoredLead,
  sharedClock,
  START,
  startWriteBackHarness,
  writeBackDeps,
  type WriteBackHarness,
  HUBSPOT_BATCH_UPDATE,
} from './harness';

const SCORE_PROPERTIES = [
  { name: 'leadscore_score', label: 'Score', type: 'number', fieldType: 'number', groupName: 'leadscore' },
  { name: 'leadscore_grade', label: 'Grade', type: 'string', fieldType: 'text', groupName: 'leadscore' },
  { name: 'leadscore_stage', label: 'Stage', type: 'string', fieldType: 'text', groupName: 'leadscore' },
  {
    name: 'leadscore_reasons',
    label: 'Reasons',
    type: 'string',
    fieldType: 'textarea',
    groupName: 'leadscore',
  },
  {
    name: 'leadscore_scored_at',
    label: 'Scored at',
    type: 'datetime',
    fieldType: 'date',
    groupName: 'leadscore',
  },
];
const SCORED_AT = '2026-11-23T11:30:00.000Z';
// Each sandbox numbers its contacts from 1; the lead table is shared by the file's tests.
let firstContactId = 1000;
const freshIds = () => ({ firstContactId: (firstContactId += 1000) });

describe('write-back to the HubSpot sandbox with @hubspot/api-client', () => {
  let harness: WriteBackHarness;
  let sandbox: HubSpotSandbox;
  let time: ReturnType<typeof sharedClock>;

  beforeAll(async () => {
    harness = await startWriteBackHarness();
  });

  afterAll(() => harness.stop());

  beforeEach(async () => {
    time = sharedClock();
    sandbox = await startHubSpotSandbox({
      seed: 3,
      ...freshIds(),
      clock: time.clock,
      propertyGroups: [{ name: 'leadscore', label: 'Leadscore' }],
      properties: SCORE_PROPERTIES,
    });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  /** Seeds `count` contacts and a scored lead for each: score n % 101, grade by hand below. */
  async function seed(count: number) {
    const contacts = sandbox.seed(
      Array.from({ length: count }, (_, n) => ({ properties: { email: `lead${n}@example.com` } })),
    );
    const leads = contacts.map((contact, n) =>
      scoredLead({
        ref: { system: 'hubspot', objectType: 'contact', id: contact.id },
        score: n % 101,
        grade: n % 2 === 0 ? 'A' : 'C',
        stage: 'lead',
        reasons: `demo-request +${n % 41}`,
        scoredAt: SCORED_AT,
      }),
    );
    await saveLeads(harness.store, leads);
    return { contacts, leads };
  }

  const deps = (overrides: Partial<Parameters<typeof writeBackDeps>[1]> = {}) =>
    writeBackDeps(harness, {
      crm: 'hubspot',
      connection: inlineConnection(
        { hubspot: { accessToken: sandbox.accessToken } },
        { hubspotBaseUrl: sandbox.url },
      ),
      time,
      ...overrides,
    });
  const updates = () => sandbox.requests().filter((request) => request.path === HUBSPOT_BATCH_UPDATE);

  it('writes 250 changed leads in exactly 3 batch updates, values as HubSpot stores them', async () => {
    const { contacts, leads } = await seed(250);

    const outcome = await writeBack(announcements(leads), deps());

    expect(updates().map((request) => (request.body as { inputs: unknown[] }).inputs.length)).toEqual([
      100, 100, 50,
    ]);
    expect(sandbox.requests()).toHaveLength(3);
    expect(outcome).toMatchObject({ written: 250, calls: 3, failedMessageIds: [] });
    // Lead 137: 137 % 101 = 36, odd → C, 137 % 41 = 14; the time as epoch milliseconds.
    expect(sandbox.record(contacts[137]!.id)?.properties).toMatchObject({
      leadscore_score: '36',
      leadscore_grade: 'C',
      leadscore_stage: 'lead',
      leadscore_reasons: 'demo-request +14',
      leadscore_scored_at: String(Date.parse(SCORED_AT)),
    });
  });

  it('writes what the lead holds now when stale and duplicated messages arrive', async () => {
    const { contacts, leads } = await seed(1);
    const [first] = leads;
    const stored = (await harness.store.getLeads([first!.leadId])).get(first!.leadId)!;
    // The lead moved on (version 2) after these two version-1 announcements were sent.
    await harness.store.save({
      leads: [{ ...stored, score: { ...stored.score!, score: 88, grade: 'A', stage: 'sales-qualified' } }],
    });

    const outcome = await writeBack([...announcements(leads, 1), ...announcements(leads, 1)], deps());

    expect(outcome.calls).toBe(1);
    expect(sandbox.record(contacts[0]!.id)?.properties).toMatchObject({
      leadscore_score: '88',
      leadscore_grade: 'A',
      leadscore_stage: 'sales-qualified',
    });
  });

  it('leaves a message whose version is not saved yet on the queue, without calling HubSpot', async () => {
    const { leads } = await seed(1);

    const messages = announcements(leads, 2);
    const outcome = await writeBack(messages, deps());

    expect(outcome.failedMessageIds).toEqual([messages[0]!.messageId]);
    expect(sandbox.requests()).toEqual([]);
  });

  it('after a 429 waits the Retry-After it was given, then writes', async () => {
    const { leads } = await seed(3);
    sandbox.fail({ status: 429, count: 1, retryAfterSeconds: 3 });

    const outcome = await writeBack(announcements(leads), deps());

    expect(updates().map((request) => [request.status, Date.parse(request.at) - START])).toEqual([
      [429, 0],
      [200, 3_000],
    ]);
    expect(outcome).toMatchObject({ written: 3, failedMessageIds: [] });
  });

  it('spaces its calls by the 10-second budget HubSpot reports, so that no call is refused', async () => {
    await sandbox.close();
    sandbox = await startHubSpotSandbox({
      ...freshIds(),
      clock: time.clock,
      tenSecondLimit: 2,
      propertyGroups: [{ name: 'leadscore', label: 'Leadscore' }],
      properties: SCORE_PROPERTIES,
    });
    const { leads } = await seed(250);

    const outcome = await writeBack(announcements(leads), deps());

    // Two calls use the window up; the third goes once it has rolled on.
    expect(updates().map((request) => [request.status, Date.parse(request.at) - START])).toEqual([
      [200, 0],
      [200, 0],
      [200, 10_000],
    ]);
    expect(outcome.written).toBe(250);
  });

  it('rides out a 10-second outage with backoff and loses nothing', async () => {
    const { contacts, leads } = await seed(150);
    sandbox.outage(10);

    const outcome = await writeBack(announcements(leads), deps());

    const statuses = updates().map((request) => request.status);
    expect(statuses.filter((status) => status === 503).length).toBeGreaterThanOrEqual(3);
    expect(statuses.slice(-2)).toEqual([200, 200]);
    expect(Date.parse(updates().at(-2)!.at) - START).toBeGreaterThanOrEqual(10_000);
    expect(outcome).toMatchObject({ written: 150, failedMessageIds: [] });
    expect(
      contacts.every((contact) => sandbox.record(contact.id)?.properties.leadscore_score !== undefined),
    ).toBe(true);
  });

  it('hands everything back to SQS when the outage outlasts the retry window, and writes it on redelivery', async () => {
    const { leads } = await seed(5);
    sandbox.outage(120);
    const messages = announcements(leads);

    const during = await writeBack(messages, deps());
    time.now = START + 121_000;
    const redelivered = await writeBack(
      messages.filter((message) => during.failedMessageIds.includes(message.messageId)),
      deps(),
    );

    expect(during).toMatchObject({ written: 0, deferred: 5, stoppedFor: 'deadline' });
    expect(during.failedMessageIds).toHaveLength(5);
    expect(redelivered).toMatchObject({ written: 5, failedMessageIds: [] });
  });

  it('parks a deleted contact in the DLQ with HubSpot’s error (207), writes the others, and marks the lead', async () => {
    const { contacts, leads } = await seed(3);
    sandbox.deleteRecord(contacts[1]!.id);

    const outcome = await writeBack(announcements(leads), deps());
    const parked = dlqEntries(await harness.sqs.drain(harness.dlqUrl));
    const marked = (await harness.store.getLeads([leads[1]!.leadId])).get(leads[1]!.leadId);
    const again = await writeBack(announcements([leads[1]!], 2), deps());

    expect(updates().map((request) => request.status)).toEqual([207]);
    expect(outcome).toMatchObject({ written: 2, deadLettered: 1, failedMessageIds: [] });
    expect(sandbox.record(contacts[2]!.id)?.properties.leadscore_score).toBe('2');
    expect(parked).toEqual([
      {
        body: { leadId: leads[1]!.leadId, version: 1, qualificationChanged: false },
        reason: expect.stringMatching(/^hubspot: OBJECT_NOT_FOUND: Could not get some CONTACT objects/),
      },
    ]);
    expect((marked as { writeBackFailure?: unknown }).writeBackFailure).toMatchObject({
      recordGone: true,
      crmId: contacts[1]!.id,
    });
    // The mark is a new version; the next announcement of the lead costs no call.
    expect(marked?.version).toBe(2);
    expect(again).toMatchObject({ dropped: 1, calls: 0 });
    expect(updates()).toHaveLength(1);
  });

  it('parks every record when a configured property does not exist, without marking them gone', async () => {
    const { leads } = await seed(2);

    const outcome = await writeBack(
      announcements(leads),
      deps({ scoreFields: { score: 'leadscore_total' } }),
    );
    const parked = dlqEntries(await harness.sqs.drain(harness.dlqUrl));

    expect(outcome).toMatchObject({ deadLettered: 2, written: 0, failedMessageIds: [] });
    expect(parked.map((entry) => entry.reason)).toEqual([
      expect.stringContaining('VALIDATION_ERROR (PROPERTY_DOESNT_EXIST)'),
      expect.stringContaining('VALIDATION_ERROR (PROPERTY_DOESNT_EXIST)'),
    ]);
    const stored = await harness.store.getLeads(leads.map((lead) => lead.leadId));
    expect([...stored.values()].map((lead) => lead.writeBackFailure?.recordGone)).toEqual([false, false]);
  });

  it('stops on the DAILY limit and leaves the rest on the queue', async () => {
    await sandbox.close();
    sandbox = await startHubSpotSandbox({
      ...freshIds(),
      clock: time.clock,
      dailyLimit: 1,
      propertyGroups: [{ name: 'leadscore', label: 'Leadscore' }],
      properties: SCORE_PROPERTIES,
    });
    const { leads } = await seed(150);

    const outcome = await writeBack(announcements(leads), deps());

    expect(updates().map((request) => request.status)).toEqual([200, 429]);
    expect(outcome).toMatchObject({ written: 100, deferred: 50, stoppedFor: 'quota' });
    expect(outcome.failedMessageIds).toHaveLength(50);
  });

  it('stops without retrying when the secrets are unusable, saying what is missing', async () => {
    const { leads } = await seed(1);

    const outcome = await writeBack(
      announcements(leads),
      writeBackDeps(harness, {
        crm: 'hubspot',
        connection: inlineConnection({ salesforce: undefined }, { hubspotBaseUrl: sandbox.url }),
        time,
      }),
    );

    expect(outcome).toMatchObject({ stoppedFor: 'auth', deferred: 1, calls: 1 });
    expect(outcome.stopDetail).toContain('CRM secrets have no "hubspot" section');
    expect(sandbox.requests()).toEqual([]);
  });
});
