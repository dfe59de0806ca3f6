/** The sandbox's Lead and Contact records and how they look on the REST wire (with `attributes`). */
import type { SObjectSchema, SObjectType } from './sobject-schema';

export interface SalesforceRecord {
  readonly id: string;
  readonly type: SObjectType;
  /** Canonical field names → values, including Id and the system fields. */
  readonly fields: Record<string, unknown>;
}

/** A record as REST returns it; unset fields come back as null, only `fieldNames` when given. */
export function restRecord(
  schema: SObjectSchema,
  record: SalesforceRecord,
  version: string,
  fieldNames?: readonly string[],
): Record<string, unknown> {
  const names = fieldNames ?? schema.fields(record.type).map((definition) => definition.name);
  const out: Record<string, unknown> = {
    attributes: { type: record.type, url: `/services/data/${version}/sobjects/${record.type}/${record.id}` },
  };
  for (const name of names) {
    const canonical = schema.field(record.type, name)?.name ?? name;
    out[canonical] = record.fields[canonical] ?? null;
  }
  return out;
}
