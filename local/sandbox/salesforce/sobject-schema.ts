/** Lead and Contact field definitions (standard plus custom), looked up case-insensitively like Salesforce does. */
export type SObjectType = 'Lead' | 'Contact';

export type FieldType =
  | 'id'
  | 'string'
  | 'email'
  | 'phone'
  | 'url'
  | 'picklist'
  | 'textarea'
  | 'int'
  | 'double'
  | 'currency'
  | 'percent'
  | 'boolean'
  | 'date'
  | 'datetime'
  | 'reference';

export interface FieldDefinition {
  readonly name: string;
  readonly label: string;
  readonly type: FieldType;
  readonly length: number;
  readonly precision: number;
  readonly scale: number;
  readonly custom: boolean;
  readonly nillable: boolean;
  readonly createable: boolean;
  readonly updateable: boolean;
  readonly picklistValues: readonly string[];
  /** A restricted picklist refuses values outside `picklistValues`. */
  readonly restrictedPicklist: boolean;
}

/** A custom field as given in sandbox options or created through the Tooling API. */
export interface CustomFieldSpec {
  readonly object: SObjectType;
  readonly name: string;
  readonly type: FieldType;
  readonly label?: string;
  readonly length?: number;
  readonly precision?: number;
  readonly scale?: number;
  readonly picklistValues?: readonly string[];
  readonly restrictedPicklist?: boolean;
}

interface ObjectInfo {
  readonly label: string;
  readonly labelPlural: string;
  readonly keyPrefix: string;
  readonly required: readonly string[];
}

export const OBJECTS: Readonly<Record<SObjectType, ObjectInfo>> = {
  Lead: { label: 'Lead', labelPlural: 'Leads', keyPrefix: '00Q', required: ['LastName', 'Company'] },
  Contact: { label: 'Contact', labelPlural: 'Contacts', keyPrefix: '003', required: ['LastName'] },
};

type FieldOptions = Partial<Omit<FieldDefinition, 'name' | 'label' | 'type'>>;

function field(name: string, label: string, type: FieldType, options: FieldOptions = {}): FieldDefinition {
  const length = options.length ?? (type === 'id' || type === 'reference' ? 18 : 0);
  return {
    name,
    label,
    type,
    length,
    precision: options.precision ?? (type === 'double' || type === 'currency' ? 18 : type === 'int' ? 9 : 0),
    scale: options.scale ?? 0,
    custom: options.custom ?? false,
    nillable: options.nillable ?? true,
    createable: options.createable ?? true,
    updateable: options.updateable ?? options.createable ?? true,
    picklistValues: options.picklistValues ?? [],
    restrictedPicklist: options.restrictedPicklist ?? false,
  };
}

const readOnly: FieldOptions = { createable: false, updateable: false };
const system = (): FieldDefinition[] => [
  field('Id', 'Record ID', 'id', { ...readOnly, nillable: false }),
  field('IsDeleted', 'Deleted', 'boolean', { ...readOnly, nillable: false }),
  field('OwnerId', 'Owner ID', 'reference'),
  field('CreatedDate', 'Created Date', 'datetime', { ...readOnly, nillable: false }),
  field('LastModifiedDate', 'Last Modified Date', 'datetime', { ...readOnly, nillable: false }),
  field('SystemModstamp', 'System Modstamp', 'datetime', { ...readOnly, nillable: false }),
];
const text = (name: string, label: string, length: number, options: FieldOptions = {}) =>
  field(name, label, 'string', { length, ...options });
const picklist = (name: string, label: string, values: string[]) =>
  field(name, label, 'picklist', { length: 255, picklistValues: values });
const leadSource = () =>
  picklist('LeadSource', 'Lead Source', ['Web', 'Phone Inquiry', 'Partner Referral', 'Other']);

