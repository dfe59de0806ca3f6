/**
 * Enrichment from Salesforce: the fields the rules read, by id, one sObject collections retrieve
 * (POST composite/sobjects/{Type}, ≤200 ids) per object type. Only fields the object has are asked for
 * (one describe per type per process), so that rules written for Leads still read Contacts.
 */
import type { Connection } from 'jsforce/lib/connection';
import type { CrmRef, FieldValue } from '../events/lead-event';
import type { CrmProfileReader } from '../leads/ports';
import { salesforceCallError, sObjectType } from './salesforce-score-writer';
import type { SalesforceSession } from './salesforce-session';

const RETRIEVE_MAX = 200;

export class SalesforceProfileReader implements CrmProfileReader {
  /** Object type → its field names by lower-case name (Salesforce names are case-insensitive). */
  private readonly fieldNames = new Map<string, Promise<Map<string, string>>>();

  constructor(private readonly session: SalesforceSession) {}

  async readProfiles(
    refs: readonly CrmRef[],
    fields: readonly string[],
  ): Promise<Map<string, Record<string, FieldValue>>> {
    const byType = new Map<string, string[]>();
    for (const ref of refs) {
      if (ref.system !== 'salesforce') continue;
      const type = sObjectType(ref.objectType);
      const ids = byType.get(type) ?? [];
      if (!ids.includes(ref.id)) ids.push(ref.id);
      byType.set(type, ids);
    }
    const profiles = new Map<string, Record<string, FieldValue>>();
    for (const [type, ids] of byType) {
      const known = await this.knownFields(type);
      // Asked-for name → the object's own spelling, for the fields the object has.
      const wanted = new Map<string, string>();
      for (const field of ['Email', ...fields]) {
        const actual = known.get(field.toLowerCase());
        if (actual) wanted.set(field, actual);
      }
      for (let start = 0; start < ids.length; start += RETRIEVE_MAX) {
        const chunk = ids.slice(start, start + RETRIEVE_MAX);
        const records = await this.call((connection) =>
          connection.sobject(type).retrieve(chunk, { fields: [...new Set(wanted.values())] }),
        );
        // In request order, null where the record does not exist.
        chunk.forEach((id, index) => {
          const record = (records as readonly (Record<string, unknown> | null)[])[index];
          if (!record) return;
          const profile: Record<string, FieldValue> = {};
          for (const [asked, actual] of wanted) {
            const value = record[actual];
            if (isFieldValue(value) && value !== null) profile[asked] = value;
          }
          profiles.set(id, profile);
        });
      }
    }
    return profiles;
  }

  private knownFields(type: string): Promise<Map<string, string>> {
    let known = this.fieldNames.get(type);
    if (!known) {
      known = this.call((connection) => connection.sobject(type).describe()).then(
        (described) => new Map(described.fields.map((field) => [field.name.toLowerCase(), field.name])),
      );
      known.catch(() => this.fieldNames.delete(type));
      this.fieldNames.set(type, known);
    }
    return known;
  }

  private async call<T>(work: (connection: Connection) => Promise<T>): Promise<T> {
    try {
      return await this.session.call(work);
    } catch (error) {
      throw salesforceCallError(error);
    }
  }
}

function isFieldValue(value: unknown): value is FieldValue {
  return value === null || ['string', 'number', 'boolean'].includes(typeof value);
}
