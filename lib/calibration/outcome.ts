/** Reading an outcome cell as converted (1) or not (0). */

const POSITIVE = new Set(['1', 'true', 'yes', 'y', 'converted', 'won']);
const NEGATIVE = new Set(['0', 'false', 'no', 'n', 'not converted', 'lost']);

/** 1, 0, or undefined when the cell says neither (such rows are left out and counted). */
export function outcomeLabel(cell: string | undefined): 0 | 1 | undefined {
  const text = (cell ?? '').trim().toLowerCase();
  if (POSITIVE.has(text)) return 1;
  if (NEGATIVE.has(text)) return 0;
  const number = text === '' ? Number.NaN : Number(text);
  if (number === 1) return 1;
  if (number === 0) return 0;
  return undefined;
}