const STANDARD_FIELDS: Readonly<Record<SObjectType, readonly FieldDefinition[]>> = {
  Lead: [
    ...system(),
    text('LastName', 'Last Name', 80, { nillable: false }),
    text('FirstName', 'First Name', 40),
    text('Name', 'Full Name', 121, readOnly),
    text('Title', 'Title', 128),
    text('Company', 'Company', 255, { nillable: false }),
    field('Email', 'Email', 'email', { length: 80 }),
    field('Phone', 'Phone', 'phone', { length: 40 }),
    field('Website', 'Website', 'url', { length: 255 }),
    picklist('Industry', 'Industry', ['Technology', 'Finance', 'Healthcare', 'Retail', 'Other']),
    field('NumberOfEmployees', 'Employees', 'int', { precision: 8 }),
    field('AnnualRevenue', 'Annual Revenue', 'currency'),
    leadSource(),
    picklist('Status', 'Status', ['Open - Not Contacted', 'Working - Contacted', 'Closed - Converted']),
    picklist('Rating', 'Rating', ['Hot', 'Warm', 'Cold']),
    text('Country', 'Country', 80),
    text('State', 'State/Province', 80),
    text('City', 'City', 40),
    field('IsConverted', 'Converted', 'boolean', readOnly),
  ],
  Contact: [
    ...system(),
    field('AccountId', 'Account ID', 'reference'),
    text('LastName', 'Last Name', 80, { nillable: false }),
    text('FirstName', 'First Name', 40),
    text('Name', 'Full Name', 121, readOnly),
    text('Title', 'Title', 128),
    text('Department', 'Department', 80),
    field('Email', 'Email', 'email', { length: 80 }),
    field('Phone', 'Business Phone', 'phone', { length: 40 }),
    leadSource(),
    text('MailingCountry', 'Mailing Country', 80),
    text('MailingState', 'Mailing State/Province', 80),
    text('MailingCity', 'Mailing City', 40),
  ],
};

export class SObjectSchema {
  private readonly byType = new Map<SObjectType, Map<string, FieldDefinition>>();

  constructor(customFields: readonly CustomFieldSpec[] = []) {
    for (const type of Object.keys(OBJECTS) as SObjectType[]) {
      this.byType.set(
        type,
        new Map(STANDARD_FIELDS[type].map((definition) => [definition.name.toLowerCase(), definition])),
      );
    }
    for (const spec of customFields) {
      if (!this.addCustomField(spec))
        throw new Error(`custom field ${spec.object}.${spec.name} is defined twice`);
    }
  }

  /** Type names in URLs and SOQL are case-insensitive; this returns the canonical one. */
  static typeName(name: string): SObjectType | undefined {
    return (Object.keys(OBJECTS) as SObjectType[]).find((type) => type.toLowerCase() === name.toLowerCase());
  }

  static typeOfId(id: string): SObjectType | undefined {
    return (Object.keys(OBJECTS) as SObjectType[]).find((type) => id.startsWith(OBJECTS[type].keyPrefix));
  }

  field(type: SObjectType, name: string): FieldDefinition | undefined {
    return this.byType.get(type)?.get(name.toLowerCase());
  }

  fields(type: SObjectType): FieldDefinition[] {
    return [...(this.byType.get(type)?.values() ?? [])];
  }

  /** False when a field of that name already exists. */
  addCustomField(spec: CustomFieldSpec): boolean {
    const fields = this.byType.get(spec.object);
    if (!fields || fields.has(spec.name.toLowerCase())) return false;
    const isText = spec.type === 'string' || spec.type === 'textarea' || spec.type === 'picklist';
    fields.set(
      spec.name.toLowerCase(),
      field(spec.name, spec.label ?? spec.name.replace(/__c$/i, '').replace(/_/g, ' '), spec.type, {
        custom: true,
        length: spec.length ?? (isText ? 255 : 0),
        precision: spec.precision,
        scale: spec.scale,
        picklistValues: spec.picklistValues,
        restrictedPicklist: spec.restrictedPicklist,
      }),
    );
    return true;
  }
}
