/** The HubSpot-defined contact properties and groups a fresh sandbox portal starts with. */
export interface PropertyOption {
  readonly label: string;
  readonly value: string;
  readonly displayOrder?: number;
  readonly hidden?: boolean;
  readonly description?: string;
}

export interface PropertyDefinitionInput {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly fieldType: string;
  readonly groupName: string;
  readonly description?: string;
  readonly options?: readonly PropertyOption[];
  readonly hasUniqueValue?: boolean;
  readonly hidden?: boolean;
  readonly formField?: boolean;
  readonly displayOrder?: number;
}

export interface PropertyGroupInput {
  readonly name: string;
  readonly label: string;
  readonly displayOrder?: number;
}

export const DEFAULT_GROUPS: readonly PropertyGroupInput[] = [
  { name: 'contactinformation', label: 'Contact information', displayOrder: 0 },
  { name: 'sales_properties', label: 'Sales properties', displayOrder: 1 },
];

const text = (name: string, label: string): PropertyDefinitionInput => ({
  name,
  label,
  type: 'string',
  fieldType: 'text',
  groupName: 'contactinformation',
});

const choice = (name: string, label: string, values: readonly string[]): PropertyDefinitionInput => ({
  name,
  label,
  type: 'enumeration',
  fieldType: 'select',
  groupName: 'contactinformation',
  options: values.map((value, displayOrder) => ({ label: value, value, displayOrder })),
});

export const DEFAULT_PROPERTIES: readonly PropertyDefinitionInput[] = [
  { ...text('email', 'Email'), hasUniqueValue: false, formField: true },
  text('firstname', 'First Name'),
  text('lastname', 'Last Name'),
  text('jobtitle', 'Job Title'),
  text('company', 'Company Name'),
  text('phone', 'Phone Number'),
  text('website', 'Website URL'),
  text('city', 'City'),
  text('state', 'State/Region'),
  text('country', 'Country/Region'),
  text('industry', 'Industry'),
  { ...text('numemployees', 'Number of Employees'), type: 'number', fieldType: 'number' },
  choice('lifecyclestage', 'Lifecycle Stage', [
    'subscriber',
    'lead',
    'marketingqualifiedlead',
    'salesqualifiedlead',
    'opportunity',
    'customer',
    'evangelist',
    'other',
  ]),
  {
    ...choice('hs_lead_status', 'Lead Status', ['NEW', 'OPEN', 'IN_PROGRESS', 'OPEN_DEAL', 'UNQUALIFIED']),
    groupName: 'sales_properties',
  },
  { ...text('hubspot_owner_id', 'Contact owner'), groupName: 'sales_properties' },
  { ...text('hs_object_id', 'Record ID'), type: 'number', fieldType: 'number' },
  { ...text('createdate', 'Create Date'), type: 'datetime', fieldType: 'date' },
  { ...text('lastmodifieddate', 'Last Modified Date'), type: 'datetime', fieldType: 'date' },
];

/** Maintained by HubSpot itself; a write to them is refused like any other read-only value. */
export const READ_ONLY_PROPERTIES: ReadonlySet<string> = new Set([
  'hs_object_id',
  'createdate',
  'lastmodifieddate',
]);
