/**
 * Calibration from outcomes: split rows (stratified, seeded), plan columns and features on the training
 * part, fit an L2 logistic regression, scale its weights to whole points, and write them as fit rules
 * with grades and stages at score quantiles. Pure: rows in, rules text and measurements out.
 */
import { compileRules, parseRulesText, type ScoringModel } from '../scoring';
import {
  DEFAULT_COLUMN_OPTIONS,
  planColumns,
  type ColumnOptions,
  type DataRow,
  type ExcludedColumn,
} from './columns';
import { buildDesign, designMatrix, referenceFeatures, relativeToReference, type Design } from './features';
import { fitRuleDrafts, type FitRuleDraft } from './fit-rules';
import { CalibrationInputError } from './input-error';
import { NotPositiveDefiniteError } from './linear-algebra';
import { fitLogistic, type LogisticModel } from './logistic-regression';
import { liftByDecile, rocAuc, type DecileLift } from './metrics';
import { labelRows } from './outcome';
import { choosePointScale, type PointScale } from './points';
import { stratifiedSplit, type Split } from './random';
import { quantileLadder, rulesYaml, type Ladder } from './rules-yaml';
import { rangeProblem } from '../number-range';
import { MINIMUM_DATA, nameProblem, SETTING_RANGES, type SettingName } from './settings';
import { linearScores, selectRows, type SparseMatrix } from './sparse-matrix';

export { CalibrationInputError };

export interface CalibrationOptions extends Partial<Omit<ColumnOptions, 'outcome' | 'exclude'>> {
  readonly outcome: string;
  readonly exclude?: readonly string[];
  readonly seed?: number;
  readonly holdout?: number;
  readonly l2?: number;
  readonly maxPoints?: number;
  /** The rules' name. */
  readonly name?: string;
  /** Where the rows came from, for the file's header. */
  readonly source?: string;
  readonly onProgress?: (message: string) => void;
}

export interface ModelMeasures {
  readonly trainAuc: number;
  readonly validationAuc: number;
  readonly lift: readonly DecileLift[];
  /** Validation scores, in `validationRows` order. */
  readonly validationScores: Float64Array;
}

export interface Calibration {
  readonly rulesText: string;
  /** `rulesText` read and compiled exactly as `leadscore score` reads a rules file. */
  readonly rules: ScoringModel;
  readonly drafts: readonly FitRuleDraft[];
  readonly grades: readonly Ladder[];
  readonly stages: readonly Ladder[];
  readonly design: Design;
  readonly excluded: readonly ExcludedColumn[];
  readonly model: LogisticModel;
  /** Log-odds weights relative to each column's reference (missing, else its most common value), per feature. */
  readonly weights: Float64Array;
  readonly scale: PointScale;
  readonly rowsUsed: number;
  /** Rows whose outcome cell was neither yes nor no. */
  readonly rowsSkipped: number;
  readonly trainRows: number;
  readonly validationRows: readonly DataRow[];
  readonly validationLabels: Uint8Array;
  readonly positiveRate: number;
  readonly logistic: ModelMeasures;
  /** The whole-point scores computed here; the engine must agree (the CLI checks it does). */
  readonly points: ModelMeasures;
}

function measures(
  trainScores: Float64Array,
  trainLabels: Uint8Array,
  validationScores: Float64Array,
  validationLabels: Uint8Array,
): ModelMeasures {
  return {
    trainAuc: rocAuc(trainScores, trainLabels),
    validationAuc: rocAuc(validationScores, validationLabels),
    lift: liftByDecile(validationScores, validationLabels),
    validationScores,
  };
}

