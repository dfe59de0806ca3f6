import { withBatchedReads } from '../../../lib/leads/batched-reads';
import type { LeadStore } from '../../../lib/leads/ports';

/** A store that answers identity lookups from a table and records each read round. */
function countingStore(owners: Record<string, string>) {
  const rounds: string[][] = [];
  const store: LeadStore = {
    resolveEmails: async (emails) => {
      rounds.push([...emails].sort());
      return new Map(emails.flatMap((email) => (owners[email] ? [[email, owners[email]]] : [])));
    },
    getLeads: async () => new Map(),
    save: async () => 'saved',
    dueLeads: async () => ({ leadIds: [] }),
  };
  return { store, rounds };
}

describe('withBatchedReads', () => {
  it('coalesces the lookups made at the same moment into one read', async () => {
    const { store, rounds } = countingStore({ 'a@x.example': 'hubspot:contact:1' });
    const reads = withBatchedReads(store);

    const [a, b] = await Promise.all([
      reads.resolveEmails(['a@x.example']),
      reads.resolveEmails(['b@x.example']),
    ]);

    expect(a).toEqual(new Map([['a@x.example', 'hubspot:contact:1']]));
    expect(b).toEqual(new Map());
    expect(rounds).toEqual([['a@x.example', 'b@x.example']]);
  });

  it('answers a known identity once from what was just read, then from the store', async () => {
    const { store, rounds } = countingStore({
      'a@x.example': 'hubspot:contact:2',
      'c@x.example': 'hubspot:contact:3',
    });
    const reads = withBatchedReads(
      store,
      new Map([
        ['a@x.example', 'email:stale'],
        ['b@x.example', undefined],
      ]),
    );

    const first = await reads.resolveEmails(['a@x.example', 'b@x.example', 'c@x.example']);
    const again = await reads.resolveEmails(['a@x.example', 'b@x.example']);

    expect(first).toEqual(
      new Map([
        ['a@x.example', 'email:stale'],
        ['c@x.example', 'hubspot:contact:3'],
      ]),
    );
    expect(again).toEqual(new Map([['a@x.example', 'hubspot:contact:2']]));
    expect(rounds).toEqual([['c@x.example'], ['a@x.example', 'b@x.example']]);
  });
});
