/** Checks the score fields on Lead and Contact (describe) and creates missing ones through the Tooling API (CustomField). */
// Registers `connection.tooling` (the sessions load jsforce's Connection alone, without its APIs).
import 'jsforce/lib/api/tooling';
import type { Connection } from 'jsforce/lib/connection';
import type { SalesforceFieldSpec } from '../writeback/score-field-specs';
import { salesforceCallError } from './salesforce-score-writer';
import type { SalesforceSession } from './salesforce-session';

export type FieldStatus = 'ok' | 'missing' | 'created' | 'mismatch' | 'failed';

export interface FieldCheck {
  readonly object: string;
  readonly spec: SalesforceFieldSpec;
  readonly status: FieldStatus;
  /** For a mismatch: the type the field has; for a failure: Salesforce's error. */
  readonly detail?: string;
}

export async function checkSalesforceFields(
  session: SalesforceSession,
  objects: readonly string[],
  specs: readonly SalesforceFieldSpec[],
  options: { readonly create: boolean },
): Promise<FieldCheck[]> {
  const checks: FieldCheck[] = [];
  for (const object of objects) {
    const described = await call(session, (connection) => connection.sobject(object).describe());
    const fields = new Map(described.fields.map((field) => [field.name.toLowerCase(), field]));
    for (const spec of specs) {
      const existing = fields.get(spec.name.toLowerCase());
      if (existing) {
        const accepted = spec.accepts.includes(existing.type);
        checks.push({
          object,
          spec,
          status: accepted ? 'ok' : 'mismatch',
          ...(accepted ? {} : { detail: existing.type }),
        });
        continue;
      }
      if (!options.create) {
        checks.push({ object, spec, status: 'missing' });
        continue;
      }
      checks.push({ object, spec, ...(await createField(session, object, spec)) });
    }
  }
  return checks;
}

async function createField(
  session: SalesforceSession,
  object: string,
  spec: SalesforceFieldSpec,
): Promise<{ status: FieldStatus; detail?: string }> {
  try {
    const result = (await call(session, (connection) =>
      connection.tooling.sobject('CustomField').create({
        FullName: `${object}.${spec.name}`,
        Metadata: { label: spec.label, ...spec.metadata },
      }),
    )) as { success?: boolean; errors?: { message?: string }[] };
    if (result.success === false) {
      return { status: 'failed', detail: (result.errors ?? []).map((error) => error.message).join('; ') };
    }
    return { status: 'created' };
  } catch (error) {
    return { status: 'failed', detail: (error as Error).message };
  }
}

async function call<T>(session: SalesforceSession, work: (connection: Connection) => Promise<T>): Promise<T> {
  try {
    return await session.call(work);
  } catch (error) {
    throw salesforceCallError(error);
  }
}
