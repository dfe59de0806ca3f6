import { withBatchedReads } from '../../../lib/leads/batched-reads';
import { newLead } from '../../../lib/leads/lead-state';
import type { LeadStore } from '../../../lib/leads/ports';

/** A store holding some leads that records each read round. */
function countingStore(held: readonly string[]) {
  const rounds: string[][] = [];
  const store: LeadStore = {
    getLeads: async (ids) => {
      rounds.push([...ids].sort());
      return new Map(ids.filter((id) => held.includes(id)).map((id) => [id, newLead(id)]));
    },
    save: async () => 'saved',
    dueLeads: async () => ({ leadIds: [] }),
  };
  return { store, rounds };
}

describe('withBatchedReads', () => {
  it('coalesces the reads made at the same moment into one, and answers each with what it asked for', async () => {
    const { store, rounds } = countingStore(['email:a', 'email:c']);
    const reads = withBatchedReads(store);

    const [first, second] = await Promise.all([
      reads.getLeads(['email:a', 'email:b']),
      reads.getLeads(['email:c', 'email:a']),
    ]);

    expect([...first.keys()]).toEqual(['email:a']);
    expect([...second.keys()]).toEqual(['email:c', 'email:a']);
    expect(rounds).toEqual([['email:a', 'email:b', 'email:c']]);
  });

  it('reads again for calls made after the first read started', async () => {
    const { store, rounds } = countingStore(['email:a']);
    const reads = withBatchedReads(store);

    await reads.getLeads(['email:a']);
    await reads.getLeads(['email:a']);

    expect(rounds).toEqual([['email:a'], ['email:a']]);
  });
});
