/** The five score fields as each CRM defines them: what `leadscore crm setup` creates and checks. */
import type { ScoreFieldNames } from '../config/crm-fields';
import { MAX_GRADE_LENGTH, MAX_STAGE_LENGTH } from '../scoring/vocabulary';

export type ScoreField = keyof ScoreFieldNames;

export const SCORE_FIELDS_IN_ORDER: readonly ScoreField[] = [
  'score',
  'grade',
  'stage',
  'reasons',
  'scoredAt',
];

const LABELS: Readonly<Record<ScoreField, string>> = {
  score: 'Lead score',
  grade: 'Lead grade',
  stage: 'Lead stage',
  reasons: 'Lead score reasons',
  scoredAt: 'Lead scored at',
};

export const HUBSPOT_GROUP = { name: 'leadscore', label: 'Leadscore' } as const;

export interface HubSpotPropertySpec {
  readonly field: ScoreField;
  readonly name: string;
  readonly label: string;
  readonly type: 'number' | 'string' | 'datetime';
  readonly fieldType: 'number' | 'text' | 'textarea' | 'date';
}

const HUBSPOT_TYPES: Readonly<Record<ScoreField, Pick<HubSpotPropertySpec, 'type' | 'fieldType'>>> = {
  score: { type: 'number', fieldType: 'number' },
  grade: { type: 'string', fieldType: 'text' },
  stage: { type: 'string', fieldType: 'text' },
  reasons: { type: 'string', fieldType: 'textarea' },
  scoredAt: { type: 'datetime', fieldType: 'date' },
};

export function hubSpotPropertySpecs(names: ScoreFieldNames): HubSpotPropertySpec[] {
  return SCORE_FIELDS_IN_ORDER.map((field) => ({
    field,
    name: names[field],
    label: LABELS[field],
    ...HUBSPOT_TYPES[field],
  }));
}

/** A Salesforce custom field: Metadata for the Tooling API, and the describe types an existing field may have. */
export interface SalesforceFieldSpec {
  readonly field: ScoreField;
  readonly name: string;
  readonly label: string;
  /** As Setup shows it, e.g. Number(3,0). */
  readonly display: string;
  readonly metadata: Readonly<Record<string, string | number>>;
  /** Describe `type`s an existing field may have and still take our values. */
  readonly accepts: readonly string[];
}

const SALESFORCE_TYPES: Readonly<Record<ScoreField, Omit<SalesforceFieldSpec, 'field' | 'name' | 'label'>>> =
  {
    // Rules need not set limits, so a score is not bounded to three digits; 18 is Salesforce's most.
    score: {
      display: 'Number(18,0)',
      metadata: { type: 'Number', precision: 18, scale: 0 },
      accepts: ['double', 'int', 'percent', 'currency'],
    },
    grade: {
      display: `Text(${MAX_GRADE_LENGTH})`,
      metadata: { type: 'Text', length: MAX_GRADE_LENGTH },
      accepts: ['string', 'picklist', 'textarea'],
    },
    stage: {
      display: `Text(${MAX_STAGE_LENGTH})`,
      metadata: { type: 'Text', length: MAX_STAGE_LENGTH },
      accepts: ['string', 'picklist', 'textarea'],
    },
    reasons: { display: 'Text Area(255)', metadata: { type: 'TextArea' }, accepts: ['textarea', 'string'] },
    scoredAt: { display: 'DateTime', metadata: { type: 'DateTime' }, accepts: ['datetime'] },
  };

export function salesforceFieldSpecs(names: ScoreFieldNames): SalesforceFieldSpec[] {
  return SCORE_FIELDS_IN_ORDER.map((field) => ({
    field,
    name: names[field],
    label: LABELS[field],
    ...SALESFORCE_TYPES[field],
  }));
}

/** The objects scores are written to in Salesforce. */
export const SALESFORCE_OBJECTS = ['Lead', 'Contact'] as const;
