// The example's fit rules run through json-rules-engine, as the baseline the scoring engine is measured against.
import { Engine, type RuleProperties, type TopLevelCondition } from 'json-rules-engine';
import { OPERATORS } from '../lib/scoring/vocabulary';

/** A fit rule as written in the rules file (the raw YAML), not the engine's compiled form. */
type RawCondition = Readonly<Record<string, unknown>>;

type JreLeaf = { fact: string; operator: string; value: unknown };
type JreCondition = TopLevelCondition | JreLeaf;

// The rules language's operators, each mapped to a custom json-rules-engine operator below.
const FIELD_OPERATORS = OPERATORS;

/**
 * json-rules-engine's built-ins differ from the rules language (case, spaces, numeric strings, "a list
 * means any"), so each operator is a custom one with the language's semantics. Regexes are compiled once
 * and cached so the baseline is not handicapped by recompiling per lead.
 */
function addOperators(engine: Engine): void {
  const regexes = new Map<string, RegExp>();
  const regex = (source: string) => {
    let compiled = regexes.get(source);
    if (!compiled) regexes.set(source, (compiled = new RegExp(source, 'i')));
    return compiled;
  };
  const missing = (value: unknown) =>
    value === undefined || value === null || (typeof value === 'string' && value.trim() === '');
  const text = (value: unknown) => String(value).trim().toLowerCase();
  const list = (value: unknown): unknown[] => (Array.isArray(value) ? value : [value]);
  const number = (value: unknown): number => {
    if (typeof value === 'number') return value;
    if (typeof value !== 'string' || value.trim() === '') return Number.NaN;
    return Number(value);
  };
  const stringOp = (name: string, test: (fact: string, expected: string) => boolean) =>
    engine.addOperator(name, (fact: unknown, expected: unknown) =>
      missing(fact) ? false : list(expected).some((item) => test(text(fact), text(item))),
    );
  const numberOp = (name: string, test: (fact: number, expected: number) => boolean) =>
    engine.addOperator(name, (fact: unknown, expected: unknown) => {
      const value = number(fact);
      return !Number.isNaN(value) && test(value, number(expected));
    });

  stringOp('ls_equals', (a, b) => a === b);
  stringOp('ls_in', (a, b) => a === b);
  engine.addOperator('ls_notEquals', (fact: unknown, expected: unknown) =>
    missing(fact) ? false : !list(expected).some((item) => text(fact) === text(item)),
  );
  engine.addOperator('ls_notIn', (fact: unknown, expected: unknown) =>
    missing(fact) ? false : !list(expected).some((item) => text(fact) === text(item)),
  );
  stringOp('ls_contains', (a, b) => a.includes(b));
  stringOp('ls_startsWith', (a, b) => a.startsWith(b));
  stringOp('ls_endsWith', (a, b) => a.endsWith(b));
  engine.addOperator('ls_matches', (fact: unknown, expected: unknown) =>
    missing(fact) ? false : list(expected).some((item) => regex(String(item)).test(String(fact).trim())),
  );
  numberOp('ls_gt', (a, b) => a > b);
  numberOp('ls_gte', (a, b) => a >= b);
  numberOp('ls_lt', (a, b) => a < b);
  numberOp('ls_lte', (a, b) => a <= b);
  engine.addOperator(
    'ls_exists',
    (fact: unknown, expected: unknown) => missing(fact) !== (expected === true),
  );
}

function translate(condition: RawCondition): JreCondition {
  if (Array.isArray(condition['all'])) return { all: condition['all'].map(translate) };
  if (Array.isArray(condition['any'])) return { any: condition['any'].map(translate) };
  if (condition['not'] !== undefined) return { not: translate(condition['not'] as RawCondition) };
  const field = condition['field'];
  if (typeof field !== 'string') throw new Error(`cannot translate condition ${JSON.stringify(condition)}`);
  const leaves: JreLeaf[] = FIELD_OPERATORS.filter((op) => condition[op] !== undefined).map((op) => ({
    fact: field,
    operator: `ls_${op}`,
    value: condition[op],
  }));
  if (leaves.length === 0) throw new Error(`no operator in condition ${JSON.stringify(condition)}`);
  return leaves.length === 1 && leaves[0] ? leaves[0] : { all: leaves };
}

function toTopLevel(condition: JreCondition): TopLevelCondition {
  return 'fact' in condition ? { all: [condition] } : condition;
}

/** One json-rules-engine rule per fit rule; a passing rule emits its points, and fit is their sum. */
export function buildJsonRulesEngineFit(
  fitRules: readonly RawCondition[],
): (profile: object) => Promise<number> {
  const engine = new Engine([], { allowUndefinedFacts: true });
  addOperators(engine);
  for (const rule of fitRules) {
    const id = String(rule['id']);
    const properties: RuleProperties = {
      name: id,
      conditions: toTopLevel(translate(rule)),
      event: { type: id, params: { points: Number(rule['points']) } },
    };
    engine.addRule(properties);
  }
  return async (profile) => {
    const { events } = await engine.run(profile);
    let fit = 0;
    for (const event of events) fit += Number(event.params?.['points'] ?? 0);
    return fit;
  };
}
