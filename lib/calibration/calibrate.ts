/**
 * Calibration from outcomes: split rows (stratified, seeded), plan columns and features on the training
 * part, fit an L2 logistic regression, scale its weights to whole points, and write them as fit rules
 * with grades and stages at score quantiles. Pure: rows in, rules text and measurements out.
 */
import {
  DEFAULT_COLUMN_OPTIONS,
  planColumns,
  type ColumnOptions,
  type DataRow,
  type ExcludedColumn,
} from './columns';
import { buildDesign, designMatrix, referenceFeatures, relativeToReference, type Design } from './features';
import { fitRuleDrafts, type FitRuleDraft } from './fit-rules';
import { fitLogistic, type LogisticModel } from './logistic-regression';
import { liftByDecile, rocAuc, type DecileLift } from './metrics';
import { outcomeLabel } from './outcome';
import { choosePointScale, type PointScale } from './points';
import { stratifiedSplit } from './random';
import { quantileLadder, rulesYaml, type Ladder } from './rules-yaml';
import { linearScores, selectRows } from './sparse-matrix';

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

export class CalibrationInputError extends Error {
  override readonly name = 'CalibrationInputError';
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
  if (!columns.includes(options.outcome)) {
    throw new CalibrationInputError(`no column "${options.outcome}" (columns: ${columns.join(', ')})`);
  }
  const unknown = (options.exclude ?? []).filter((name) => !columns.includes(name));
  if (unknown.length > 0) throw new CalibrationInputError(`--exclude names no column: ${unknown.join(', ')}`);
  const rows: DataRow[] = [];
  const labelList: number[] = [];
  for (const row of allRows) {
    const label = outcomeLabel(row[options.outcome]);
    if (label === undefined) continue;
    rows.push(row);
    labelList.push(label);
  }
  const labels = Uint8Array.from(labelList);
  const positives = labelList.reduce((sum, label) => sum + label, 0);
  if (positives < 5 || rows.length - positives < 5) {
    throw new CalibrationInputError(
      `"${options.outcome}" needs at least 5 converted and 5 other rows (has ${positives} and ${rows.length - positives})`,
    );
  }
  const seed = options.seed ?? 1;
  const holdout = options.holdout ?? 0.25;
  const split = stratifiedSplit(labels, holdout, seed);
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
  const matrix = designMatrix(design, rows);
  const train = selectRows(matrix, split.train);
  const validation = selectRows(matrix, split.validation);
  const trainLabels = Uint8Array.from(split.train, (i) => labels[i] as number);
  const validationLabels = Uint8Array.from(split.validation, (i) => labels[i] as number);
  progress(`${plans.length} columns → ${design.features.length} features; fitting logistic regression`);

  const model = fitLogistic(train, trainLabels, {
    l2: options.l2 ?? 1,
    onIteration: (iteration, objective) =>
      progress(`  Newton iteration ${iteration}: penalized loss ${objective.toFixed(4)}`),
  });
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

/** The columns left out, wrapped to readable comment lines. */
function notUsedLines(excluded: readonly ExcludedColumn[]): string[] {
  const items = excluded
    .filter((column) => column.reason !== 'outcome')
    .map((column) => `${column.name} (${column.reason})`);
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
