import {
  startSalesforceSandbox,
  type CustomFieldSpec,
  type SalesforceSandbox,
  type SalesforceSandboxOptions,
} from '../../../local/sandbox/salesforce-sandbox';
import { apiFloor } from '../../../lib/config/writeback-config';
import { CallBudget } from '../../../lib/writeback/call-budget';
import { writeBack } from '../../../lib/writeback/write-back';
import { rsaKeyPair } from '../sandbox/clients';
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

const SCORE_FIELDS: CustomFieldSpec[] = (['Lead', 'Contact'] as const).flatMap((object) => [
  { object, name: 'Lead_Score__c', type: 'double', precision: 3, scale: 0 },
  { object, name: 'Lead_Grade__c', type: 'string', length: 2 },
  { object, name: 'Lead_Stage__c', type: 'string', length: 40 },
  { object, name: 'Lead_Score_Reasons__c', type: 'textarea', length: 255 },
  { object, name: 'Lead_Scored_At__c', type: 'datetime' },
]);
const SCORED_AT = '2026-11-23T11:30:00.000Z';
const ROUTING_QUEUE = '00G000000000009AAA';

describe('write-back to the Salesforce sandbox with jsforce', () => {
  let harness: WriteBackHarness;
  let sandbox: SalesforceSandbox;
  let time: ReturnType<typeof sharedClock>;

  const start = async (options: SalesforceSandboxOptions = {}) => {
    sandbox = await startSalesforceSandbox({
      seed: 4,
      clock: time.clock,
      customFields: SCORE_FIELDS,
      assignmentOwnerId: ROUTING_QUEUE,
      ...options,
    });
  };

  beforeEach(async () => {
    time = sharedClock();
    // Sandbox ids repeat from one sandbox to the next: fresh tables keep the leads apart.
    harness = await startWriteBackHarness();
    await start();
  });

  afterEach(async () => {
    await sandbox.close();
    await harness.stop();
  });

  /** Seeds `count` records of `type` and a scored lead for each: score n % 101, grade A/C alternating. */
  async function seed(count: number, type: 'Lead' | 'Contact' = 'Lead') {
    const records = sandbox.seed(
      Array.from({ length: count }, (_, n) => ({
        type,
        fields: type === 'Lead' ? { LastName: `L${n}`, Company: 'Acme' } : { LastName: `C${n}` },
      })),
    );
    const leads = records.map((record, n) =>
      scoredLead({
        ref: { system: 'salesforce', objectType: type, id: record.id },
        score: n % 101,
        grade: n % 2 === 0 ? 'A' : 'C',
        stage: 'lead',
        reasons: `pricing-page +${n % 31}`,
        scoredAt: SCORED_AT,
      }),
    );
    await saveLeads(harness.store, leads);
    return { records, leads };
  }

  const deps = (overrides: Partial<Parameters<typeof writeBackDeps>[1]> = {}) =>
    writeBackDeps(harness, {
      crm: 'salesforce',
      connection: inlineConnection(SALESFORCE_CLIENT_CREDENTIALS, { salesforceLoginUrl: sandbox.url }),
      time,
      ...overrides,
    });
  const calls = () =>
    sandbox.requests().map((request) => [request.method, request.path, request.status] as const);
  const collectionCalls = () =>
    sandbox.requests().filter((request) => request.path === SALESFORCE_COLLECTIONS);

  it('writes 250 changed leads in exactly 2 sObject collection calls (after one token request)', async () => {
    const { records, leads } = await seed(250);

    const outcome = await writeBack(announcements(leads), deps());

    expect(calls()).toEqual([
      ['POST', SALESFORCE_TOKEN, 200],
      ['PATCH', SALESFORCE_COLLECTIONS, 200],
      ['PATCH', SALESFORCE_COLLECTIONS, 200],
    ]);
    expect(
      collectionCalls().map((request) => (request.body as { records: unknown[] }).records.length),
    ).toEqual([200, 50]);
    expect(collectionCalls().map((request) => (request.body as { allOrNone: boolean }).allOrNone)).toEqual([
      false,
      false,
    ]);
    expect(outcome).toMatchObject({ written: 250, failedMessageIds: [] });
    // Record 211: 211 % 101 = 9, odd → C, 211 % 31 = 25.
    expect(sandbox.record(records[211]!.id)?.fields).toMatchObject({
      Lead_Score__c: 9,
      Lead_Grade__c: 'C',
      Lead_Stage__c: 'lead',
      Lead_Score_Reasons__c: 'pricing-page +25',
      Lead_Scored_At__c: '2026-11-23T11:30:00.000+0000',
    });
  }, 60_000);

  it('groups records by object type, one call per type', async () => {
    const { leads: people } = await seed(3, 'Lead');
    const { leads: contacts } = await seed(2, 'Contact');

    await writeBack(announcements([...people, ...contacts]), deps());

    expect(
      collectionCalls().map((request) =>
        (request.body as { records: { attributes: { type: string } }[] }).records.map(
          (record) => record.attributes.type,
        ),
      ),
    ).toEqual([
      ['Lead', 'Lead', 'Lead'],
      ['Contact', 'Contact'],
    ]);
  });

  it('keeps its token for later batches and renews it once when Salesforce answers INVALID_SESSION_ID', async () => {
    const { leads } = await seed(2);
    const writing = deps();
    await writeBack(announcements(leads), writing);
    sandbox.clearRequests();

    sandbox.expireTokens();
    const outcome = await writeBack(announcements(leads), writing);

    expect(calls()).toEqual([
      ['PATCH', SALESFORCE_COLLECTIONS, 401],
      ['POST', SALESFORCE_TOKEN, 200],
      ['PATCH', SALESFORCE_COLLECTIONS, 200],
    ]);
    expect(writing.clients.salesforceSession?.tokenRequests).toBe(2);
    expect(outcome).toMatchObject({ written: 2, failedMessageIds: [] });
  });

  it('sends Sforce-Auto-Assign: FALSE by default, so no assignment rule moves the leads', async () => {
    const { records, leads } = await seed(2);

    await writeBack(announcements(leads, 1, true), deps());

    expect(collectionCalls().map((request) => request.headers['sforce-auto-assign'])).toEqual(['FALSE']);
    expect(sandbox.record(records[0]!.id)?.fields.OwnerId).toBe(sandbox.defaultOwnerId);
  });

  it('with assignment on qualification change, sends TRUE only for those leads, in their own call', async () => {
    const { records, leads } = await seed(3);
    const [changed, same, contact] = [leads[0]!, leads[1]!, leads[2]!];

    await writeBack(
      [...announcements([changed], 1, true), ...announcements([same, contact], 1, false)],
      deps({ assignOnQualificationChange: true }),
    );

    const headers = collectionCalls().map((request) => [
      request.headers['sforce-auto-assign'],
      (request.body as { records: { id: string }[] }).records.map((record) => record.id),
    ]);
    expect(headers).toEqual(
      expect.arrayContaining([
        ['TRUE', [records[0]!.id]],
        ['FALSE', [records[1]!.id, records[2]!.id]],
      ]),
    );
    expect(headers).toHaveLength(2);
    expect(sandbox.record(records[0]!.id)?.fields.OwnerId).toBe(ROUTING_QUEUE);
    expect(sandbox.record(records[1]!.id)?.fields.OwnerId).toBe(sandbox.defaultOwnerId);
  });

  it('parks a deleted record and one a validation rule refuses, with Salesforce’s errors; writes the rest', async () => {
    const { records, leads } = await seed(4);
    sandbox.deleteRecord(records[1]!.id);
    sandbox.failValidation(records[2]!.id, { message: 'Scores are locked', fields: ['Lead_Score__c'] });

    const outcome = await writeBack(announcements(leads), deps());
    const parked = dlqEntries(await harness.sqs.drain(harness.dlqUrl));
    const stored = await harness.store.getLeads(leads.map((lead) => lead.leadId));

    expect(collectionCalls()).toHaveLength(1);
    expect(outcome).toMatchObject({ written: 2, deadLettered: 2, failedMessageIds: [] });
    expect(parked.map((entry) => [entry.body.leadId, entry.reason])).toEqual([
      [leads[1]!.leadId, 'salesforce: ENTITY_IS_DELETED: entity is deleted'],
      [leads[2]!.leadId, 'salesforce: FIELD_CUSTOM_VALIDATION_EXCEPTION: Scores are locked'],
    ]);
    expect(leads.map((lead) => stored.get(lead.leadId)?.writeBackFailure?.recordGone)).toEqual([
      undefined,
      true,
      false,
      undefined,
    ]);
    expect(sandbox.record(records[3]!.id)?.fields.Lead_Score__c).toBe(3);
  });

  it('stops writing at the daily usage floor (10% of the limit by default) and leaves the rest queued', async () => {
    await sandbox.close();
    await start({ dailyApiLimit: 1_000, apiUsage: 898 });
    const { leads } = await seed(450);
    const budget = new CallBudget({ dailyFloor: (limit) => apiFloor({}, limit) });

    const outcome = await writeBack(announcements(leads), deps({ budget }));

    // Calls 899 and 900 go out; then 100 remain, which is the floor.
    expect(collectionCalls().map((request) => request.status)).toEqual([200, 200]);
    expect(outcome).toMatchObject({ written: 400, deferred: 50, stoppedFor: 'quota' });
    expect(outcome.stopDetail).toBe('daily API usage 900/1000 leaves no more than the floor of 100 calls');
    expect(sandbox.apiUsage().used).toBe(900);
  }, 60_000);

  it('treats REQUEST_LIMIT_EXCEEDED as a spent quota: no retries, everything left queued', async () => {
    await sandbox.close();
    await start({ dailyApiLimit: 100, apiUsage: 100 });
    const { leads } = await seed(3);

    const outcome = await writeBack(announcements(leads), deps());

    expect(collectionCalls().map((request) => request.status)).toEqual([403]);
    expect(outcome).toMatchObject({ written: 0, deferred: 3, stoppedFor: 'quota' });
    expect(outcome.failedMessageIds).toHaveLength(3);
  });

  it('retries a 503 after a backoff', async () => {
    const { leads } = await seed(2);
    sandbox.fail({ status: 503, count: 1, path: SALESFORCE_COLLECTIONS });

    const outcome = await writeBack(announcements(leads), deps());

    expect(collectionCalls().map((request) => request.status)).toEqual([503, 200]);
    expect(time.slept).toHaveLength(1);
    expect(outcome.written).toBe(2);
  });

  it('authenticates with a JWT bearer assertion', async () => {
    const keys = rsaKeyPair();
    await sandbox.close();
    await start({
      connectedApps: [
        { consumerKey: 'jwt-app', certificate: keys.publicKey, usernames: ['integration@acme.example'] },
      ],
    });
    const { records, leads } = await seed(1);

    const outcome = await writeBack(
      announcements(leads),
      deps({
        connection: inlineConnection(
          {
            salesforce: {
              loginUrl: sandbox.url,
              clientId: 'jwt-app',
              username: 'integration@acme.example',
              privateKey: keys.privateKey,
            },
          },
          { salesforceLoginUrl: sandbox.url },
        ),
      }),
    );

    expect(sandbox.requests()[0]?.body).toMatchObject({
      grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer',
      assertion: '[redacted]',
    });
    expect(outcome.written).toBe(1);
    expect(sandbox.record(records[0]!.id)?.fields.Lead_Grade__c).toBe('A');
  });

  it('stops without retrying when Salesforce refuses the client credentials', async () => {
    const { leads } = await seed(1);
    const wrong = { salesforce: { ...SALESFORCE_CLIENT_CREDENTIALS.salesforce, clientSecret: 'not-it' } };

    const outcome = await writeBack(
      announcements(leads),
      deps({ connection: inlineConnection(wrong, { salesforceLoginUrl: sandbox.url }) }),
    );

    expect(calls()).toEqual([['POST', SALESFORCE_TOKEN, 400]]);
    expect(outcome).toMatchObject({ stoppedFor: 'auth', deferred: 1 });
    expect(outcome.stopDetail).toContain('invalid_client');
  });
});
