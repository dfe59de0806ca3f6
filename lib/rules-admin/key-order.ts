/**
 * Rules read back from DynamoDB come with their keys in any order; people expect `id, field, operator,
 * points`. This puts keys in the order rules files are written in, at every depth.
 */
import { OPERATORS, type Rules } from '../scoring';

// One order fits every object: grades and stages read `{grade, min}`, limits `{min, max}`, engagement
// rules `{id, event, where, points, max, within, once}`, re-engagement `{after, points}`.
const ORDER = [
  'name',
  'description',
  'id',
  'grade',
  'stage',
  'field',
  'event',
  'where',
  ...OPERATORS,
  'all',
  'any',
  'not',
  'after',
  'points',
  'min',
  'max',
  'within',
  'once',
  'halfLife',
  'fit',
  'engagement',
  'decay',
  'reengagement',
  'limits',
  'grades',
  'stages',
];
const RANK = new Map(ORDER.map((key, index) => [key, index]));

function rank(key: string): number {
  return RANK.get(key) ?? ORDER.length;
}

export function withKeyOrder<T>(value: T): T {
  if (Array.isArray(value)) return value.map(withKeyOrder) as T;
  if (typeof value !== 'object' || value === null) return value;
  const entries = Object.entries(value).sort(([a], [b]) => rank(a) - rank(b) || (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([key, inner]) => [key, withKeyOrder(inner)])) as T;
}

export const orderedRules = (rules: Rules): Rules => withKeyOrder(rules);

/** A value on one line, keys in rules order: `{field: "jobtitle", matches: "…", points: 20}`. */
export function compact(value: unknown): string {
  if (value === undefined) return '(none)';
  if (Array.isArray(value)) return `[${value.map(compact).join(', ')}]`;
  if (typeof value === 'object' && value !== null) {
    const ordered = withKeyOrder(value as Record<string, unknown>);
    return `{${Object.entries(ordered)
      .map(([key, inner]) => `${key}: ${compact(inner)}`)
      .join(', ')}}`;
  }
  return JSON.stringify(value);
}
