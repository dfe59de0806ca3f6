/**
 * Features with whole points → fit rules: `equals` for one level, `in` for levels worth the same points,
 * `notIn` for "any other value", gte/lt for a run of adjacent bins. A missing answer is worth 0 and gets
 * no rule; nor does anything worth 0 points.
 */
import type { Condition, FitRule } from '../scoring';
import type { Level } from './columns';
import type { Design, Feature } from './features';

export interface FitRuleDraft {
  readonly rule: FitRule;
  /** The column the rule reads, for grouping in the file. */
  readonly column: string;
  /** The fitted log-odds weight(s) behind the points (relative to missing). */
  readonly weights: readonly number[];
  /** Training rows the rule matches. */
  readonly count: number;
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9.]+/g, '-')
    .replace(/(^[-.]+)|([-.]+$)/g, '')
    .replace(/-{2,}/g, '-');
}

function valueSlug(value: string | number): string {
  return slug(String(value)) || 'blank';
}

function levelIdPart(levels: readonly Level[]): string {
  const [first, second] = levels;
  if (levels.length === 1 && first) return valueSlug(first.value);
  if (levels.length === 2 && first && second)
    return `${valueSlug(first.value)}-or-${valueSlug(second.value)}`;
  return `${valueSlug(first?.value ?? '')}-and-${levels.length - 1}-more`;
}

function binIdPart(lower: number | undefined, upper: number | undefined): string {
  if (lower === undefined && upper === undefined) return 'any';
  if (lower === undefined) return `under-${upper}`;
  if (upper === undefined) return `${lower}-plus`;
  return `${lower}-to-${upper}`;
}

type Entry = { feature: Feature; points: number; weight: number; count: number };

function categoricalDrafts(column: string, entries: readonly Entry[]): FitRuleDraft[] {
  const drafts: FitRuleDraft[] = [];
  const byPoints = new Map<number, Entry[]>();
  for (const entry of entries) {
    if (entry.feature.kind === 'level')
      byPoints.set(entry.points, [...(byPoints.get(entry.points) ?? []), entry]);
  }
  for (const [points, group] of byPoints) {
    const levels = group.map((entry) => (entry.feature as Feature & { kind: 'level' }).level);
    const values = levels.map((level) => level.value);
    const condition: Condition = values.length === 1 ? { equals: values[0] } : { in: values };
    drafts.push({
      rule: { id: `${slug(column)}-${levelIdPart(levels)}`, field: column, ...condition, points },
      column,
      weights: group.map((entry) => entry.weight),
      count: group.reduce((sum, entry) => sum + entry.count, 0),
    });
  }
  for (const entry of entries) {
    if (entry.feature.kind !== 'other') continue;
    // "Select" is a missing answer, worth 0 like an empty one, so it must not count as "other".
    const known = [...entry.feature.known.map((level) => level.value), 'Select'];
    drafts.push({
      rule: { id: `${slug(column)}-any-other`, field: column, notIn: known, points: entry.points },
      column,
      weights: [entry.weight],
      count: entry.count,
    });
  }
  return drafts;
}

function binDrafts(column: string, entries: readonly Entry[]): FitRuleDraft[] {
  const bins = entries.filter((entry) => entry.feature.kind === 'bin');
  const drafts: FitRuleDraft[] = [];
  for (let start = 0; start < bins.length;) {
    let end = start + 1;
    while (end < bins.length && bins[end]?.points === bins[start]?.points) end++;
    const run = bins.slice(start, end);
    start = end;
    const points = run[0]?.points ?? 0;
    if (points === 0) continue;
    const lower = (run[0]?.feature as { lower?: number }).lower;
    const upper = (run[run.length - 1]?.feature as { upper?: number }).upper;
    drafts.push({
      rule: {
        id: `${slug(column)}-${binIdPart(lower, upper)}`,
        field: column,
        ...(lower === undefined ? {} : { gte: lower }),
        ...(upper === undefined ? {} : { lt: upper }),
        ...(lower === undefined && upper === undefined ? { exists: true } : {}),
        points,
      },
      column,
      weights: run.map((entry) => entry.weight),
      count: run.reduce((sum, entry) => sum + entry.count, 0),
    });
  }
  return drafts;
}

/** One draft per rule, in column order, largest points first within a column; ids are unique. */
export function fitRuleDrafts(
  design: Design,
  points: ArrayLike<number>,
  weights: ArrayLike<number>,
  counts: ArrayLike<number>,
): FitRuleDraft[] {
  const drafts: FitRuleDraft[] = [];
  for (const plan of design.plans) {
    const entries: Entry[] = design.features
      .filter((feature) => feature.column === plan.name)
      .map((feature) => ({
        feature,
        points: points[feature.index] as number,
        weight: weights[feature.index] as number,
        count: counts[feature.index] as number,
      }));
    const column =
      plan.kind === 'numeric'
        ? binDrafts(plan.name, entries)
        : categoricalDrafts(
            plan.name,
            entries.filter((entry) => entry.points !== 0),
          );
    drafts.push(...column.sort((a, b) => b.rule.points - a.rule.points));
  }
  const used = new Map<string, number>();
  return drafts.map((draft) => {
    const seen = used.get(draft.rule.id) ?? 0;
    used.set(draft.rule.id, seen + 1);
    return seen === 0 ? draft : { ...draft, rule: { ...draft.rule, id: `${draft.rule.id}-${seen + 1}` } };
  });
}
