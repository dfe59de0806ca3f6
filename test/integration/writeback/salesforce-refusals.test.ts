import { startSalesforceSandbox, type SalesforceSandbox } from '../../../local/sandbox/salesforce-sandbox';
import { checkSalesforceFields } from '../../../lib/adapters/salesforce-fields';
import { scoreFieldNames } from '../../../lib/config/crm-fields';
import { salesforceFieldSpecs } from '../../../lib/writeback/score-field-specs';
import { writeBack } from '../../../lib/writeback/write-back';
import {
  announcements,
  dlqEntries,
  inlineConnection,
  saveLeads,
  scoredLead,
  sharedClock,
  startWriteBackHarness,
  writeBackDeps,
  type WriteBackHarness,
  SALESFORCE_CLIENT_CREDENTIALS,
  SALESFORCE_COLLECTIONS,
  SALESFORCE_TOKEN,
} from './harness';
import { jsonAnswer, startWireProxy, type WireProxy } from './wire-proxy';

const FIELDS = scoreFieldNames('salesforce');

describe('Salesforce refusals in the write-back (sandbox, jsforce)', () => {
  let harness: WriteBackHarness;
  let sandbox: SalesforceSandbox;
  let time: ReturnType<typeof sharedClock>;
  let proxy: WireProxy | undefined;

  beforeEach(async () => {
    time = sharedClock();
    // Sandbox ids repeat from one sandbox to the next: fresh tables keep the leads apart.
    harness = await startWriteBackHarness();
    // An admin made the grade a restricted picklist; setup accepts a picklist and creates the rest.
    sandbox = await startSalesforceSandbox({
      seed: 12,
      clock: time.clock,
      customFields: [
        {
          object: 'Lead',
          name: FIELDS.grade,
          type: 'picklist',
          picklistValues: ['A', 'B', 'C'],
          restrictedPicklist: true,
        },
      ],
    });
  });

  afterEach(async () => {
    await proxy?.close();
    proxy = undefined;
    await sandbox.close();
    await harness.stop();
  });

  const deps = (loginUrl = sandbox.url) =>
    writeBackDeps(harness, {
      crm: 'salesforce',
      connection: inlineConnection(SALESFORCE_CLIENT_CREDENTIALS, { salesforceLoginUrl: loginUrl }),
      time,
    });

  /** The score fields as `leadscore crm setup` creates them, and Leads with a scored lead each. */
  async function seed(grades: readonly string[]) {
    const setup = await checkSalesforceFields(
      deps().clients.salesforceSession!,
      ['Lead'],
      salesforceFieldSpecs(FIELDS),
      {
        create: true,
      },
    );
    expect(setup.map((check) => check.status)).toEqual(['created', 'ok', 'created', 'created', 'created']);
    const records = sandbox.seed(
      grades.map((_, n) => ({ type: 'Lead' as const, fields: { LastName: `L${n}`, Company: 'Acme' } })),
    );
    const leads = records.map((record, n) =>
      scoredLead({
        ref: { system: 'salesforce', objectType: 'Lead', id: record.id },
        score: n,
        grade: grades[n]!,
        stage: 'lead',
        reasons: 'pricing-page +5',
        scoredAt: '2026-11-23T11:30:00.000Z',
      }),
    );
    await saveLeads(harness.store, leads);
    sandbox.clearRequests();
    return { records, leads };
  }

  const collectionStatuses = () =>
    sandbox
      .requests()
      .filter((request) => request.path === SALESFORCE_COLLECTIONS)
      .map((request) => request.status);

  it('a grade the restricted picklist lacks is parked at once with the org’s message; the others are written', async () => {
    const { records, leads } = await seed(['A', 'A+', 'B']);

    const outcome = await writeBack(announcements(leads), deps());
    const parked = dlqEntries(await harness.sqs.drain(harness.dlqUrl));

    expect(collectionStatuses()).toEqual([200]);
    expect(outcome).toMatchObject({ written: 2, deadLettered: 1, deferred: 0, failedMessageIds: [] });
    expect(parked).toEqual([
      {
        body: expect.objectContaining({ leadId: leads[1]!.leadId }),
        reason:
          'salesforce: INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST: Lead Grade: bad value for restricted picklist field: A+',
      },
    ]);
    expect(records.map((record) => sandbox.record(record.id)?.fields[FIELDS.grade])).toEqual([
      'A',
      undefined,
      'B',
    ]);
  });

  it('a score field gone from the org (call-level 400 INVALID_FIELD) parks the call’s writes at once', async () => {
    const { leads } = await seed(['A', 'B', 'C']);
    const noSuchColumn = `No such column '${FIELDS.score}' on sobject of type Lead`;
    let proxyUrl = '';
    proxy = await startWireProxy(sandbox.url, ({ path }) => {
      // The token answer sends jsforce's data calls through the proxy too.
      if (path.startsWith(SALESFORCE_TOKEN)) {
        return { rewrite: (status, body) => ({ status, body: body.split(sandbox.url).join(proxyUrl) }) };
      }
      return path.startsWith(SALESFORCE_COLLECTIONS)
        ? jsonAnswer(400, [{ message: noSuchColumn, errorCode: 'INVALID_FIELD' }])
        : 'pass';
    });
    proxyUrl = proxy.url;

    const outcome = await writeBack(announcements(leads), deps(proxy.url));
    const parked = dlqEntries(await harness.sqs.drain(harness.dlqUrl));

    expect(proxy.log.filter((request) => request.path.startsWith(SALESFORCE_COLLECTIONS))).toHaveLength(1);
    expect(outcome).toMatchObject({ deadLettered: 3, deferred: 0, failedMessageIds: [] });
    expect(parked.map((entry) => entry.reason)).toEqual(
      leads.map(() => expect.stringContaining(`INVALID_FIELD: ${noSuchColumn}`)),
    );
  });
});
