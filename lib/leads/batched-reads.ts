/**
 * Coalesces the reads that many leads' plans make at the same moment (identity lookups, absorbed leads)
 * into one BatchGetItem each, so that a batch of N leads costs one read round, not N.
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

/**
 * `known`: identities just read for this batch (email → owner, undefined for none). Each answers one
 * lookup instead of the store: the plans' first round reuses what resolving the batch read moments
 * before; any later lookup (a retry after a conflict) reads the store again. A stale answer only costs
 * a conflict, since every identity write is conditional on what was read.
 */
export function withBatchedReads(
  store: LeadStore,
  known: ReadonlyMap<string, string | undefined> = new Map(),
): LeadStore {
  const unused = new Map(known);
  const fromStore = coalescing<string>((emails) => store.resolveEmails(emails));
  const resolveEmails = async (emails: readonly string[]): Promise<Map<string, string>> => {
    const answered = new Map<string, string>();
    const toRead = emails.filter((email) => {
      if (!unused.has(email)) return true;
      const owner = unused.get(email);
      unused.delete(email);
      if (owner !== undefined) answered.set(email, owner);
      return false;
    });
    if (toRead.length === 0) return answered;
    const read = await fromStore(toRead);
    for (const email of toRead) if (read.has(email)) answered.set(email, read.get(email)!);
    return answered;
  };
  const getLeads = coalescing<LeadState>((ids) => store.getLeads(ids));
  return {
    // Already only the emails asked for: the shared read's answer is filtered above.
    resolveEmails,
    getLeads: async (ids) => {
      const all = await getLeads(ids);
      return new Map(ids.flatMap((id) => (all.has(id) ? [[id, all.get(id)!]] : [])));
    },
    save: (change) => store.save(change),
    dueLeads: (now, cursor) => store.dueLeads(now, cursor),
  };
}
