/** Tooling API CustomField creation (POST …/tooling/sobjects/CustomField) with Metadata types mapped to describe types. */
import type { Router } from '../shared/router';
import { isRecord, jsonBody } from '../shared/sandbox-http';
import { salesforceError } from './salesforce-errors';
import type { IdSequence } from './salesforce-ids';
import { SObjectSchema, type CustomFieldSpec, type FieldType } from './sobject-schema';
import { DATA_PREFIX } from './data-routes';

const METADATA_TYPES: Readonly<Record<string, FieldType>> = {
  Number: 'double',
  Currency: 'currency',
  Percent: 'percent',
  Text: 'string',
  TextArea: 'textarea',
  LongTextArea: 'textarea',
  Checkbox: 'boolean',
  Date: 'date',
  DateTime: 'datetime',
  Email: 'email',
  Phone: 'phone',
  Url: 'url',
  Picklist: 'picklist',
};

export function addToolingRoutes(router: Router, schema: SObjectSchema, ids: IdSequence): void {
  router.on('POST', `${DATA_PREFIX}/tooling/sobjects/CustomField`, (request) => {
    const body = jsonBody(request);
    const fullName = isRecord(body) && typeof body.FullName === 'string' ? body.FullName : '';
    const metadata = isRecord(body) && isRecord(body.Metadata) ? body.Metadata : undefined;
    const match = /^(\w+)\.(\w+__c)$/.exec(fullName);
    const object = match ? SObjectSchema.typeName(match[1] ?? '') : undefined;
    if (!match || !object || !metadata) {
      return salesforceError(
        400,
        'FIELD_INTEGRITY_EXCEPTION',
        `FullName must be <Object>.<Name>__c on Lead or Contact: ${fullName}`,
      );
    }
    const type = typeof metadata.type === 'string' ? METADATA_TYPES[metadata.type] : undefined;
    if (!type) {
      return salesforceError(
        400,
        'FIELD_INTEGRITY_EXCEPTION',
        `Unsupported field type: ${String(metadata.type)}`,
        ['type'],
      );
    }
    const number = (key: string) =>
      typeof metadata[key] === 'number' ? (metadata[key] as number) : undefined;
    const spec: CustomFieldSpec = {
      object,
      name: match[2] ?? '',
      type,
      label: typeof metadata.label === 'string' ? metadata.label : undefined,
      length: number('length'),
      precision: number('precision'),
      scale: number('scale'),
      picklistValues: picklistValues(metadata.valueSet),
      restrictedPicklist: isRecord(metadata.valueSet) && metadata.valueSet.restricted === true,
    };
    if (!schema.addCustomField(spec)) {
      return salesforceError(
        400,
        'DUPLICATE_VALUE',
        'duplicate value found: <unknown> duplicates value on record with id: <unknown>',
        [],
      );
    }
    return { status: 201, body: { id: ids.next('00N'), success: true, errors: [], warnings: [], infos: [] } };
  });
}

function picklistValues(valueSet: unknown): string[] | undefined {
  const definition =
    isRecord(valueSet) && isRecord(valueSet.valueSetDefinition) ? valueSet.valueSetDefinition : undefined;
  if (!definition || !Array.isArray(definition.value)) return undefined;
  return definition.value.flatMap((entry) =>
    isRecord(entry) && typeof entry.fullName === 'string' ? [entry.fullName] : [],
  );
}
