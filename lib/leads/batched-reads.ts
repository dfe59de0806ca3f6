/**
 * Coalesces the reads that many leads' plans make at the same moment (claimed emails' leads, absorbed
 * leads) into one BatchGetItem, so that a batch of N leads costs one read round, not N.
 */
import type { LeadState } from './lead-state';
import type { LeadStore } from './ports';

type Loader<V> = (keys: readonly string[]) => Promise<Map<string, V>>;

function coalescing<V>(load: Loader<V>): Loader<V> {
  let pending: { keys: Set<string>; result: Promise<Map<string, V>> } | undefined;
  return (keys) => {
    if (!pending) {
      const batch = { keys: new Set<string>(), result: undefined as unknown as Promise<Map<string, V>> };
      // Calls made before the event loop turns join this read.
      batch.result = new Promise<void>((resolve) => setImmediate(resolve)).then(() => {
        pending = undefined;
        return load([...batch.keys]);
      });
      pending = batch;
    }
    for (const key of keys) pending.keys.add(key);
    return pending.result;
  };
}

export function withBatchedReads(store: LeadStore): LeadStore {
  const getLeads = coalescing<LeadState>((ids) => store.getLeads(ids));
  return {
    // Only the leads asked for: the shared read's answer is filtered.
    getLeads: async (ids) => {
      const all = await getLeads(ids);
      return new Map(ids.flatMap((id) => (all.has(id) ? [[id, all.get(id)!]] : [])));
    },
    save: (change) => store.save(change),
    dueLeads: (now, cursor) => store.dueLeads(now, cursor),
  };
}
