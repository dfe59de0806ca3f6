import { startHubSpotSandbox, type HubSpotSandbox } from '../../../local/sandbox/hubspot-sandbox';
import { HubSpotClientSource } from '../../../lib/adapters/hubspot-client';
import { ensureHubSpotProperties, propertiesApi } from '../../../lib/adapters/hubspot-properties';
import { scoreFieldNames } from '../../../lib/config/crm-fields';
import { HUBSPOT_GROUP, hubSpotPropertySpecs } from '../../../lib/writeback/score-field-specs';
import { writeBack } from '../../../lib/writeback/write-back';
import { caught, hubspotClient } from '../sandbox/clients';
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
  type ScoredLeadSpec,
  type WriteBackHarness,
  HUBSPOT_BATCH_UPDATE,
} from './harness';
import { startWireProxy, type WireProxy } from './wire-proxy';

/** An admin turned the grade into a dropdown after setup (setup then only reports a mismatch). */
const GRADE_DROPDOWN = {
  name: scoreFieldNames('hubspot').grade,
  label: 'Lead grade',
  type: 'enumeration',
  fieldType: 'select',
  groupName: HUBSPOT_GROUP.name,
  options: ['A', 'B', 'C'].map((value) => ({ label: value, value })),
};
// Each sandbox numbers its contacts from its first id; the lead table is shared by the file's tests.
let firstContactId = 70_000;

