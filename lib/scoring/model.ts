/** compileRules: validated Rules → a ScoringModel whose conditions, durations and lookups are prepared once. */
import { compileCondition, conditionFields, internalize, type Predicate } from './condition';
import { parseDuration } from './duration';
import type { Rules } from './schema';

export interface CompiledFitRule {
  readonly id: string;
  readonly points: number;
  readonly predicate: Predicate;
}

export interface CompiledEngagementRule {
  /** Position in `engagement`, indexing the per-rule scratch arrays. */
  readonly index: number;
  readonly id: string;
  readonly points: number;
  /** Infinity when uncapped. */
  readonly max: number;
  /** Infinity when the rule has no window. */
  readonly withinMs: number;
  readonly once: boolean;
  readonly where: Predicate | undefined;
}

export interface Threshold {
  readonly label: string;
  /** -Infinity for the catch-all. */
  readonly min: number;
}

/** Adds a rule's points to the lead's reasons (score-lead.ts owns rounding and order). */
export type AddReason<R> = (reasons: R, rule: string, points: number) => void;

/** Every fit rule in turn, as one function: the fit total, each match added to `reasons`. */
export type FitScorer = <R>(
  profile: Readonly<Record<string, unknown>>,
  reasons: R,
  add: AddReason<R>,
) => number;

/**
 * Applies one counted event (its time, and its age at the scoring time) to the per-rule sums and first
 * times of the engagement rules that read its type.
 */
export type EventApplier = (
  event: Readonly<Record<string, unknown>>,
  time: number,
  age: number,
  sums: Float64Array,
  firstTimes: Float64Array,
) => void;

/** Engine internals: shapes may change without notice; use scoreLead. */
export interface CompiledRules {
  readonly fit: readonly CompiledFitRule[];
  readonly scoreFit: FitScorer;
  readonly applyEvent: EventApplier;
  readonly engagement: readonly CompiledEngagementRule[];
  readonly rulesByEventType: ReadonlyMap<string, readonly CompiledEngagementRule[]>;
  /** ln 2 / halfLife, so that decay is exp(-age × rate); 0 without decay. */
  readonly decayRate: number;
  readonly reengagement: { readonly afterMs: number; readonly points: number } | undefined;
  readonly minScore: number;
  readonly maxScore: number;
  readonly grades: readonly Threshold[];
  readonly stages: readonly Threshold[];
  /** Per-call scratch, one slot per engagement rule, reused so that scoring allocates little. */
  readonly ruleSums: Float64Array;
  readonly ruleFirstTimes: Float64Array;
}

export interface ScoringModel {
  readonly name: string;
  readonly rules: Rules;
  /** Every profile field a fit rule reads: what to fetch from the CRM. */
  readonly profileFields: readonly string[];
  /** Every event type an engagement rule reads. With re-engagement, events of other types still matter. */
  readonly eventTypes: readonly string[];
  /**
   * How long events must be kept for rescoring to stay exact: the longest `within`, or Infinity when a rule
   * has no window, counts `once` (its first event ever) or re-engagement is on (gaps need the previous event);
   * 0 when no rule reads events.
   */
  readonly longestWindowMs: number;
  readonly compiled: CompiledRules;
}

function thresholds(
  entries: readonly { label: string; min?: number | undefined }[] | undefined,
): Threshold[] {
  return (entries ?? []).map(({ label, min }) => ({ label, min: min ?? Number.NEGATIVE_INFINITY }));
}

function longestWindow(rules: Rules): number {
  const engagement = rules.engagement ?? [];
  if (rules.reengagement !== undefined) return Number.POSITIVE_INFINITY;
  let longest = 0;
  for (const rule of engagement) {
    const window = rule.within === undefined || rule.once === true ? Infinity : parseDuration(rule.within);
    longest = Math.max(longest, window);
  }
  return longest;
}

/**
 * The fit rules unrolled into one generated function. A loop calling `rule.predicate(profile)` has one
 * call site that meets every rule's predicate, so V8 inlines none of them; here each rule has its own
 * call site, monomorphic. Only indexes are generated into the source; ids, points and predicates come in
 * as arguments.
 */
function compileFitScorer(fit: readonly CompiledFitRule[]): FitScorer {
  const lines = fit.map(
    (_rule, i) =>
      `if (predicates[${i}](profile)) { fit += points[${i}]; add(reasons, ids[${i}], points[${i}]); }`,
  );
  const make = new Function(
    'predicates',
    'points',
    'ids',
    `return function scoreFit(profile, reasons, add) { let fit = 0; ${lines.join(' ')} return fit; };`,
  ) as (predicates: readonly Predicate[], points: readonly number[], ids: readonly string[]) => FitScorer;
  return make(
    fit.map((rule) => rule.predicate),
    fit.map((rule) => rule.points),
    fit.map((rule) => rule.id),
  );
}

/** Types compared one by one up to this many; beyond, a Map gives the type's index. */
const LINEAR_SCAN_TYPES = 8;

