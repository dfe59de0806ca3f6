/** Saves sObject collections (and single records) with Salesforce's per-record SaveResults and allOrNone rollback. */
import { isRecord } from '../shared/sandbox-http';
import type { RecordStore } from '../shared/record-store';
import { checkFieldValue, salesforceDateTime } from './field-values';
import { saveError, type SaveError, type SaveResult } from './salesforce-errors';
import { normalizeId, type IdSequence } from './salesforce-ids';
import type { SalesforceRecord } from './sobject-records';
import { OBJECTS, SObjectSchema, type SObjectType } from './sobject-schema';

export type SaveMode = 'create' | 'update';

export interface WriterOptions {
  readonly defaultOwnerId: string;
  /** When set, Lead saves that run assignment rules (Sforce-Auto-Assign not FALSE) move the lead to this owner. */
  readonly assignmentOwnerId?: string;
}

type Plan =
  | {
      readonly ok: true;
      readonly type: SObjectType;
      readonly id?: string;
      readonly values: Record<string, unknown>;
    }
  | { readonly ok: false; readonly result: SaveResult };

const ROLLED_BACK = saveError(
  'ALL_OR_NONE_OPERATION_ROLLED_BACK',
  'Record rolled back because not all records were valid and the request was using AllOrNone header',
);

export class RecordWriter {
  /** Record id → the validation-rule error its next saves fail with. */
  readonly validationFailures = new Map<string, SaveError>();

  constructor(
    private readonly store: RecordStore<SalesforceRecord>,
    private readonly schema: SObjectSchema,
    private readonly ids: IdSequence,
    private readonly clock: () => number,
    private readonly options: WriterOptions,
  ) {}

  /** Results come back in request order; with allOrNone nothing is saved unless every record is valid. */
  save(mode: SaveMode, inputs: readonly unknown[], allOrNone: boolean, runAssignment: boolean): SaveResult[] {
    const seen = new Set<string>();
    const plans = inputs.map((input) => this.plan(mode, input, seen));
    if (allOrNone && plans.some((plan) => !plan.ok)) {
      return plans.map((plan) =>
        plan.ok
          ? { ...(plan.id ? { id: plan.id } : {}), success: false, errors: [ROLLED_BACK] }
          : plan.result,
      );
    }
    return plans.map((plan) => (plan.ok ? this.commit(plan, runAssignment) : plan.result));
  }

  private plan(mode: SaveMode, input: unknown, seen: Set<string>): Plan {
    const failed = (errors: SaveError[], id?: string): Plan => ({
      ok: false,
      result: { ...(id ? { id } : {}), success: false, errors },
    });
    if (!isRecord(input))
      return failed([saveError('JSON_PARSER_ERROR', 'Each record must be a JSON object')]);
    const rawType = isRecord(input.attributes) ? input.attributes.type : undefined;
    const type = typeof rawType === 'string' ? SObjectSchema.typeName(rawType) : undefined;
    if (!type)
      return failed([saveError('INVALID_TYPE', `sObject type '${String(rawType)}' is not supported.`)]);

    const idKey = Object.keys(input).find((key) => key.toLowerCase() === 'id');
    const rawId = idKey === undefined ? undefined : input[idKey];
    let id: string | undefined;
    if (mode === 'create' && rawId !== undefined) {
      return failed([
        saveError('INVALID_FIELD_FOR_INSERT_UPDATE', 'cannot specify Id in an insert call', ['Id']),
      ]);
    }
    if (mode === 'update') {
      if (typeof rawId !== 'string' || rawId === '') {
        return failed([saveError('MISSING_ARGUMENT', 'Id not specified in an update call')]);
      }
      id = normalizeId(rawId);
      if (!id || SObjectSchema.typeOfId(id) !== type) {
        return failed([
          saveError('MALFORMED_ID', `${type} ID: id value of incorrect type: ${rawId}`, ['Id']),
        ]);
      }
      if (seen.has(id)) return failed([saveError('DUPLICATE_VALUE', `Duplicate id in list: ${id}`)], id);
      seen.add(id);
      if (this.store.wasDeleted(id)) return failed([saveError('ENTITY_IS_DELETED', 'entity is deleted')], id);
      if (!this.store.get(id))
        return failed([saveError('INVALID_CROSS_REFERENCE_KEY', 'invalid cross reference id')], id);
    }

    const errors: SaveError[] = [];
    const values: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(input)) {
      if (key === 'attributes' || key === idKey) continue;
      const definition = this.schema.field(type, key);
      if (!definition) {
        errors.push(saveError('INVALID_FIELD', `No such column '${key}' on sobject of type ${type}`));
        continue;
      }
      if (mode === 'create' ? !definition.createable : !definition.updateable) {
        errors.push(
          saveError(
            'INVALID_FIELD_FOR_INSERT_UPDATE',
            `Unable to ${mode} fields: ${definition.name}. Please check the security settings of this field and verify that it is read/write for your profile or permission set.`,
            [definition.name],
          ),
        );
        continue;
      }
      const checked = checkFieldValue(definition, value);
      if (checked.ok) values[definition.name] = checked.value;
      else errors.push(checked.error);
    }
    if (mode === 'create') {
      const missing = OBJECTS[type].required.filter(
        (name) => values[name] === undefined || values[name] === null,
      );
      if (missing.length > 0) {
        errors.push(
          saveError(
            'REQUIRED_FIELD_MISSING',
            `Required fields are missing: [${missing.join(', ')}]`,
            missing,
          ),
        );
      }
    }
    const rule = id === undefined ? undefined : this.validationFailures.get(id);
    if (rule && errors.length === 0) errors.push(rule);
    return errors.length > 0 ? failed(errors, id) : { ok: true, type, id, values };
  }

  private commit(plan: Extract<Plan, { ok: true }>, runAssignment: boolean): SaveResult {
    const now = salesforceDateTime(this.clock());
    const existing = plan.id === undefined ? undefined : this.store.get(plan.id);
    const id = existing?.id ?? this.ids.next(OBJECTS[plan.type].keyPrefix);
    const fields: Record<string, unknown> = existing
      ? { ...existing.fields, ...plan.values }
      : { ...this.defaults(plan.type, now), ...plan.values, Id: id };
    fields.LastModifiedDate = now;
    fields.SystemModstamp = now;
    fields.Name = [fields.FirstName, fields.LastName]
      .filter((part) => typeof part === 'string' && part !== '')
      .join(' ');
    if (plan.type === 'Lead' && runAssignment && this.options.assignmentOwnerId !== undefined) {
      fields.OwnerId = this.options.assignmentOwnerId;
    }
    this.store.put({ id, type: plan.type, fields });
    return { id, success: true, errors: [] };
  }

  private defaults(type: SObjectType, now: string): Record<string, unknown> {
    return {
      IsDeleted: false,
      OwnerId: this.options.defaultOwnerId,
      CreatedDate: now,
      ...(type === 'Lead' ? { Status: 'Open - Not Contacted', IsConverted: false } : {}),
    };
  }
}