describe('HubSpot refusals in the write-back (sandbox, @hubspot/api-client)', () => {
  let harness: WriteBackHarness;
  let sandbox: HubSpotSandbox;
  let time: ReturnType<typeof sharedClock>;
  let proxy: WireProxy | undefined;

  beforeAll(async () => {
    harness = await startWriteBackHarness();
  });

  afterAll(() => harness.stop());

  beforeEach(async () => {
    time = sharedClock();
    sandbox = await startHubSpotSandbox({
      seed: 11,
      firstContactId: (firstContactId += 1000),
      clock: time.clock,
      propertyGroups: [HUBSPOT_GROUP],
      properties: [GRADE_DROPDOWN],
    });
    // The other four properties as `leadscore crm setup` creates them.
    await ensureHubSpotProperties(
      new HubSpotClientSource(
        { credentials: async () => ({ accessToken: sandbox.accessToken }), baseUrl: sandbox.url },
        propertiesApi,
      ),
      hubSpotPropertySpecs(scoreFieldNames('hubspot')),
    );
    sandbox.clearRequests();
  });

  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await sandbox.close();
  });

  /** Contacts with a scored lead each: grade A, score n, except where `odd` says otherwise. */
  async function seed(count: number, odd: Record<number, Partial<ScoredLeadSpec>> = {}) {
    const contacts = sandbox.seed(
      Array.from({ length: count }, (_, n) => ({ properties: { email: `refused${n}@example.com` } })),
    );
    const leads = contacts.map((contact, n) =>
      scoredLead({
        ref: { system: 'hubspot', objectType: 'contact', id: contact.id },
        score: n,
        grade: 'A',
        stage: 'lead',
        reasons: 'demo-request +10',
        scoredAt: '2026-11-23T11:30:00.000Z',
        ...odd[n],
      }),
    );
    await saveLeads(harness.store, leads);
    return { contacts, leads };
  }

  const deps = (baseUrl = sandbox.url) =>
    writeBackDeps(harness, {
      crm: 'hubspot',
      connection: inlineConnection(
        { hubspot: { accessToken: sandbox.accessToken } },
        { hubspotBaseUrl: baseUrl },
      ),
      time,
    });
  const updates = () => sandbox.requests().filter((request) => request.path === HUBSPOT_BATCH_UPDATE);
  const failures = async (leadIds: readonly string[]) => {
    const stored = await harness.store.getLeads(leadIds);
    return leadIds.map((leadId) => stored.get(leadId)?.writeBackFailure);
  };

  it('the sandbox refuses a whole batch update for one invalid value, with HubSpot’s error body', async () => {
    const contacts = sandbox.seed([{ properties: { email: 'a@example.com' } }, { properties: {} }]);

    const error = await caught(
      hubspotClient(sandbox).crm.contacts.batchApi.update({
        inputs: contacts.map((contact, n) => ({
          id: contact.id,
          properties: { leadscore_grade: n === 0 ? 'A' : 'A+' },
        })),
      }),
    );

    expect(error.code).toBe(400);
    expect(error.body).toMatchObject({
      status: 'error',
      category: 'VALIDATION_ERROR',
      message: expect.stringMatching(/^Property values were not valid: .*"error":"INVALID_OPTION"/),
      errors: [
        {
          message: 'A+ was not one of the allowed options: [A, B, C]',
          code: 'INVALID_OPTION',
          context: { propertyName: ['leadscore_grade'] },
        },
      ],
    });
    expect(sandbox.records().map((contact) => contact.properties.leadscore_grade)).toEqual([
      undefined,
      undefined,
    ]);
  });

  it('a grade the dropdown lacks parks that lead alone; the others are written', async () => {
    const { contacts, leads } = await seed(5, { 1: { grade: 'A+' } });

    const outcome = await writeBack(announcements(leads), deps());
    const parked = dlqEntries(await harness.sqs.drain(harness.dlqUrl));

    expect(outcome).toMatchObject({ written: 4, deadLettered: 1, failedMessageIds: [] });
    expect(parked).toEqual([
      {
        body: expect.objectContaining({ leadId: leads[1]!.leadId }),
        reason: expect.stringContaining('A+ was not one of the allowed options'),
      },
    ]);
    expect(contacts.map((contact) => sandbox.record(contact.id)?.properties.leadscore_grade)).toEqual([
      'A',
      undefined,
      'A',
      'A',
      'A',
    ]);
    expect(await failures(leads.map((lead) => lead.leadId))).toEqual([
      undefined,
      expect.objectContaining({ recordGone: false }),
      undefined,
      undefined,
      undefined,
    ]);
    // Halving 5 to find the one: 5, 3, 2 and 1 refused, 3 good parts written; no wait between them.
    expect(
      updates()
        .map((request) => request.status)
        .sort(),
    ).toEqual([200, 200, 200, 400, 400, 400, 400]);
    expect(time.slept).toEqual([]);
  });

  it('a score HubSpot cannot read as a number (1e21 sent as "1e+21") parks that lead alone', async () => {
    const { contacts, leads } = await seed(3, { 2: { score: 1e21 } });

    const outcome = await writeBack(announcements(leads), deps());
    const parked = dlqEntries(await harness.sqs.drain(harness.dlqUrl));

    expect(outcome).toMatchObject({ written: 2, deadLettered: 1 });
    expect(parked.map((entry) => [entry.body.leadId, entry.reason])).toEqual([
      [leads[2]!.leadId, expect.stringContaining('1e+21 was not a valid number.')],
    ]);
    expect(contacts.map((contact) => sandbox.record(contact.id)?.properties.leadscore_score)).toEqual([
      '0',
      '1',
      undefined,
    ]);
  });

  it('429s with Retry-After: 0 are spaced by a growing pause, not retried at once all window long', async () => {
    const { leads } = await seed(2);
    sandbox.fail({ status: 429, count: 40, retryAfterSeconds: 0 });

    const outcome = await writeBack(announcements(leads), deps());

    // Pauses of 0.5, 1, 2, 4, 8, 8 s; then the next would end past the 40 s window.
    expect(updates().map((request) => Date.parse(request.at) - START)).toEqual([
      0, 500, 1_500, 3_500, 7_500, 15_500, 23_500,
    ]);
    expect(outcome).toMatchObject({ written: 0, deferred: 2, stoppedFor: 'deadline' });
  });

  it('a contact merged into another is written once: HubSpot answers with the survivor’s id', async () => {
    const { contacts, leads } = await seed(2);
    const merged = contacts[0]!.id;
    proxy = await startWireProxy(sandbox.url, ({ path }) =>
      path.startsWith(HUBSPOT_BATCH_UPDATE)
        ? { rewrite: (status, body) => ({ status, body: body.replace(`"id":"${merged}"`, '"id":"999999"') }) }
        : 'pass',
    );

    const outcome = await writeBack(announcements(leads), deps(proxy.url));

    expect(proxy.log.map((request) => request.status)).toEqual([200]);
    expect(outcome).toMatchObject({ written: 2, calls: 1, deferred: 0, deadLettered: 0 });
  });
});
