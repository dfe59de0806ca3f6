/** The sObject describe document (GET …/sobjects/{Type}/describe) built from the sandbox schema. */
import {
  OBJECTS,
  type FieldDefinition,
  type FieldType,
  type SObjectSchema,
  type SObjectType,
} from './sobject-schema';

const SOAP_TYPES: Readonly<Record<FieldType, string>> = {
  id: 'tns:ID',
  reference: 'tns:ID',
  string: 'xsd:string',
  email: 'xsd:string',
  phone: 'xsd:string',
  url: 'xsd:string',
  picklist: 'xsd:string',
  textarea: 'xsd:string',
  int: 'xsd:int',
  double: 'xsd:double',
  currency: 'xsd:double',
  percent: 'xsd:double',
  boolean: 'xsd:boolean',
  date: 'xsd:date',
  datetime: 'xsd:dateTime',
};

export function describeField(definition: FieldDefinition) {
  return {
    name: definition.name,
    label: definition.label,
    type: definition.type,
    soapType: SOAP_TYPES[definition.type],
    length: definition.length,
    byteLength: definition.length * 3,
    precision: definition.precision,
    scale: definition.scale,
    digits: definition.type === 'int' ? definition.precision : 0,
    custom: definition.custom,
    nillable: definition.nillable,
    createable: definition.createable,
    updateable: definition.updateable,
    calculated: false,
    unique: false,
    externalId: false,
    idLookup: definition.type === 'id',
    defaultedOnCreate: !definition.createable,
    referenceTo: definition.type === 'reference' ? ['User'] : [],
    relationshipName: null,
    restrictedPicklist: definition.restrictedPicklist,
    picklistValues: definition.picklistValues.map((value) => ({
      active: true,
      defaultValue: false,
      label: value,
      validFor: null,
      value,
    })),
  };
}

export function describeSObject(schema: SObjectSchema, type: SObjectType, version: string) {
  const base = `/services/data/${version}/sobjects/${type}`;
  const info = OBJECTS[type];
  return {
    name: type,
    label: info.label,
    labelPlural: info.labelPlural,
    keyPrefix: info.keyPrefix,
    custom: false,
    createable: true,
    updateable: true,
    deletable: true,
    queryable: true,
    retrieveable: true,
    searchable: true,
    fields: schema.fields(type).map(describeField),
    urls: { sobject: base, describe: `${base}/describe`, rowTemplate: `${base}/{ID}` },
  };
}
