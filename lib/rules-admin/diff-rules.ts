/** Two rule sets compared rule by rule (by id) and setting by setting, for `leadscore rules diff`. */
import { isDeepStrictEqual } from 'node:util';
import type { Rules } from '../scoring';
import { compact } from './key-order';

export interface PropertyChange {
  readonly property: string;
  readonly before: unknown;
  readonly after: unknown;
}

export type RuleChange =
  | {
      readonly section: 'fit' | 'engagement';
      readonly id: string;
      readonly kind: 'added' | 'removed';
      readonly rule: object;
    }
  | {
      readonly section: 'fit' | 'engagement';
      readonly id: string;
      readonly kind: 'changed';
      readonly changes: readonly PropertyChange[];
    };

export interface LadderChange {
  readonly label: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before?: number | undefined;
  readonly after?: number | undefined;
}

export interface RulesDiff {
  readonly rules: readonly RuleChange[];
  /** name, description, decay, reengagement, limits: whole values before and after. */
  readonly settings: readonly PropertyChange[];
  readonly grades: readonly LadderChange[];
  readonly stages: readonly LadderChange[];
  /** Whether the grade or stage labels come in a different order (same labels). */
  readonly reordered: readonly ('grades' | 'stages')[];
}

type AnyRule = { readonly id: string } & Readonly<Record<string, unknown>>;

function propertyChanges(before: AnyRule, after: AnyRule): PropertyChange[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].filter((key) => key !== 'id');
  return keys
    .filter((key) => !isDeepStrictEqual(before[key], after[key]))
    .map((property) => ({ property, before: before[property], after: after[property] }));
}

function diffSection(
  section: 'fit' | 'engagement',
  before: readonly AnyRule[],
  after: readonly AnyRule[],
): RuleChange[] {
  const old = new Map(before.map((rule) => [rule.id, rule]));
  const next = new Map(after.map((rule) => [rule.id, rule]));
  const changes: RuleChange[] = [];
  for (const rule of before) {
    const counterpart = next.get(rule.id);
    if (!counterpart) changes.push({ section, id: rule.id, kind: 'removed', rule });
    else {
      const properties = propertyChanges(rule, counterpart);
      if (properties.length > 0) changes.push({ section, id: rule.id, kind: 'changed', changes: properties });
    }
  }
  for (const rule of after)
    if (!old.has(rule.id)) changes.push({ section, id: rule.id, kind: 'added', rule });
  return changes;
}

function diffLadder(
  before: readonly { label: string; min?: number | undefined }[],
  after: readonly { label: string; min?: number | undefined }[],
): LadderChange[] {
  const old = new Map(before.map((entry) => [entry.label, entry.min]));
  const next = new Map(after.map((entry) => [entry.label, entry.min]));
  const changes: LadderChange[] = [];
  for (const { label, min } of before) {
    if (!next.has(label)) changes.push({ label, kind: 'removed', before: min });
    else if (next.get(label) !== min)
      changes.push({ label, kind: 'changed', before: min, after: next.get(label) });
  }
  for (const { label, min } of after) if (!old.has(label)) changes.push({ label, kind: 'added', after: min });
  return changes;
}

const gradesOf = (rules: Rules) => (rules.grades ?? []).map(({ grade, min }) => ({ label: grade, min }));
const stagesOf = (rules: Rules) => (rules.stages ?? []).map(({ stage, min }) => ({ label: stage, min }));

function sameLabelsReordered(
  before: readonly { label: string }[],
  after: readonly { label: string }[],
): boolean {
  const a = before.map((entry) => entry.label);
  const b = after.map((entry) => entry.label);
  return (
    a.length === b.length &&
    [...a].sort().join('\n') === [...b].sort().join('\n') &&
    a.join('\n') !== b.join('\n')
  );
}

export function diffRules(before: Rules, after: Rules): RulesDiff {
  const settings = (['name', 'description', 'decay', 'reengagement', 'limits'] as const)
    .filter((key) => !isDeepStrictEqual(before[key], after[key]))
    .map((property) => ({ property, before: before[property], after: after[property] }));
  const reordered: ('grades' | 'stages')[] = [];
  if (sameLabelsReordered(gradesOf(before), gradesOf(after))) reordered.push('grades');
  if (sameLabelsReordered(stagesOf(before), stagesOf(after))) reordered.push('stages');
  return {
    rules: [
      ...diffSection('fit', (before.fit ?? []) as AnyRule[], (after.fit ?? []) as AnyRule[]),
      ...diffSection(
        'engagement',
        (before.engagement ?? []) as AnyRule[],
        (after.engagement ?? []) as AnyRule[],
      ),
    ],
    settings,
    grades: diffLadder(gradesOf(before), gradesOf(after)),
    stages: diffLadder(stagesOf(before), stagesOf(after)),
    reordered,
  };
}

export function isEmptyDiff(diff: RulesDiff): boolean {
  return (
    diff.rules.length === 0 &&
    diff.settings.length === 0 &&
    diff.grades.length === 0 &&
    diff.stages.length === 0 &&
    diff.reordered.length === 0
  );
}

const ladderText = (change: LadderChange): string => {
  const min = (value: number | undefined) => (value === undefined ? 'catch-all' : `min ${value}`);
  if (change.kind === 'added') return `${change.label} added (${min(change.after)})`;
  if (change.kind === 'removed') return `${change.label} removed (was ${min(change.before)})`;
  return `${change.label} ${min(change.before)} → ${min(change.after)}`;
};

/** The diff as lines: `+` added, `-` removed, `~` changed, settings and ladders after the rules. */
export function formatDiff(diff: RulesDiff): string[] {
  const lines: string[] = [];
  for (const section of ['fit', 'engagement'] as const) {
    const changes = diff.rules.filter((change) => change.section === section);
    if (changes.length === 0) continue;
    lines.push(`${section}:`);
    for (const change of changes) {
      if (change.kind === 'changed') {
        const details = change.changes.map(
          (c) => `${c.property}: ${compact(c.before)} → ${compact(c.after)}`,
        );
        lines.push(`  ~ ${change.id}  ${details.join('; ')}`);
      } else {
        const { id: _id, ...rest } = change.rule as AnyRule;
        lines.push(`  ${change.kind === 'added' ? '+' : '-'} ${change.id}  ${compact(rest)}`);
      }
    }
  }
  for (const setting of diff.settings)
    lines.push(`${setting.property}: ${compact(setting.before)} → ${compact(setting.after)}`);
  if (diff.grades.length > 0) lines.push(`grades: ${diff.grades.map(ladderText).join('; ')}`);
  if (diff.stages.length > 0) lines.push(`stages: ${diff.stages.map(ladderText).join('; ')}`);
  for (const ladder of diff.reordered) lines.push(`${ladder}: same labels in a different order`);
  return lines;
}
