/**
 * Writes calibrated rules as a YAML file people can read and edit: one flow mapping per rule, grouped by
 * column, with the fitted weight and the training count in a comment. Strings are written as JSON
 * strings, which YAML reads back unchanged (so `Yes`, `No` or `14` never change type).
 */
import type { FitRuleDraft } from './fit-rules';

export interface Ladder {
  readonly label: string;
  /** Undefined for the catch-all last entry. */
  readonly min?: number;
}

export interface RulesDocument {
  readonly name: string;
  readonly description: string;
  /** Comment lines above everything (without the `# `). */
  readonly header: readonly string[];
  readonly drafts: readonly FitRuleDraft[];
  readonly grades: readonly Ladder[];
  readonly stages: readonly Ladder[];
}

function scalar(value: unknown): string {
  if (typeof value === 'number')
    return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

function flowValue(value: unknown): string {
  return Array.isArray(value) ? `[${value.map(scalar).join(', ')}]` : scalar(value);
}

function signed(weight: number): string {
  return `${weight >= 0 ? '+' : ''}${weight.toFixed(3)}`;
}

function ruleLine(draft: FitRuleDraft): string {
  const { id, field, points, ...condition } = draft.rule;
  const parts = [`id: ${scalar(id)}`, `field: ${scalar(field)}`];
  for (const [key, value] of Object.entries(condition))
    if (value !== undefined) parts.push(`${key}: ${flowValue(value)}`);
  parts.push(`points: ${points}`);
  const weights =
    draft.weights.length === 1 ? signed(draft.weights[0] as number) : draft.weights.map(signed).join(' ');
  return `  - { ${parts.join(', ')} }  # log-odds ${weights}; ${draft.count} training leads`;
}

function ladderLines(key: 'grade' | 'stage', ladder: readonly Ladder[]): string[] {
  return ladder.map(({ label, min }) =>
    min === undefined ? `  - { ${key}: ${scalar(label)} }` : `  - { ${key}: ${scalar(label)}, min: ${min} }`,
  );
}

export function rulesYaml(document: RulesDocument): string {
  const lines = [
    ...document.header.map((line) => (line === '' ? '#' : `# ${line}`)),
    `name: ${scalar(document.name)}`,
    `description: ${scalar(document.description)}`,
    'fit:',
  ];
  let column: string | undefined;
  for (const draft of document.drafts) {
    if (draft.column !== column) {
      column = draft.column;
      lines.push(`  # ${column}`);
    }
    lines.push(ruleLine(draft));
  }
  if (document.drafts.length === 0) lines[lines.length - 1] = 'fit: []';
  lines.push(
    'grades:                # on the fit score, first match top-down',
    ...ladderLines('grade', document.grades),
  );
  lines.push(
    'stages:                # on the score (the fit, as these rules have no engagement)',
    ...ladderLines('stage', document.stages),
  );
  return `${lines.join('\n')}\n`;
}

/**
 * Thresholds at score quantiles, top-down: `shares` are the fraction of leads each label but the last
 * should get. Labels whose threshold would not be below the one above are dropped.
 */
export function quantileLadder(
  scores: ArrayLike<number>,
  labels: readonly string[],
  shares: readonly number[],
): Ladder[] {
  const sorted = Float64Array.from(scores).sort().reverse();
  const ladder: Ladder[] = [];
  let cumulative = 0;
  labels.slice(0, -1).forEach((label, i) => {
    cumulative += shares[i] ?? 0;
    const position = Math.min(sorted.length - 1, Math.max(0, Math.ceil(cumulative * sorted.length) - 1));
    const min = sorted[position];
    const previous = ladder[ladder.length - 1]?.min;
    if (min === undefined || (previous !== undefined && min >= previous)) return;
    ladder.push({ label, min });
  });
  ladder.push({ label: labels[labels.length - 1] ?? 'other' });
  return ladder;
}