/**
 * The engagement rules unrolled by event type into one generated function, for the same reason as
 * compileFitScorer: each rule's `where` gets its own call site. Semantics as in score-lead.ts: a `once`
 * rule keeps its earliest matching event (only an earlier event can replace it, so later ones skip
 * `where`); other rules add points × decay for events inside `within`. Only indexes are generated.
 */
function compileEventApplier(
  engagement: readonly CompiledEngagementRule[],
  types: readonly string[],
  rulesForType: readonly (readonly CompiledEngagementRule[])[],
  decayRate: number,
): EventApplier {
  const ruleCode = (rule: CompiledEngagementRule): string => {
    const r = rule.index;
    const where = rule.where === undefined ? '' : ` && where[${r}](event)`;
    if (rule.once) return `if (time < firstTimes[${r}]${where}) firstTimes[${r}] = time;`;
    const within = Number.isFinite(rule.withinMs) ? `age < within[${r}]` : 'true';
    return `if (${within}${where}) { if (factor < 0) factor = Math.exp(-age * rate); sums[${r}] += points[${r}] * factor; }`;
  };
  const blocks = rulesForType.map((list) => `let factor = -1; ${list.map(ruleCode).join(' ')}`);
  const body =
    types.length <= LINEAR_SCAN_TYPES
      ? blocks.map((block, k) => `if (type === types[${k}]) { ${block} return; }`).join(' ')
      : `const k = typeIndex.get(type); switch (k) { ${blocks.map((block, k) => `case ${k}: { ${block} return; }`).join(' ')} }`;
  const make = new Function(
    'types',
    'typeIndex',
    'where',
    'within',
    'points',
    'rate',
    `return function applyEvent(event, time, age, sums, firstTimes) { const type = event.type; ${body} };`,
  ) as (
    types: readonly string[],
    typeIndex: ReadonlyMap<string, number>,
    where: readonly (Predicate | undefined)[],
    within: readonly number[],
    points: readonly number[],
    rate: number,
  ) => EventApplier;
  return make(
    types,
    new Map(types.map((type, k) => [type, k])),
    engagement.map((rule) => rule.where),
    engagement.map((rule) => rule.withinMs),
    engagement.map((rule) => rule.points),
    decayRate,
  );
}

export function compileRules(rules: Rules): ScoringModel {
  const fit = (rules.fit ?? []).map(({ id, points, ...condition }) => ({
    id,
    points,
    predicate: compileCondition(condition),
  }));
  const engagement: CompiledEngagementRule[] = (rules.engagement ?? []).map((rule, index) => ({
    index,
    id: rule.id,
    points: rule.points,
    max: rule.max ?? Number.POSITIVE_INFINITY,
    withinMs: rule.within === undefined ? Number.POSITIVE_INFINITY : parseDuration(rule.within),
    once: rule.once === true,
    where: rule.where === undefined ? undefined : compileCondition(rule.where),
  }));
  const rulesByEventType = new Map<string, CompiledEngagementRule[]>();
  (rules.engagement ?? []).forEach((rule, index) => {
    // A type listed twice in one rule must not count its events twice.
    for (const type of new Set(typeof rule.event === 'string' ? [rule.event] : rule.event)) {
      const key = internalize(type);
      const list = rulesByEventType.get(key) ?? [];
      list.push(engagement[index] as CompiledEngagementRule);
      rulesByEventType.set(key, list);
    }
  });
  const eventTypeList = [...rulesByEventType.keys()];
  const rulesForType = [...rulesByEventType.values()];
  const decayRate = rules.decay === undefined ? 0 : Math.LN2 / parseDuration(rules.decay.halfLife);
  const profileFields = new Set<string>();
  for (const { id: _id, points: _points, ...condition } of rules.fit ?? [])
    conditionFields(condition, profileFields);

  return {
    name: rules.name,
    rules,
    profileFields: [...profileFields],
    eventTypes: [...rulesByEventType.keys()],
    longestWindowMs: longestWindow(rules),
    compiled: {
      fit,
      scoreFit: compileFitScorer(fit),
      engagement,
      rulesByEventType,
      applyEvent: compileEventApplier(engagement, eventTypeList, rulesForType, decayRate),
      decayRate,
      reengagement:
        rules.reengagement === undefined
          ? undefined
          : { afterMs: parseDuration(rules.reengagement.after), points: rules.reengagement.points },
      minScore: rules.limits?.min ?? Number.NEGATIVE_INFINITY,
      maxScore: rules.limits?.max ?? Number.POSITIVE_INFINITY,
      grades: thresholds(rules.grades?.map(({ grade, min }) => ({ label: grade, min }))),
      stages: thresholds(rules.stages?.map(({ stage, min }) => ({ label: stage, min }))),
      ruleSums: new Float64Array(engagement.length),
      ruleFirstTimes: new Float64Array(engagement.length),
    },
  };
}
