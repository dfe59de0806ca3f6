/** Where scores go in each CRM: field names (admins may rename them) and which CRM is connected. */
import * as z from 'zod/mini';

export const CRM_KINDS = ['hubspot', 'salesforce', 'none'] as const;
export type CrmKind = (typeof CRM_KINDS)[number];

export interface ScoreFieldNames {
  readonly score: string;
  readonly grade: string;
  readonly stage: string;
  readonly reasons: string;
  readonly scoredAt: string;
}

export const DEFAULT_SCORE_FIELDS: Readonly<Record<Exclude<CrmKind, 'none'>, ScoreFieldNames>> = {
  hubspot: {
    score: 'leadscore_score',
    grade: 'leadscore_grade',
    stage: 'leadscore_stage',
    reasons: 'leadscore_reasons',
    scoredAt: 'leadscore_scored_at',
  },
  salesforce: {
    score: 'Lead_Score__c',
    grade: 'Lead_Grade__c',
    stage: 'Lead_Stage__c',
    reasons: 'Lead_Score_Reasons__c',
    scoredAt: 'Lead_Scored_At__c',
  },
};

/** `SCORE_FIELDS` env: a JSON object overriding some of the names, e.g. {"score":"Score__c"}. */
export const ScoreFieldsOverrideSchema = z.partial(
  z.strictObject({
    score: z.string().check(z.minLength(1)),
    grade: z.string().check(z.minLength(1)),
    stage: z.string().check(z.minLength(1)),
    reasons: z.string().check(z.minLength(1)),
    scoredAt: z.string().check(z.minLength(1)),
  }),
);

export function scoreFieldNames(crm: CrmKind, overrides: Partial<ScoreFieldNames> = {}): ScoreFieldNames {
  return { ...(crm === 'none' ? DEFAULT_SCORE_FIELDS.hubspot : DEFAULT_SCORE_FIELDS[crm]), ...overrides };
}

/** Our own fields, as they come back in CRM change events: never a reason to rescore. */
export const ownFieldSet = (names: ScoreFieldNames): ReadonlySet<string> => new Set(Object.values(names));
