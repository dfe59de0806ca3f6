import { deflateRawSync } from 'node:zlib';
import { PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbLeadStore } from '../../lib/adapters/dynamodb-lead-store';
import { newLead, type LeadState } from '../../lib/leads/lead-state';
import { createTestTables, type TestTables } from '../support/dynamodb';

const lead = (leadId: string, overrides: Partial<LeadState> = {}): LeadState => ({
  ...newLead(leadId),
  profile: { jobtitle: 'VP Sales', numberofemployees: '250' },
  profileAt: { jobtitle: '2026-11-01T00:00:00.000Z', numberofemployees: '2026-11-01T00:00:00.000Z' },
  events: [
    { id: 'sendgrid:e1', type: 'email.opened', occurredAt: '2026-11-02T00:00:00.000Z', campaign: 'q4' },
  ],
  ...overrides,
});

describe('DynamoDbLeadStore on DynamoDB Local', () => {
  let tables: TestTables;
  let store: DynamoDbLeadStore;

  beforeAll(async () => {
    tables = await createTestTables();
    store = new DynamoDbLeadStore(tables.documents, tables.leadsTable);
  });

  afterAll(() => tables.client.destroy());

  it('stores a new lead and reads it back as it was, at version 1', async () => {
    const written = lead('hubspot:contact:1', { crm: { system: 'hubspot', objectType: 'contact', id: '1' } });
    expect(await store.save({ leads: [written] })).toBe('saved');
    const read = (await store.getLeads(['hubspot:contact:1', 'hubspot:contact:missing'])).get(
      'hubspot:contact:1',
    );
    expect(read).toEqual({ ...written, version: 1 });
  });

  it('reads a lead stored before the state dictionary (plain deflate, no codec) and rewrites it in the new form', async () => {
    const { leadId: _id, status: _status, version: _version, ...document } = lead('hubspot:contact:legacy');
    await tables.documents.send(
      new PutCommand({
        TableName: tables.leadsTable,
        Item: {
          pk: 'LEAD#hubspot:contact:legacy',
          leadId: 'hubspot:contact:legacy',
          status: 'active',
          version: 3,
          state: deflateRawSync(JSON.stringify(document)),
        },
      }),
    );

    const read = (await store.getLeads(['hubspot:contact:legacy'])).get('hubspot:contact:legacy');
    expect(read).toEqual({ ...lead('hubspot:contact:legacy'), version: 3 });
    expect(await store.save({ leads: [read!] })).toBe('saved');
    expect((await store.getLeads(['hubspot:contact:legacy'])).get('hubspot:contact:legacy')).toEqual({
      ...lead('hubspot:contact:legacy'),
      version: 4,
    });
  });

  it('refuses a write from a stale version (optimistic concurrency)', async () => {
    await store.save({ leads: [lead('hubspot:contact:2')] });
    const [read] = (await store.getLeads(['hubspot:contact:2'])).values();
    expect(await store.save({ leads: [{ ...read!, profile: { a: '1' } }] })).toBe('saved');
    expect(await store.save({ leads: [{ ...read!, profile: { a: '2' } }] })).toBe('conflict');
    expect(await store.save({ leads: [lead('hubspot:contact:2')] })).toBe('conflict');
  });

  it('saves a lead and its tombstones all or nothing', async () => {
    const survivor = lead('hubspot:contact:3');
    const tombstone = { ...newLead('email:abc'), status: 'merged' as const, mergedInto: 'hubspot:contact:3' };
    expect(await store.save({ leads: [lead('email:abc')] })).toBe('saved');

    // The tombstone is written as new (version 0), but the email's lead exists: nothing is written.
    expect(await store.save({ leads: [survivor, tombstone] })).toBe('conflict');
    expect((await store.getLeads(['hubspot:contact:3', 'email:abc'])).get('email:abc')?.status).toBe(
      'active',
    );
    expect((await store.getLeads(['hubspot:contact:3'])).size).toBe(0);

    const [held] = (await store.getLeads(['email:abc'])).values();
    expect(await store.save({ leads: [survivor, { ...tombstone, version: held!.version }] })).toBe('saved');
    const after = await store.getLeads(['hubspot:contact:3', 'email:abc']);
    expect(after.get('email:abc')).toMatchObject({
      status: 'merged',
      mergedInto: 'hubspot:contact:3',
      version: 2,
    });
    expect(after.get('hubspot:contact:3')?.version).toBe(1);
  });

  it('writes `then` after the leads, one by one, and answers conflict when one of them fails', async () => {
    const survivor = lead('hubspot:contact:4');
    const tombstone = { ...newLead('email:def'), status: 'merged' as const, mergedInto: 'hubspot:contact:4' };
    expect(await store.save({ leads: [lead('email:def')] })).toBe('saved');

    // The email's lead exists, so its tombstone (written as new) fails, after the survivor was written.
    expect(await store.save({ leads: [survivor], then: [tombstone] })).toBe('conflict');
    const after = await store.getLeads(['hubspot:contact:4', 'email:def']);
    expect(after.get('hubspot:contact:4')?.version).toBe(1);
    expect(after.get('email:def')?.status).toBe('active');

    const held = after.get('email:def')!;
    const saved = after.get('hubspot:contact:4')!;
    expect(await store.save({ leads: [saved], then: [{ ...tombstone, version: held.version }] })).toBe(
      'saved',
    );
    expect((await store.getLeads(['email:def'])).get('email:def')).toMatchObject({
      status: 'merged',
      mergedInto: 'hubspot:contact:4',
    });
  });

  it('reads more than one BatchGet page of leads', async () => {
    const ids = Array.from({ length: 130 }, (_, n) => `salesforce:lead:${n}`);
    for (const id of ids) await store.save({ leads: [lead(id)] });
    expect((await store.getLeads(ids)).size).toBe(130);
  });

  it('finds leads that are due through the index, a page at a time, and never others', async () => {
    const due = ['due:1', 'due:2', 'due:3'];
    for (const id of due) {
      await store.save({ leads: [lead(id, { nextChangeAt: '2026-11-10T00:00:00.000Z' })] });
    }
    await store.save({ leads: [lead('later:1', { nextChangeAt: '2026-12-10T00:00:00.000Z' })] });

    const found: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await store.dueLeads(new Date('2026-11-20T00:00:00Z'), cursor);
      found.push(...page.leadIds);
      cursor = page.cursor;
    } while (cursor);
    expect(found.sort()).toEqual(due);
  });
});
