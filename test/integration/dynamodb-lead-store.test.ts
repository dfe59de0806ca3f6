import { randomBytes } from 'node:crypto';
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

  it('saves a survivor with more tombstones than one transaction holds: the first 100 together, the rest after', async () => {
    const survivor = lead('hubspot:contact:many');
    const tombstones = Array.from({ length: 150 }, (_, n) => ({
      ...newLead(`hubspot:contact:m${n}`),
      status: 'merged' as const,
      mergedInto: 'hubspot:contact:many',
    }));
    // One merged record that exists already: its tombstone, written as new, fails after the first 100.
    expect(await store.save({ leads: [lead('hubspot:contact:m120')] })).toBe('saved');

    expect(await store.save({ leads: [survivor, ...tombstones] })).toBe('conflict');
    const ids = tombstones.map((tombstone) => tombstone.leadId);
    const first = await store.getLeads(['hubspot:contact:many', ...ids]);
    expect(first.get('hubspot:contact:many')?.version).toBe(1);
    expect(ids.filter((id) => first.get(id)?.status === 'merged')).toHaveLength(120);
    expect(first.get('hubspot:contact:m120')?.status).toBe('active');

    // Redone from a fresh read, as the worker does after a conflict: only what is left is written.
    const left = tombstones
      .filter((tombstone) => first.get(tombstone.leadId)?.status !== 'merged')
      .map((tombstone) => ({ ...tombstone, version: first.get(tombstone.leadId)?.version ?? 0 }));
    expect(await store.save({ leads: [first.get('hubspot:contact:many')!, ...left] })).toBe('saved');
    const after = await store.getLeads(ids);
    expect(ids.every((id) => after.get(id)?.status === 'merged')).toBe(true);
  });

  it('keeps a lead over the item limit savable: its newest events that fit are kept, and the drop is told', async () => {
    const told: [string, number, number][] = [];
    const trimming = new DynamoDbLeadStore(tables.documents, tables.leadsTable, true, (...args) =>
      told.push(args),
    );
    // 600 events with ~1 KB of incompressible text each: ~600 KB deflated, over DynamoDB's 400 KB item.
    const events = Array.from({ length: 600 }, (_, n) => ({
      id: `api:e${String(n).padStart(4, '0')}`,
      type: 'page.viewed',
      occurredAt: new Date(Date.UTC(2026, 0, 1) + n * 60_000).toISOString(),
      url: `/pricing?t=${randomBytes(768).toString('base64')}`,
    }));
    const heavy = lead('api:contact:heavy', { events });

    expect(await trimming.save({ leads: [heavy] })).toBe('saved');
    const read = (await trimming.getLeads(['api:contact:heavy'])).get('api:contact:heavy');
    const kept = read?.events ?? [];
    expect(told).toEqual([['api:contact:heavy', 600 - kept.length, kept.length]]);
    expect(kept.length).toBeGreaterThan(100);
    expect(kept).toEqual(events.slice(600 - kept.length));
    expect(read?.profile).toEqual(heavy.profile);
    // Saved again with a new event, it still fits.
    const next = {
      ...read!,
      events: [...kept, { ...events[0]!, id: 'api:new', occurredAt: '2026-02-01T00:00:00.000Z' }],
    };
    expect(await trimming.save({ leads: [next] })).toBe('saved');
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
