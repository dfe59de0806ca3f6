/** The sandbox portal's contacts: string-valued properties as HubSpot stores them, lookups by id or email. */
import { RecordStore } from '../shared/record-store';
import type { ErrorDetail } from './hubspot-errors';
import { propertyDoesNotExist } from './hubspot-errors';
import type { PropertyRegistry } from './property-registry';

export interface HubSpotContact {
  readonly id: string;
  readonly properties: Record<string, string>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archived: boolean;
}

/** HubSpot's SimplePublicObject as it goes on the wire. */
export interface SimplePublicObject {
  readonly id: string;
  readonly objectWriteTraceId?: string;
  readonly properties: Record<string, string | null>;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly archived: boolean;
}

const DEFAULT_READ_PROPERTIES = [
  'createdate',
  'email',
  'firstname',
  'hs_object_id',
  'lastmodifieddate',
  'lastname',
];
const ALWAYS_READ = ['createdate', 'hs_object_id', 'lastmodifieddate'];
/** Plain decimal notation: HubSpot does not read exponents such as 1e+21. */
const DECIMAL = /^[+-]?(\d+\.?\d*|\.\d+)$/;

/** Values arrive as JSON strings, numbers or booleans; HubSpot keeps every one as a string. */
export function toPropertyValue(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

export class ContactBook {
  readonly store = new RecordStore<HubSpotContact>();
  private nextId: number;

  constructor(
    private readonly clock: () => number,
    private readonly registry: PropertyRegistry,
    firstId: number,
  ) {
    this.nextId = firstId;
  }

  /** What HubSpot would refuse in these properties (unknown or read-only), as error details. */
  problems(properties: Record<string, unknown>): ErrorDetail[] {
    const names = Object.keys(properties);
    const unknown = names.filter((name) => !this.registry.has(name));
    const readOnly = names.filter((name) => this.registry.has(name) && this.registry.isReadOnly(name));
    return [
      ...propertyDoesNotExist(unknown),
      ...readOnly.map((name) => ({
        message: `Property "${name}" is read only`,
        code: 'READ_ONLY_VALUE',
        context: { propertyName: [name] },
      })),
    ];
  }

  /**
   * Values HubSpot cannot store in their property (a number it cannot read, an option the property lacks).
   * Unlike unknown properties, these make HubSpot refuse a whole batch update.
   */
  invalidValues(properties: Record<string, unknown>): ErrorDetail[] {
    return Object.entries(properties).flatMap(([name, raw]) => {
      const property = this.registry.property(name);
      const value = toPropertyValue(raw);
      if (!property || value === '') return [];
      const refused = (code: string, message: string): ErrorDetail[] => [
        { message, code, context: { propertyName: [name] } },
      ];
      if (property.type === 'number' && !DECIMAL.test(value.trim())) {
        return refused('INVALID_DECIMAL', `${value} was not a valid number.`);
      }
      if (property.type === 'enumeration') {
        const allowed = property.options.map((option) => option.value);
        const chosen = property.fieldType === 'checkbox' ? value.split(';') : [value];
        const unknown = chosen.find((option) => !allowed.includes(option));
        if (unknown !== undefined) {
          return refused(
            'INVALID_OPTION',
            `${unknown} was not one of the allowed options: [${allowed.join(', ')}]`,
          );
        }
      }
      return [];
    });
  }

  /** All HubSpot would refuse in properties of a record it creates. */
  refusals(properties: Record<string, unknown>): ErrorDetail[] {
    return [...this.problems(properties), ...this.invalidValues(properties)];
  }

  create(properties: Record<string, unknown>): HubSpotContact {
    const id = String(this.nextId++);
    const now = new Date(this.clock()).toISOString();
    return this.store.put({
      id,
      properties: {
        ...stringify(properties),
        hs_object_id: id,
        createdate: now,
        lastmodifieddate: now,
      },
      createdAt: now,
      updatedAt: now,
      archived: false,
    });
  }

  update(contact: HubSpotContact, properties: Record<string, unknown>): HubSpotContact {
    const now = new Date(this.clock()).toISOString();
    return this.store.put({
      ...contact,
      properties: { ...contact.properties, ...stringify(properties), lastmodifieddate: now },
      updatedAt: now,
    });
  }

  findByEmail(email: string): HubSpotContact | undefined {
    const wanted = email.trim().toLowerCase();
    return this.store.find((contact) => contact.properties.email?.toLowerCase() === wanted);
  }

  /** `idProperty` 'email' (or any unique property) looks up by value; otherwise by record id. */
  resolve(idOrValue: string, idProperty?: string): HubSpotContact | undefined {
    if (idProperty === undefined || idProperty === 'hs_object_id') return this.store.get(idOrValue);
    if (idProperty === 'email') return this.findByEmail(idOrValue);
    return this.store.find((contact) => contact.properties[idProperty] === idOrValue);
  }

  /** Requested properties that are unset come back as null, like HubSpot's reads. */
  view(contact: HubSpotContact, requested?: readonly string[]): SimplePublicObject {
    const names =
      requested === undefined ? DEFAULT_READ_PROPERTIES : [...new Set([...ALWAYS_READ, ...requested])];
    const properties: Record<string, string | null> = {};
    for (const name of names) properties[name] = contact.properties[name] ?? null;
    return {
      id: contact.id,
      properties,
      createdAt: contact.createdAt,
      updatedAt: contact.updatedAt,
      archived: contact.archived,
    };
  }
}

function stringify(properties: Record<string, unknown>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(properties).map(([name, value]) => [name, toPropertyValue(value)]),
  );
}