export function calibrate(
  allRows: readonly DataRow[],
  columns: readonly string[],
  options: CalibrationOptions,
): Calibration {
  const progress = options.onProgress ?? (() => undefined);
  checkSettings(options);
  const minCount = options.minCount ?? DEFAULT_COLUMN_OPTIONS.minCount;
  const { rows, labels, positives } = labelRows(allRows, columns, options.outcome);
  const unknown = (options.exclude ?? []).filter((name) => !columns.includes(name));
  if (unknown.length > 0) throw new CalibrationInputError(`--exclude names no column: ${unknown.join(', ')}`);
  checkEnoughRows(options.outcome, rows.length, positives, minCount);
  const seed = options.seed ?? 1;
  const holdout = options.holdout ?? 0.25;
  const split = stratifiedSplit(labels, holdout, seed);
  checkHeldOut(split, labels, holdout);
  progress(
    `split ${rows.length} rows: ${split.train.length} to fit, ${split.validation.length} held out (seed ${seed})`,
  );

  const { plans, excluded } = planColumns(rows, split.train, columns, {
    ...DEFAULT_COLUMN_OPTIONS,
    ...Object.fromEntries(
      Object.entries({
        minCount: options.minCount,
        bins: options.bins,
        maxNumericLevels: options.maxNumericLevels,
      }).filter(([, value]) => value !== undefined),
    ),
    outcome: options.outcome,
    exclude: new Set(options.exclude ?? []),
  });
  const design = buildDesign(plans);
  if (design.features.length === 0) {
    throw new CalibrationInputError(
      `no column can be learned from in the ${split.train.length} rows fitted: ${notUsedColumns(excluded).join(', ')}; ` +
        `"constant" means that at most one value has ${minCount} (--min-count) rows: add rows or lower --min-count`,
    );
  }
  const matrix = designMatrix(design, rows);
  const train = selectRows(matrix, split.train);
  const validation = selectRows(matrix, split.validation);
  const trainLabels = Uint8Array.from(split.train, (i) => labels[i] as number);
  const validationLabels = Uint8Array.from(split.validation, (i) => labels[i] as number);
  progress(`${plans.length} columns → ${design.features.length} features; fitting logistic regression`);

  const model = fit(train, trainLabels, options.l2 ?? 1, progress);
  const counts = new Float64Array(design.features.length);
  for (let k = 0; k < train.columnIndex.length; k++) counts[train.columnIndex[k] as number]! += 1;
  const weights = relativeToReference(design, model.weights, referenceFeatures(design, counts));
  const scale = choosePointScale(weights, train, trainLabels, { maxPoints: options.maxPoints ?? 30 });
  progress(`points: ${scale.perLogOdds.toFixed(2)} per unit of log-odds`);
  const drafts = fitRuleDrafts(design, scale.points, weights, counts);
  const trainPoints = linearScores(train, scale.points);
  const logistic = measures(
    linearScores(train, weights),
    trainLabels,
    linearScores(validation, weights),
    validationLabels,
  );
  const points = measures(trainPoints, trainLabels, linearScores(validation, scale.points), validationLabels);
  const grades = quantileLadder(trainPoints, ['A', 'B', 'C', 'D'], [0.25, 0.25, 0.25]);
  const stages = quantileLadder(trainPoints, ['sales-qualified', 'marketing-qualified', 'lead'], [0.2, 0.3]);
  const name = options.name ?? `calibrated-${options.outcome.toLowerCase().replace(/[^a-z0-9]+/g, '-')}`;
  const rulesText = rulesYaml({
    name,
    description:
      `Fit points learned from "${options.outcome}" by leadscore calibrate. Columns that measure engagement ` +
      '(visits, time on site, last activity) are fit rules here because the data is a snapshot; with live ' +
      'events they belong in engagement rules.',
    header: [
      `Learned by \`leadscore calibrate\` from ${options.source ?? 'a CSV'}: outcome "${options.outcome}",`,
      `${split.train.length} rows fitted, ${split.validation.length} held out (seed ${seed}), L2 ${options.l2 ?? 1}.`,
      `Points = log-odds weight × ${scale.perLogOdds.toFixed(3)}. 0 points: a missing answer ("Select" counts as`,
      'missing), or in a column nearly every lead answers, its most common answer (missing counts like it).',
      `Held-out ROC AUC: logistic regression ${logistic.validationAuc.toFixed(4)}, these whole points ${points.validationAuc.toFixed(4)}.`,
      `Grades: quartiles of the training fit score. Stages: top 20% sales-qualified, next 30% marketing-qualified.`,
      ...notUsedLines(excluded),
    ],
    drafts,
    grades,
    stages,
  });
  return {
    rulesText,
    rules: compiled(rulesText),
    drafts,
    grades,
    stages,
    design,
    excluded,
    model,
    weights,
    scale,
    rowsUsed: rows.length,
    rowsSkipped: allRows.length - rows.length,
    trainRows: split.train.length,
    validationRows: split.validation.map((i) => rows[i] as DataRow),
    validationLabels,
    positiveRate: positives / rows.length,
    logistic,
    points,
  };
}

