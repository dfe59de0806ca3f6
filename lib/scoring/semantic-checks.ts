/** Rules mistakes a schema cannot see: condition structure, duplicate ids, unreachable grades, inverted limits. */
import { problem, type PathSegment } from './problems';
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

function checkBounds(node: Node, path: readonly PathSegment[], problems: string[]): void {
  const lower = typeof node.gte === 'number' ? node.gte : typeof node.gt === 'number' ? node.gt : undefined;
  const upper = typeof node.lte === 'number' ? node.lte : typeof node.lt === 'number' ? node.lt : undefined;
  if (lower === undefined || upper === undefined) return;
  const inclusive = typeof node.gte === 'number' && typeof node.lte === 'number';
  if (inclusive ? lower > upper : lower >= upper) {
    problems.push(
      problem(path, `the lower bound ${lower} is not below the upper bound ${upper}, so this never matches`),
    );
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
    checkBounds(node, path, problems);
  }
  listOf(node.all).forEach((child, index) => checkCondition(child, [...path, 'all', index], problems));
  listOf(node.any).forEach((child, index) => checkCondition(child, [...path, 'any', index], problems));
  checkCondition(node.not, [...path, 'not'], problems);
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
    if (isObject(rule) && rule.where !== undefined)
      checkCondition(rule.where, ['engagement', index, 'where'], problems);
  });
  checkRuleIds(document, problems);
  checkLadder(document, 'grades', problems);
  checkLadder(document, 'stages', problems);
  checkLimits(document, problems);
  return problems;
}
