/** Reading an outcome cell as converted (1) or not (0). */
import type { DataRow } from './columns';
import { CalibrationInputError } from './input-error';

const POSITIVE = ['1', 'true', 'yes', 'y', 'converted', 'won'];
const NEGATIVE = ['0', 'false', 'no', 'n', 'not converted', 'lost'];
const POSITIVE_SET = new Set(POSITIVE);
const NEGATIVE_SET = new Set(NEGATIVE);

/** 1, 0, or undefined when the cell says neither (such rows are left out and counted). */
export function outcomeLabel(cell: string | undefined): 0 | 1 | undefined {
  const text = (cell ?? '').trim().toLowerCase();
  if (POSITIVE_SET.has(text)) return 1;
  if (NEGATIVE_SET.has(text)) return 0;
  const number = text === '' ? Number.NaN : Number(text);
  if (number === 1) return 1;
  if (number === 0) return 0;
  return undefined;
}

/** The rows whose outcome reads as yes or no, in file order, with their labels. */
export interface LabelledRows {
  readonly rows: DataRow[];
  readonly labels: Uint8Array;
  readonly positives: number;
  /** Rows whose outcome cell said neither (left out). */
  readonly skipped: number;
}

/**
 * Keeps the rows with a yes/no `outcome`. Fails, naming the problem, when there is no such column or
 * when no row has a value that reads as yes or no.
 */
export function labelRows(
  rows: readonly DataRow[],
  columns: readonly string[],
  outcome: string,
): LabelledRows {
  if (!columns.includes(outcome)) {
    const sameName = columns.find((name) => name.toLowerCase() === outcome.toLowerCase());
    const hint = sameName === undefined ? '' : `; did you mean "${sameName}"?`;
    throw new CalibrationInputError(`no column "${outcome}"${hint} (columns: ${columns.join(', ')})`);
  }
  const kept: DataRow[] = [];
  const labels: number[] = [];
  for (const row of rows) {
    const label = outcomeLabel(row[outcome]);
    if (label === undefined) continue;
    kept.push(row);
    labels.push(label);
  }
  if (kept.length === 0) throw new CalibrationInputError(noOutcomeMessage(rows, outcome));
  return {
    rows: kept,
    labels: Uint8Array.from(labels),
    positives: labels.reduce((sum, label) => sum + label, 0),
    skipped: rows.length - kept.length,
  };
}

function noOutcomeMessage(rows: readonly DataRow[], outcome: string): string {
  const seen = [...new Set(rows.map((row) => (row[outcome] ?? '').trim()).filter((text) => text !== ''))];
  if (seen.length === 0) return `"${outcome}" is empty on every row`;
  const shown = seen.slice(0, 3).map((text) => JSON.stringify(text));
  const more = seen.length > 3 ? ` and ${seen.length - 3} other value(s)` : '';
  return (
    `no value of "${outcome}" reads as yes/no (seen ${shown.join(', ')}${more}): converted is ` +
    `${listed(POSITIVE)}, not converted is ${listed(NEGATIVE)} (any case); is it the right column?`
  );
}

/** `a, b or c`. */
function listed(words: readonly string[]): string {
  return `${words.slice(0, -1).join(', ')} or ${words.at(-1)}`;
}
