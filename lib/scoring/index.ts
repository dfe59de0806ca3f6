/** The scoring engine's public API: rules in (validated), a compiled model, scores out. */
export { parseDuration, InvalidDurationError } from './duration';
export { InvalidTimeError } from './time';
export {
  RulesSchema,
  ConditionSchema,
  FitRuleSchema,
  EngagementRuleSchema,
  OPERATORS,
  type Rules,
  type Condition,
  type FitRule,
  type EngagementRule,
  type Operator,
  type Scalar,
} from './schema';
export { validateRules, parseRulesText, type RulesValidation } from './validate';
export { compileRules, type ScoringModel, type CompiledRules } from './model';
export { scoreLead } from './score-lead';
export { REENGAGEMENT_RULE_ID } from './semantic-checks';
export * from './types';
