/** Checks and normalizes one field value the way Salesforce's REST API does before saving it. */
import { saveError, type SaveError } from './salesforce-errors';
import type { FieldDefinition } from './sobject-schema';

export type FieldValueOutcome =
  { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly error: SaveError };

const NUMBER_TYPES = new Set(['int', 'double', 'currency', 'percent']);
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Salesforce renders datetimes as `2024-05-01T10:00:00.000+0000`. */
export function salesforceDateTime(epochMs: number): string {
  return new Date(epochMs).toISOString().replace('Z', '+0000');
}

export function checkFieldValue(definition: FieldDefinition, value: unknown): FieldValueOutcome {
  const { name, label, type } = definition;
  const wrongType = (): FieldValueOutcome => ({
    ok: false,
    error: saveError(
      'INVALID_TYPE_ON_FIELD_IN_RECORD',
      `${label}: value not of required type: ${String(value)}`,
      [name],
    ),
  });
  if (value === null || value === '') {
    return definition.nillable
      ? { ok: true, value: null }
      : {
          ok: false,
          error: saveError('REQUIRED_FIELD_MISSING', `Required fields are missing: [${name}]`, [name]),
        };
  }
  if (NUMBER_TYPES.has(type)) {
    const number = typeof value === 'number' ? value : typeof value === 'string' ? Number(value.trim()) : NaN;
    if (!Number.isFinite(number) || (type === 'int' && !Number.isInteger(number))) return wrongType();
    return { ok: true, value: number };
  }
  if (type === 'boolean') {
    if (typeof value === 'boolean') return { ok: true, value };
    if (value === 'true' || value === 'false') return { ok: true, value: value === 'true' };
    return wrongType();
  }
  if (type === 'date' || type === 'datetime') {
    const epoch = typeof value === 'string' ? Date.parse(value) : NaN;
    if (Number.isNaN(epoch)) return wrongType();
    return {
      ok: true,
      value: type === 'date' ? new Date(epoch).toISOString().slice(0, 10) : salesforceDateTime(epoch),
    };
  }
  if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'boolean')
    return wrongType();
  const text = String(value);
  if (definition.length > 0 && text.length > definition.length) {
    return {
      ok: false,
      error: saveError(
        'STRING_TOO_LONG',
        `${label}: data value too large: ${text.slice(0, 40)} (max length=${definition.length})`,
        [name],
      ),
    };
  }
  if (type === 'picklist' && definition.restrictedPicklist && !definition.picklistValues.includes(text)) {
    return {
      ok: false,
      error: saveError(
        'INVALID_OR_NULL_FOR_RESTRICTED_PICKLIST',
        `${label}: bad value for restricted picklist field: ${text}`,
        [name],
      ),
    };
  }
  if (type === 'email' && !EMAIL.test(text)) {
    return {
      ok: false,
      error: saveError('INVALID_EMAIL_ADDRESS', `${label}: invalid email address: ${text}`, [name]),
    };
  }
  return { ok: true, value: text };
}
