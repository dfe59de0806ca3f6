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
  /** For an accepted field narrower than the spec: its type as Setup shows it, and which values it will refuse. */
  readonly narrower?: string;
}

interface DescribedField {
  readonly type: string;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
}

/** How an existing field is narrower than the spec, and what it will refuse; undefined when it is not. */
export function narrowerThanSpec(field: DescribedField, spec: SalesforceFieldSpec): string | undefined {
  const { type, length, precision } = spec.metadata;
  if (type === 'Text' && field.type === 'string' && typeof length === 'number') {
    const size = field.length ?? 0;
    return size < length ? `Text(${size}): names over ${size} characters will be refused` : undefined;
  }
  if (type === 'Number' && typeof precision === 'number' && (field.precision ?? 0) > 0) {
    const [digits, scale] = [field.precision ?? 0, field.scale ?? 0];
    const whole = digits - scale;
    return whole < precision
      ? `Number(${digits},${scale}): scores beyond ±${'9'.repeat(Math.max(whole, 0)) || '0'} will be refused`
      : undefined;
  }
  return undefined;
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
        const narrower = accepted ? narrowerThanSpec(existing, spec) : undefined;
        checks.push({
          object,
          spec,
          status: accepted ? 'ok' : 'mismatch',
          ...(accepted ? {} : { detail: existing.type }),
          ...(narrower === undefined ? {} : { narrower }),
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
