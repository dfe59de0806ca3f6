/**
 * Which CSV columns become features and how: categories (one indicator per common level, rare levels
 * pooled), numbers (quantile bins), or excluded (outcome, asked, identifiers, constants). Learned on the
 * training rows only, so that validation stays unseen.
 */

/** One CSV row: column name → cell text. */
export type DataRow = Readonly<Record<string, string | undefined>>;

export interface ColumnOptions {
  readonly outcome: string;
  /** Columns the user left out. */
  readonly exclude: ReadonlySet<string>;
  /** Levels seen fewer times than this in training are pooled into "other". */
  readonly minCount: number;
  /** Quantile bins per numeric column. */
  readonly bins: number;
  /** A numeric column with at most this many distinct values is treated as categories. */
  readonly maxNumericLevels: number;
}

export const DEFAULT_COLUMN_OPTIONS: Omit<ColumnOptions, 'outcome' | 'exclude'> = {
  minCount: 20,
  bins: 5,
  maxNumericLevels: 12,
};

export interface Level {
  /** Normalized as the engine compares: trimmed lower-case text, or the number's canonical text. */
  readonly key: string;
  /** As written in the rules: the most common spelling, or a number. */
  readonly value: string | number;
  readonly count: number;
}

export interface CategoricalColumn {
  readonly kind: 'categorical';
  readonly name: string;
  readonly numeric: boolean;
  readonly levels: readonly Level[];
  /** Levels too rare to estimate alone. */
  readonly rare: readonly Level[];
  /** Whether the rare levels together are common enough to get an "any other value" feature. */
  readonly pooled: boolean;
  readonly missing: number;
  /** Whether missing values are common enough to be a feature (else they count like the reference). */
  readonly missingFeature: boolean;
}

export interface NumericColumn {
  readonly kind: 'numeric';
  readonly name: string;
  /** Ascending cut points: bins are [-∞, c0), [c0, c1), …, [c_last, ∞). */
  readonly cuts: readonly number[];
  readonly missing: number;
  readonly missingFeature: boolean;
}

export type ColumnPlan = CategoricalColumn | NumericColumn;

/** `constant`: at most one value (or missing) has minCount rows. */
export type ExclusionReason = 'outcome' | 'excluded' | 'identifier' | 'constant';

export interface ExcludedColumn {
  readonly name: string;
  readonly reason: ExclusionReason;
}

/** `Select` is what the web form sends for an untouched drop-down: no answer, like an empty cell. */
export function isMissingCell(text: string | undefined): boolean {
  if (text === undefined) return true;
  const trimmed = text.trim();
  return trimmed === '' || trimmed.toLowerCase() === 'select';
}

export function numberOf(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? Number.NaN : Number(trimmed);
}

/** The engine's equality: numbers numerically, text ignoring case and surrounding spaces. */
export function levelKey(text: string, numeric: boolean): string {
  return numeric ? `#${numberOf(text)}` : text.trim().toLowerCase();
}

function quantileCuts(values: number[], bins: number): number[] {
  const sorted = [...values].sort((a, b) => a - b);
  const first = sorted[0] as number;
  const cuts = new Set<number>();
  for (let q = 1; q < bins; q++) {
    const cut = sorted[Math.floor((q * sorted.length) / bins)] as number;
    // A cut at the minimum would leave the first bin empty.
    if (cut > first) cuts.add(cut);
  }
  return [...cuts].sort((a, b) => a - b);
}