/** Each setting given must be in its range, as the CLI checks its options. */
function checkSettings(options: CalibrationOptions): void {
  for (const [setting, range] of Object.entries(SETTING_RANGES)) {
    const value = options[setting as SettingName];
    const problem = value === undefined ? undefined : rangeProblem(value, range);
    if (problem !== undefined) throw new CalibrationInputError(`${setting} ${problem}, got ${value}`);
  }
  const problem = options.name === undefined ? undefined : nameProblem(options.name);
  if (problem !== undefined) throw new CalibrationInputError(`the rules name ${problem}`);
}

function checkEnoughRows(outcome: string, rows: number, positives: number, minCount: number): void {
  const { rows: least, perOutcome } = MINIMUM_DATA;
  if (rows < least) {
    throw new CalibrationInputError(
      `too few rows to learn from: ${rows} with a yes/no "${outcome}", at least ${least} are needed; a ` +
        `value earns points only when ${minCount} (--min-count) of the rows fitted have it, and an AUC ` +
        'measured on a few held-out rows means nothing',
    );
  }
  if (positives < perOutcome || rows - positives < perOutcome) {
    throw new CalibrationInputError(
      `"${outcome}" needs at least ${perOutcome} converted and ${perOutcome} not converted rows ` +
        `(has ${positives} and ${rows - positives}): the fit learns from the difference between the two, ` +
        'and some of each are held out to check it',
    );
  }
}

/** Both outcomes must be among the held-out rows, for an AUC that means something. */
function checkHeldOut(split: Split, labels: Uint8Array, holdout: number): void {
  const positives = split.validation.reduce((sum, i) => sum + (labels[i] as number), 0);
  const negatives = split.validation.length - positives;
  const least = MINIMUM_DATA.heldOutPerOutcome;
  if (positives < least || negatives < least) {
    throw new CalibrationInputError(
      `--holdout ${holdout} holds out ${positives} converted and ${negatives} not converted rows; at least ` +
        `${least} of each are needed to measure the rules: raise --holdout or add rows`,
    );
  }
}

/** The regression, or a failure in words when its equations have no solution (never a pivot number). */
function fit(
  train: SparseMatrix,
  labels: Uint8Array,
  l2: number,
  progress: (message: string) => void,
): LogisticModel {
  try {
    return fitLogistic(train, labels, {
      l2,
      onIteration: (iteration, objective) =>
        progress(`  Newton iteration ${iteration}: penalized loss ${objective.toFixed(4)}`),
    });
  } catch (error) {
    if (!(error instanceof NotPositiveDefiniteError)) throw error;
    throw new CalibrationInputError(
      `the regression cannot be solved on these ${labels.length} rows (L2 ${l2}): raise --l2, add rows or ` +
        'leave out (--exclude) columns that repeat another one',
    );
  }
}

/** The rules as `leadscore score` reads them; calibrate writes only what the schema accepts. */
function compiled(rulesText: string): ScoringModel {
  const parsed = parseRulesText(rulesText);
  if (!parsed.ok)
    throw new Error(`calibrate wrote rules that do not validate:\n${parsed.problems.join('\n')}`);
  return compileRules(parsed.rules);
}

/** `Prospect ID (identifier)` for each column left out but the outcome. */
export function notUsedColumns(excluded: readonly ExcludedColumn[]): string[] {
  return excluded
    .filter((column) => column.reason !== 'outcome')
    .map((column) => `${column.name} (${column.reason})`);
}

/** The columns left out, wrapped to readable comment lines. */
function notUsedLines(excluded: readonly ExcludedColumn[]): string[] {
  const items = notUsedColumns(excluded);
  const lines: string[] = [];
  let line = 'Not used:';
  for (const [i, item] of items.entries()) {
    const text = `${item}${i === items.length - 1 ? '.' : ','}`;
    if (line.length + text.length + 1 > 100) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${text}`;
  }
  if (items.length > 0) lines.push(line);
  return lines;
}
