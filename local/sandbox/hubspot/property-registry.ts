/** The portal's contact property definitions and groups, with HubSpot's validation for creating them. */
import { z } from 'zod';
import {
  DEFAULT_GROUPS,
  DEFAULT_PROPERTIES,
  READ_ONLY_PROPERTIES,
  type PropertyDefinitionInput,
  type PropertyOption,
} from './default-properties';

export interface HubSpotProperty {
  readonly name: string;
  readonly label: string;
  readonly type: string;
  readonly fieldType: string;
  readonly groupName: string;
  readonly description: string;
  readonly displayOrder: number;
  readonly hasUniqueValue: boolean;
  readonly hidden: boolean;
  readonly formField: boolean;
  readonly calculated: boolean;
  readonly externalOptions: boolean;
  readonly options: readonly Required<Omit<PropertyOption, 'description'>>[];
  readonly hubspotDefined?: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archived: boolean;
  readonly modificationMetadata: { archivable: boolean; readOnlyDefinition: boolean; readOnlyValue: boolean };
}

export interface HubSpotPropertyGroup {
  readonly name: string;
  readonly label: string;
  readonly displayOrder: number;
  readonly archived: boolean;
}

const PROPERTY_TYPES = new Set([
  'string',
  'number',
  'date',
  'datetime',
  'enumeration',
  'bool',
  'phone_number',
]);
const FIELD_TYPES = new Set([
  'text',
  'textarea',
  'number',
  'date',
  'select',
  'radio',
  'checkbox',
  'booleancheckbox',
  'phonenumber',
  'html',
  'file',
  'calculation_equation',
]);

const name = z.string().trim().min(1);

const GroupInputSchema = z.object({ name, label: name, displayOrder: z.number().int().optional() });

const PropertyInputSchema = z.object({
  name,
  label: name,
  type: name,
  fieldType: name,
  groupName: name,
  description: z.string().optional(),
  options: z
    .array(
      z.object({
        label: z.string(),
        value: z.string(),
        displayOrder: z.number().int().optional(),
        hidden: z.boolean().optional(),
        description: z.string().optional(),
      }),
    )
    .optional(),
  hasUniqueValue: z.boolean().optional(),
  hidden: z.boolean().optional(),
  formField: z.boolean().optional(),
  displayOrder: z.number().int().optional(),
});

export type CreateOutcome<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly conflict: boolean; readonly message: string };

export class PropertyRegistry {
  private readonly properties = new Map<string, HubSpotProperty>();
  private readonly groups = new Map<string, HubSpotPropertyGroup>();

  constructor(private readonly clock: () => number) {
    for (const group of DEFAULT_GROUPS) this.createGroup(group);
    for (const property of DEFAULT_PROPERTIES) this.insert(property, true);
  }

  has(name: string): boolean {
    return this.properties.has(name);
  }

  isReadOnly(name: string): boolean {
    return READ_ONLY_PROPERTIES.has(name);
  }

  property(name: string): HubSpotProperty | undefined {
    return this.properties.get(name);
  }

  list(): HubSpotProperty[] {
    return [...this.properties.values()];
  }

  group(name: string): HubSpotPropertyGroup | undefined {
    return this.groups.get(name);
  }

  listGroups(): HubSpotPropertyGroup[] {
    return [...this.groups.values()];
  }

  createGroup(input: unknown): CreateOutcome<HubSpotPropertyGroup> {
    const parsed = GroupInputSchema.safeParse(input);
    if (!parsed.success) return invalid(describeIssues(parsed.error));
    const { name, label, displayOrder } = parsed.data;
    if (this.groups.has(name)) {
      return { ok: false, conflict: true, message: `Property group named '${name}' already exists.` };
    }
    const group = { name, label, displayOrder: displayOrder ?? -1, archived: false };
    this.groups.set(name, group);
    return { ok: true, value: group };
  }

  createProperty(input: unknown): CreateOutcome<HubSpotProperty> {
    const parsed = PropertyInputSchema.safeParse(input);
    if (!parsed.success) return invalid(describeIssues(parsed.error));
    const definition = parsed.data;
    if (!PROPERTY_TYPES.has(definition.type))
      return invalid(`'${definition.type}' is not a valid property type`);
    if (!FIELD_TYPES.has(definition.fieldType)) {
      return invalid(`'${definition.fieldType}' is not a valid field type`);
    }
    if (!this.groups.has(definition.groupName)) {
      return invalid(`Property group '${definition.groupName}' does not exist`);
    }
    if (this.properties.has(definition.name)) {
      return { ok: false, conflict: true, message: `Property named '${definition.name}' already exists.` };
    }
    return { ok: true, value: this.insert(definition, false) };
  }

  private insert(input: PropertyDefinitionInput, hubspotDefined: boolean): HubSpotProperty {
    const now = new Date(this.clock()).toISOString();
    const readOnly = READ_ONLY_PROPERTIES.has(input.name);
    const property: HubSpotProperty = {
      name: input.name,
      label: input.label,
      type: input.type,
      fieldType: input.fieldType,
      groupName: input.groupName,
      description: input.description ?? '',
      displayOrder: input.displayOrder ?? -1,
      hasUniqueValue: input.hasUniqueValue ?? false,
      hidden: input.hidden ?? false,
      formField: input.formField ?? false,
      calculated: false,
      externalOptions: false,
      options: (input.options ?? []).map((option, index) => ({
        label: option.label,
        value: option.value,
        displayOrder: option.displayOrder ?? index,
        hidden: option.hidden ?? false,
      })),
      ...(hubspotDefined ? { hubspotDefined: true } : {}),
      createdAt: now,
      updatedAt: now,
      archived: false,
      modificationMetadata: {
        archivable: !hubspotDefined,
        readOnlyDefinition: hubspotDefined,
        readOnlyValue: readOnly,
      },
    };
    this.properties.set(property.name, property);
    return property;
  }
}

function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
}

function invalid(message: string): CreateOutcome<never> {
  return { ok: false, conflict: false, message };
}