/** After `identifierWords`: the last word says id, or the name is a record kind followed by "number". */
const IDENTIFIER_NAME =
  /(?:^| )(?:id|uuid|guid)$|^(?:lead|prospect|contact|account|customer|record|row|opportunity|deal) (?:number|no|num|#)$/;

/** `LeadId`, `lead_id`, `Lead ID` → `lead id`: words in lower case, camelCase split, punctuation as spaces. */
function identifierWords(name: string): string {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .replace(/[^a-z0-9#]+/g, ' ')
    .trim();
}

/** A name that says the column identifies the row: Prospect ID, lead_id, UUID, Lead Number, Account No. */
export function isIdentifierName(name: string): boolean {
  return IDENTIFIER_NAME.test(identifierWords(name));
}

/**
 * A distinct value on nearly every row names the row (Prospect ID, Lead Number) whatever the column is
 * called. Measurements with decimals can be nearly unique too, so numbers count only when they are whole.
 * From 50 values on, 90% distinct is enough; below, every value must differ on a column filled on at
 * least half of the rows (a sparse column of a few different values is merely rare).
 */
function isIdentifierColumn(
  present: readonly string[],
  rows: number,
  distinct: number,
  numeric: boolean,
): boolean {
  if (numeric && !present.every((text) => Number.isInteger(numberOf(text)))) return false;
  if (present.length >= 50) return distinct >= 0.9 * present.length;
  return present.length >= 2 && distinct === present.length && present.length * 2 >= rows;
}

function planColumn(
  name: string,
  cells: readonly (string | undefined)[],
  options: ColumnOptions,
): ColumnPlan | ExclusionReason {
  const present: string[] = [];
  for (const cell of cells) if (!isMissingCell(cell)) present.push((cell as string).trim());
  const missing = cells.length - present.length;
  const numeric = present.length > 0 && present.every((text) => Number.isFinite(numberOf(text)));
  const spellings = new Map<string, Map<string, number>>();
  for (const text of present) {
    const key = levelKey(text, numeric);
    const forKey = spellings.get(key) ?? new Map<string, number>();
    forKey.set(text, (forKey.get(text) ?? 0) + 1);
    spellings.set(key, forKey);
  }
  const distinct = spellings.size;
  if (isIdentifierName(name) || isIdentifierColumn(present, cells.length, distinct, numeric))
    return 'identifier';
  const missingFeature = missing >= options.minCount;
  if (numeric && distinct > options.maxNumericLevels) {
    const cuts = quantileCuts(present.map(numberOf), options.bins);
    if (cuts.length === 0 && !missingFeature) return 'constant';
    return { kind: 'numeric', name, cuts, missing, missingFeature };
  }
  const all: Level[] = [...spellings].map(([key, forKey]) => {
    const [spelling] = [...forKey].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0] as [
      string,
      number,
    ];
    const count = [...forKey.values()].reduce((sum, n) => sum + n, 0);
    return { key, value: numeric ? numberOf(spelling) : spelling, count };
  });
  all.sort((a, b) => b.count - a.count || (a.key < b.key ? -1 : 1));
  const levels = all.filter((level) => level.count >= options.minCount);
  const rare = all.filter((level) => level.count < options.minCount);
  const pooled = rare.reduce((sum, level) => sum + level.count, 0) >= options.minCount;
  // One group with nearly every row (e.g. 4,907 "No" and one "Yes") says nothing about anyone.
  if (levels.length + (pooled ? 1 : 0) + (missingFeature ? 1 : 0) < 2) return 'constant';
  return { kind: 'categorical', name, numeric, levels, rare, pooled, missing, missingFeature };
}

/** Plans every column of `columns` from the training rows, in the CSV's order. */
export function planColumns(
  rows: readonly DataRow[],
  training: readonly number[],
  columns: readonly string[],
  options: ColumnOptions,
): { plans: ColumnPlan[]; excluded: ExcludedColumn[] } {
  const plans: ColumnPlan[] = [];
  const excluded: ExcludedColumn[] = [];
  for (const name of columns) {
    if (name === options.outcome) excluded.push({ name, reason: 'outcome' });
    else if (options.exclude.has(name)) excluded.push({ name, reason: 'excluded' });
    else {
      const plan = planColumn(
        name,
        training.map((i) => rows[i]?.[name]),
        options,
      );
      if (typeof plan === 'string') excluded.push({ name, reason: plan });
      else plans.push(plan);
    }
  }
  return { plans, excluded };
}
