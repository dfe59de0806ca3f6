/** Conditions compiled once into closures over a record (a lead's profile or one event). */
import type { Condition, Scalar } from './schema';
import { COMBINATORS } from './vocabulary';
import { compileTextTest, type TextOperator } from './text-match';

export type FieldRecord = Readonly<Record<string, unknown>>;
export type Predicate = (record: FieldRecord) => boolean;
/** A test on a value already known to be present. */
type ValueTest = (value: unknown) => boolean;

// Semantics decided here (the issue is silent on them):
// - missing = undefined, null, NaN, a blank string or a function (an inherited property such as
//   `constructor`); it matches only `exists: false`, so notEquals/notIn on a missing field do not match
//   (use `not` for "anything but"). `not` negates a whole condition, so `not: { field: x, equals: a }`
//   does match a missing x.
// - objects and arrays are present but opaque: only `exists` looks at them.
// - a list after notEquals means "none of them", like notIn.
// - equals with a number compares numerically ("200.0" equals 200); with a string or boolean it compares
//   text, ignoring case and surrounding spaces. `matches` runs on the trimmed text, case-insensitively.
// - text operators ignore case and surrounding whitespace as text-match.ts explains.

function isBlank(text: string): boolean {
  if (text.length === 0) return true;
  // Skips trim() on the usual string that starts with a visible ASCII character.
  const first = text.charCodeAt(0);
  if (first > 32 && first < 127) return false;
  return text.trim().length === 0;
}

export function isMissing(value: unknown): boolean {
  // typeof compared, never switched on: a switch makes V8 build the type's name with a builtin call per
  // value, which measured ~1.5% of full scoring.
  if (typeof value === 'string') return isBlank(value);
  if (value === undefined || value === null) return true;
  if (typeof value === 'number') return value !== value;
  return typeof value === 'function';
}

/** The value as text for text operators; undefined for objects and lists. */
function textOf(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  return undefined;
}

/** CRMs send numbers as strings, so "200" is 200; a blank or non-numeric string is no number. */
export function numericValue(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value !== 'string') return Number.NaN;
  const text = value.trim();
  return text === '' ? Number.NaN : Number(text);
}

function listOf<T>(value: T | readonly T[]): readonly T[] {
  return Array.isArray(value) ? value : [value as T];
}

function textTest(operator: TextOperator, values: readonly string[]): ValueTest {
  const test = compileTextTest(operator, values);
  return (value) => {
    const text = textOf(value);
    return text !== undefined && test(text);
  };
}

function equalsAny(values: readonly Scalar[]): ValueTest {
  const numbers = values.filter((value): value is number => typeof value === 'number');
  const texts = values.filter((value) => typeof value !== 'number').map(String);
  const matchesText = texts.length === 0 ? undefined : textTest('equals', texts);
  if (numbers.length === 0 && matchesText !== undefined) return matchesText;
  return (value) => {
    if (numbers.length > 0) {
      const number = numericValue(value);
      if (number === number && numbers.includes(number)) return true;
    }
    return matchesText !== undefined && matchesText(value);
  };
}

// One closure literal per comparison, not a shared one calling a `compare` callback: that call would
// meet every operator and stay megamorphic (not inlined) in the hottest part of fit scoring.
const NUMERIC_TESTS = {
  gt:
    (bound: number): ValueTest =>
    (value) => {
      const number = numericValue(value);
      return number === number && number > bound;
    },
  gte:
    (bound: number): ValueTest =>
    (value) => {
      const number = numericValue(value);
      return number === number && number >= bound;
    },
  lt:
    (bound: number): ValueTest =>
    (value) => {
      const number = numericValue(value);
      return number === number && number < bound;
    },
  lte:
    (bound: number): ValueTest =>
    (value) => {
      const number = numericValue(value);
      return number === number && number <= bound;
    },
} as const;

/** `matches` runs on the trimmed text. */
function patternTest(patterns: readonly string[]): ValueTest {
  const regexes = patterns.map((pattern) => new RegExp(pattern, 'i'));
  return (value) => {
    const text = textOf(value)?.trim();
    if (text === undefined) return false;
    for (const regex of regexes) if (regex.test(text)) return true;
    return false;
  };
}

const needlesOf = (value: string | number | readonly (string | number)[]): string[] =>
  listOf(value).map(String);

