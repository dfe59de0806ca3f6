/** In-memory records keyed by id that remember deletions, so a sandbox can answer "deleted" apart from "never existed". */
export class RecordStore<R extends { readonly id: string }> {
  private readonly live = new Map<string, R>();
  private readonly deleted = new Set<string>();

  get(id: string): R | undefined {
    return this.live.get(id);
  }

  wasDeleted(id: string): boolean {
    return this.deleted.has(id);
  }

  put(record: R): R {
    this.live.set(record.id, record);
    this.deleted.delete(record.id);
    return record;
  }

  delete(id: string): boolean {
    if (!this.live.delete(id)) return false;
    this.deleted.add(id);
    return true;
  }

  list(): R[] {
    return [...this.live.values()];
  }

  find(predicate: (record: R) => boolean): R | undefined {
    for (const record of this.live.values()) if (predicate(record)) return record;
    return undefined;
  }
}
