/** The rules language's words, free of zod, so that the scoring path (worker bundles) need not load it. */

/** Operators a condition leaf can use; several on one leaf must all hold. */
export const OPERATORS = [
  'equals',
  'notEquals',
  'in',
  'notIn',
  'contains',
  'startsWith',
  'endsWith',
  'matches',
  'gt',
  'gte',
  'lt',
  'lte',
  'exists',
] as const;
export type Operator = (typeof OPERATORS)[number];
export const COMBINATORS = ['all', 'any', 'not'] as const;

/** The reason id of the re-engagement bonus; no rule may take it. */
export const REENGAGEMENT_RULE_ID = 'reengagement';

/** Labels are written to CRM text fields: `leadscore crm setup` makes Salesforce's Text(20) and Text(40). */
export const MAX_GRADE_LENGTH = 20;
export const MAX_STAGE_LENGTH = 40;
