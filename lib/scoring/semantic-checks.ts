/**
 * Rules mistakes a schema cannot see: condition structure, empty numeric ranges, unknown event types,
 * duplicate ids, unreachable grades, inverted limits.
 */
// The event vocabulary is the ingest's own (every source is mapped onto it). This module already loads zod
// (through problems and schema), and zod/mini shares its core; the scoring path (model, score-lead) does not
// import this module, so the worker bundles stay as they were.
import { RECORD_EVENT_TYPES, SCORED_EVENT_TYPES } from '../events/lead-event';
import { closestWord, problem, type PathSegment } from './problems';
import { COMBINATORS, OPERATORS, REENGAGEMENT_RULE_ID } from './vocabulary';

// These walk the raw document, tolerating any shape, so that they run even when the schema also
// fails and every problem is reported in one pass; wrong types are left to the schema.

type Node = Readonly<Record<string, unknown>>;

export { REENGAGEMENT_RULE_ID };

function isObject(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function has(node: Node, key: string): boolean {
  return node[key] !== undefined;
}

function listOf(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

interface Bound {
  readonly value: number;
  readonly inclusive: boolean;
}

const LOWER = [
  ['gte', true],
  ['gt', false],
] as const;
const UPPER = [
  ['lte', true],
  ['lt', false],
] as const;

function boundsOf(leaves: readonly Node[], keys: typeof LOWER | typeof UPPER): Bound[] {
  return leaves.flatMap((leaf) =>
    keys.flatMap(([key, inclusive]) => {
      const value = leaf[key];
      return typeof value === 'number' ? [{ value, inclusive }] : [];
    }),
  );
}

/** The bound that constrains most (`side` 1: the highest lower, -1: the lowest upper); exclusive wins a tie. */
function tightest(bounds: readonly Bound[], side: 1 | -1): Bound | undefined {
  let best: Bound | undefined;
  for (const bound of bounds) {
    const diff = best === undefined ? 1 : side * (bound.value - best.value);
    if (diff > 0 || (diff === 0 && !bound.inclusive)) best = bound;
  }
  return best;
}

/** A problem when the numeric operators of these leaves (one field, all holding at once) leave no number. */
function emptyRange(leaves: readonly Node[]): string | undefined {
  const lower = tightest(boundsOf(leaves, LOWER), 1);
  const upper = tightest(boundsOf(leaves, UPPER), -1);
  if (lower === undefined || upper === undefined) return undefined;
  const empty = lower.inclusive && upper.inclusive ? lower.value > upper.value : lower.value >= upper.value;
  return empty
    ? `the lower bound ${lower.value} is not below the upper bound ${upper.value}, so this never matches`
    : undefined;
}

function isLeaf(node: unknown): node is Node {
  return isObject(node) && typeof node.field === 'string' && COMBINATORS.every((key) => !has(node, key));
}

/**
 * `all: [{ field: n, gte: 5000 }, { field: n, lt: 200 }]` never matches either: the leaves of one field are
 * checked together (a leaf that never matches on its own is reported as itself, not again here).
 */
function checkAllBounds(
  children: readonly unknown[],
  path: readonly PathSegment[],
  problems: string[],
): void {
  const byField = new Map<unknown, Node[]>();
  for (const leaf of children.filter(isLeaf))
    byField.set(leaf.field, [...(byField.get(leaf.field) ?? []), leaf]);
  for (const leaves of byField.values()) {
    if (leaves.length < 2 || leaves.some((leaf) => emptyRange([leaf]) !== undefined)) continue;
    const message = emptyRange(leaves);
    if (message !== undefined) problems.push(problem(path, message));
  }
}

function checkCondition(node: unknown, path: readonly PathSegment[], problems: string[]): void {
  if (!isObject(node)) return;
  const combinators = COMBINATORS.filter((key) => has(node, key));
  const operators = OPERATORS.filter((key) => has(node, key));
  if (combinators.length > 1) {
    problems.push(
      problem(path, `use one of ${combinators.join(', ')} per condition and nest them to combine`),
    );
  }
  if (combinators.length > 0 && (has(node, 'field') || operators.length > 0)) {
    problems.push(
      problem(path, `a condition has either field with operators, or ${combinators.join('/')}, not both`),
    );
  }
  if (combinators.length === 0) {
    if (!has(node, 'field') && operators.length === 0) {
      problems.push(problem(path, 'expected a condition: field with an operator, or all, any or not'));
    } else if (!has(node, 'field')) {
      problems.push(problem([...path, 'field'], 'expected a string'));
    } else if (operators.length === 0) {
      problems.push(problem(path, `field needs an operator (one of ${OPERATORS.join(', ')})`));
    }
    const message = emptyRange([node]);
    if (message !== undefined) problems.push(problem(path, message));
  }
  checkAllBounds(listOf(node.all), path, problems);
  listOf(node.all).forEach((child, index) => checkCondition(child, [...path, 'all', index], problems));
  listOf(node.any).forEach((child, index) => checkCondition(child, [...path, 'any', index], problems));
  checkCondition(node.not, [...path, 'not'], problems);
}

const EVENT_TYPES: ReadonlySet<string> = new Set(SCORED_EVENT_TYPES);

/** A rule on a type no source sends would never match, so a typo (`email.open`) is refused. */
function checkEventTypes(rule: Node, path: readonly PathSegment[], problems: string[]): void {
  const types = Array.isArray(rule.event)
    ? rule.event.map((type: unknown, index) => ({ type, at: [...path, index] }))
    : [{ type: rule.event, at: path }];
  for (const { type, at } of types) {
    if (RECORD_EVENT_TYPES.has(type as string)) {
      const record = `${JSON.stringify(type)} changes the lead record and is never scored as an event`;
      problems.push(problem(at, `${record}: score what the record holds with fit rules`));
      continue;
    }
    if (typeof type !== 'string' || type === '' || EVENT_TYPES.has(type)) continue;
    const near = closestWord(type, SCORED_EVENT_TYPES);
    const hint =
      near === undefined ? `expected one of ${SCORED_EVENT_TYPES.join(', ')}` : `did you mean ${near}?`;
    problems.push(problem(at, `unknown event type ${JSON.stringify(type)}: ${hint}`));
  }
}

function checkRuleIds(document: Node, problems: string[]): void {
  const firstUse = new Map<string, string>();
  for (const section of ['fit', 'engagement'] as const) {
    listOf(document[section]).forEach((rule, index) => {
      if (!isObject(rule) || typeof rule.id !== 'string') return;
      const path = [section, index, 'id'];
      if (rule.id === REENGAGEMENT_RULE_ID) {
        problems.push(problem(path, `"${REENGAGEMENT_RULE_ID}" is reserved for the re-engagement bonus`));
      }
      const earlier = firstUse.get(rule.id);
      if (earlier === undefined) firstUse.set(rule.id, `${section}[${index}]`);
      else problems.push(problem(path, `duplicate rule id "${rule.id}" (also ${earlier})`));
    });
  }
}

/** Top-down lists: every entry but the last needs a min above the next ones, the last must be a catch-all. */
function checkLadder(document: Node, key: 'grades' | 'stages', problems: string[]): void {
  const entries = document[key];
  if (!Array.isArray(entries) || entries.length === 0) return;
  const noun = key === 'grades' ? 'grade' : 'stage';
  let previousMin: number | undefined;
  entries.forEach((entry: unknown, index) => {
    if (!isObject(entry)) return;
    const last = index === entries.length - 1;
    if (last && has(entry, 'min')) {
      problems.push(
        problem([key, index, 'min'], `the last ${noun} must have no min, so that every lead gets one`),
      );
    }
    if (!last && !has(entry, 'min')) {
      problems.push(
        problem([key, index], `only the last ${noun} may omit min (the ones after it could never apply)`),
      );
    }
    if (typeof entry.min !== 'number') return;
    if (previousMin !== undefined && entry.min >= previousMin) {
      problems.push(
        problem(
          [key, index, 'min'],
          `${entry.min} is not below the min above it (${previousMin}), so it never applies`,
        ),
      );
    }
    previousMin = entry.min;
  });
}

function checkLimits(document: Node, problems: string[]): void {
  const limits = document.limits;
  if (!isObject(limits) || typeof limits.min !== 'number' || typeof limits.max !== 'number') return;
  if (limits.min > limits.max) {
    problems.push(problem(['limits'], `min (${limits.min}) is above max (${limits.max})`));
  }
}

export function semanticProblems(document: unknown): string[] {
  const problems: string[] = [];
  if (!isObject(document)) return problems;
  listOf(document.fit).forEach((rule, index) => checkCondition(rule, ['fit', index], problems));
  listOf(document.engagement).forEach((rule, index) => {
    if (!isObject(rule)) return;
    checkEventTypes(rule, ['engagement', index, 'event'], problems);
    if (rule.where !== undefined) checkCondition(rule.where, ['engagement', index, 'where'], problems);
  });
  checkRuleIds(document, problems);
  checkLadder(document, 'grades', problems);
  checkLadder(document, 'stages', problems);
  checkLimits(document, problems);
  return problems;
}
