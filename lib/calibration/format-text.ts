/** Plain-text tables for the terminal: lift by decile and conversion by grade or stage. */
import type { DecileLift, GroupRate } from './metrics';

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const widths = header.map((title, i) =>
    Math.max(title.length, ...rows.map((row) => (row[i] ?? '').length)),
  );
  const line = (cells: readonly string[]) =>
    `  ${cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ')}`.trimEnd();
  return [line(header), ...rows.map(line)];
}

/** One or more lift tables side by side (same rows, in the same order). */
export function liftTable(
  models: readonly { readonly label: string; readonly lift: readonly DecileLift[] }[],
): string[] {
  const [first] = models;
  if (!first) return [];
  const header = ['decile', 'leads'];
  for (const { label } of models) header.push(`${label} conv.`, 'lift', 'captured');
  const rows = first.lift.map((decile, i) => {
    const cells = [String(decile.decile), String(decile.count)];
    for (const { lift } of models) {
      const row = lift[i];
      cells.push(
        row ? percent(row.rate) : '',
        row ? row.lift.toFixed(2) : '',
        row ? percent(row.cumulativeCapture) : '',
      );
    }
    return cells;
  });
  return table(header, rows);
}

export function ratesTable(title: string, rates: readonly GroupRate[]): string[] {
  return table(
    [title, 'leads', 'converted', 'rate'],
    rates.map((rate) => [
      rate.group || '(none)',
      String(rate.count),
      String(rate.converted),
      rate.count === 0 ? '-' : percent(rate.rate),
    ]),
  );
}

export { percent };