/** The value tests of one leaf; `exists: true` adds none, since every test already needs a present value. */
function valueTests(leaf: Condition): { tests: ValueTest[]; onlyWhenMissing: boolean } {
  const tests: ValueTest[] = [];
  if (leaf.equals !== undefined) tests.push(equalsAny(listOf(leaf.equals)));
  if (leaf.in !== undefined) tests.push(equalsAny(leaf.in));
  for (const excluded of [leaf.notEquals, leaf.notIn]) {
    if (excluded === undefined) continue;
    const anyOf = equalsAny(listOf(excluded));
    tests.push((value) => !anyOf(value));
  }
  if (leaf.contains !== undefined) tests.push(textTest('contains', needlesOf(leaf.contains)));
  if (leaf.startsWith !== undefined) tests.push(textTest('startsWith', needlesOf(leaf.startsWith)));
  if (leaf.endsWith !== undefined) tests.push(textTest('endsWith', needlesOf(leaf.endsWith)));
  if (leaf.matches !== undefined) tests.push(patternTest(listOf(leaf.matches)));
  for (const operator of ['gt', 'gte', 'lt', 'lte'] as const) {
    const bound = leaf[operator];
    if (bound !== undefined) tests.push(NUMERIC_TESTS[operator](bound));
  }
  return { tests, onlyWhenMissing: leaf.exists === false };
}
/**
 * The same text as a V8 internalized string. Names parsed from YAML are often slices of the source text;
 * used as a property key or compared with ===, those cost a string-table lookup or a character compare on
 * every use, while internalized keys make `record[field]` a plain property load.
 */
export function internalize(text: string): string {
  return Object.keys({ [text]: true })[0] ?? text;
}

function compileLeaf(leaf: Condition): Predicate {
  const field = internalize(leaf.field ?? '');
  const { tests, onlyWhenMissing } = valueTests(leaf);
  // A present value fails `exists: false`; a missing one passes only if nothing but `exists: false` is asked.
  const whenMissing = onlyWhenMissing && tests.length === 0;
  if (onlyWhenMissing) return (record) => isMissing(record[field]) && whenMissing;
  if (tests.length === 0) return (record) => !isMissing(record[field]);
  if (tests.length === 1) return singleTestLeaf(field, tests[0] as ValueTest);
  return (record) => {
    const value = record[field];
    if (isMissing(value)) return false;
    for (const test of tests) if (!test(value)) return false;
    return true;
  };
}

/**
 * `record[field] present and test(value)`, as a function of its own: one closure literal shared by every
 * leaf makes its field load and its call to `test` megamorphic (every rule's field and test meet there),
 * which measured as the largest cost of fit scoring. A function generated per leaf has its own feedback,
 * so both stay monomorphic and V8 inlines the test. Nothing from the rules goes into the source.
 */
function singleTestLeaf(field: string, test: ValueTest): Predicate {
  const make = new Function(
    'isMissing',
    'test',
    'field',
    'return function leaf(record) { const value = record[field]; return !isMissing(value) && test(value); };',
  ) as (missing: typeof isMissing, valueTest: ValueTest, name: string) => Predicate;
  return make(isMissing, test, field);
}

function compileAll(predicates: readonly Predicate[]): Predicate {
  const [first, second] = predicates;
  if (predicates.length === 1 && first) return first;
  if (predicates.length === 2 && first && second) return (record) => first(record) && second(record);
  return (record) => {
    for (const predicate of predicates) if (!predicate(record)) return false;
    return true;
  };
}

function compileAny(predicates: readonly Predicate[]): Predicate {
  const [first, second] = predicates;
  if (predicates.length === 1 && first) return first;
  if (predicates.length === 2 && first && second) return (record) => first(record) || second(record);
  return (record) => {
    for (const predicate of predicates) if (predicate(record)) return true;
    return false;
  };
}

function isLeaf(condition: Condition): boolean {
  return condition.field !== undefined && COMBINATORS.every((key) => condition[key] === undefined);
}

/**
 * `all` of leaves on one field with distinct operators becomes one leaf (its operators must all hold,
 * which is the same test), so `{ all: [{ field: n, gte: 200 }, { field: n, lt: 5000 }] }` reads n once.
 */
function mergeLeaves(children: readonly Condition[]): Condition[] {
  const merged: Condition[] = [];
  for (const child of children) {
    const index = isLeaf(child)
      ? merged.findIndex(
          (other) =>
            isLeaf(other) &&
            other.field === child.field &&
            Object.keys(child).every((key) => key === 'field' || !(key in other)),
        )
      : -1;
    const other = merged[index];
    if (other === undefined) merged.push(child);
    else merged[index] = { ...other, ...child };
  }
  return merged;
}

export function compileCondition(condition: Condition): Predicate {
  if (condition.all !== undefined) return compileAll(mergeLeaves(condition.all).map(compileCondition));
  if (condition.any !== undefined) return compileAny(condition.any.map(compileCondition));
  if (condition.not !== undefined) {
    const inner = compileCondition(condition.not);
    return (record) => !inner(record);
  }
  return compileLeaf(condition);
}

/** Every field a condition reads, for CRM enrichment. */
export function conditionFields(condition: Condition, into: Set<string>): Set<string> {
  if (condition.field !== undefined) into.add(condition.field);
  for (const child of condition.all ?? []) conditionFields(child, into);
  for (const child of condition.any ?? []) conditionFields(child, into);
  if (condition.not !== undefined) conditionFields(condition.not, into);
  return into;
}
