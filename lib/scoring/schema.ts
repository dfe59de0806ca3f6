/** The rules language marketing ops write (YAML or JSON), as zod schemas: the single source of its shape. */
import { z } from 'zod';
import { parseDuration } from './duration';
import { MAX_GRADE_LENGTH, MAX_STAGE_LENGTH } from './vocabulary';

export type Scalar = string | number | boolean;

export { COMBINATORS, OPERATORS, type Operator } from './vocabulary';

export interface ConditionLeaf {
  field?: string | undefined;
  equals?: Scalar | Scalar[] | undefined;
  notEquals?: Scalar | Scalar[] | undefined;
  in?: Scalar[] | undefined;
  notIn?: Scalar[] | undefined;
  contains?: string | number | (string | number)[] | undefined;
  startsWith?: string | number | (string | number)[] | undefined;
  endsWith?: string | number | (string | number)[] | undefined;
  matches?: string | string[] | undefined;
  gt?: number | undefined;
  gte?: number | undefined;
  lt?: number | undefined;
  lte?: number | undefined;
  exists?: boolean | undefined;
}

/** A leaf (`field` plus operators) or exactly one of `all`/`any`/`not`; the structure is checked in semantic-checks. */
export interface Condition extends ConditionLeaf {
  all?: Condition[] | undefined;
  any?: Condition[] | undefined;
  not?: Condition | undefined;
}

const ScalarSchema = z.union([z.string(), z.number(), z.boolean()], {
  error: 'expected a string, number or boolean',
});
const ScalarOrListSchema = z.union([ScalarSchema, z.array(ScalarSchema).min(1)], {
  error: 'expected a value or a list of values',
});
const TextSchema = z.union([z.string(), z.number()], { error: 'expected a string' });
const TextOrListSchema = z.union([TextSchema, z.array(TextSchema).min(1)], {
  error: 'expected a string or a list of strings',
});

function regexProblem(pattern: string): string | undefined {
  try {
    new RegExp(pattern, 'i');
    return undefined;
  } catch (error) {
    const reason =
      error instanceof Error ? (error.message.split(': ').pop() ?? error.message) : String(error);
    return `invalid regular expression ${JSON.stringify(pattern)}: ${reason}`;
  }
}

// Checked after the union (not inside it) so that a bad pattern is reported as such, not as a wrong type.
const RegexOrListSchema = z
  .union([z.string(), z.array(z.string()).min(1)], {
    error: 'expected a regular expression or a list of them',
  })
  .superRefine((value, ctx) => {
    const patterns = typeof value === 'string' ? [value] : value;
    patterns.forEach((pattern, index) => {
      const message = regexProblem(pattern);
      if (message !== undefined) {
        ctx.addIssue({ code: 'custom', message, path: typeof value === 'string' ? [] : [index] });
      }
    });
  });

export const DurationSchema = z.string().superRefine((text, ctx) => {
  try {
    parseDuration(text);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: error instanceof Error ? error.message : String(error) });
  }
});

const leafShape = {
  field: z.string().min(1).optional(),
  equals: ScalarOrListSchema.optional(),
  notEquals: ScalarOrListSchema.optional(),
  in: z.array(ScalarSchema).min(1).optional(),
  notIn: z.array(ScalarSchema).min(1).optional(),
  contains: TextOrListSchema.optional(),
  startsWith: TextOrListSchema.optional(),
  endsWith: TextOrListSchema.optional(),
  matches: RegexOrListSchema.optional(),
  gt: z.number().optional(),
  gte: z.number().optional(),
  lt: z.number().optional(),
  lte: z.number().optional(),
  exists: z.boolean().optional(),
};

function conditionShape() {
  return {
    ...leafShape,
    all: z.array(ConditionSchema).min(1).optional(),
    any: z.array(ConditionSchema).min(1).optional(),
    not: ConditionSchema.optional(),
  };
}

// Lazy because conditions nest; the explicit type keeps TypeScript from giving up on the recursion.
export const ConditionSchema: z.ZodType<Condition> = z.lazy(() => z.strictObject(conditionShape()));

const RuleIdSchema = z.string().min(1);

/** A fit rule is a condition on the lead's profile with an id and points, e.g. `{ id, field, matches, points }`. */
export const FitRuleSchema = z.strictObject({
  id: RuleIdSchema,
  points: z.number(),
  ...conditionShape(),
});

export const EngagementRuleSchema = z.strictObject({
  id: RuleIdSchema,
  event: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)], {
    error: 'expected an event type or a list of event types',
  }),
  where: ConditionSchema.optional(),
  points: z.number(),
  /** Cap on the rule's total, in absolute value. */
  max: z.number().gt(0).optional(),
  /** Only events newer than this count. */
  within: DurationSchema.optional(),
  /** Only the lead's first matching event counts. */
  once: z.boolean().optional(),
});

const label = (noun: string, max: number) =>
  z
    .string()
    .min(1)
    .max(max, `a ${noun} is written to a CRM text field of ${max} characters: use a shorter name`);

const GradeSchema = z.strictObject({
  grade: label('grade', MAX_GRADE_LENGTH),
  min: z.number().optional(),
});
const StageSchema = z.strictObject({
  stage: label('stage', MAX_STAGE_LENGTH),
  min: z.number().optional(),
});

export const RulesSchema = z.strictObject({
  name: z.string().min(1),
  description: z.string().optional(),
  fit: z.array(FitRuleSchema).optional(),
  engagement: z.array(EngagementRuleSchema).optional(),
  decay: z.strictObject({ halfLife: DurationSchema }).optional(),
  reengagement: z.strictObject({ after: DurationSchema, points: z.number() }).optional(),
  // Whole numbers, so that rounding the clamped total can never leave the limits.
  limits: z.strictObject({ min: z.number().int().optional(), max: z.number().int().optional() }).optional(),
  grades: z.array(GradeSchema).min(1).optional(),
  stages: z.array(StageSchema).min(1).optional(),
});

export type Rules = z.infer<typeof RulesSchema>;
export type FitRule = z.infer<typeof FitRuleSchema>;
export type EngagementRule = z.infer<typeof EngagementRuleSchema>;

/** Every key the language knows, for "did you mean" hints on typos. */
export const KNOWN_KEYS: readonly string[] = [
  ...Object.keys(RulesSchema.shape),
  ...Object.keys(FitRuleSchema.shape),
  ...Object.keys(EngagementRuleSchema.shape),
  'halfLife',
  'after',
  'min',
  'max',
  'grade',
  'stage',
];
