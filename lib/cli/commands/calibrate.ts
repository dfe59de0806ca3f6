// `leadscore calibrate`: learns whole-point fit rules from a CSV of past outcomes and checks them through the engine.
import { writeFile } from 'node:fs/promises';
import { basename } from 'node:path';
import {
  calibrate,
  CalibrationInputError,
  evaluateRules,
  liftTable,
  percent,
  readTable,
  reportHtml,
  type Calibration,
} from '../../calibration';
import { CsvHeaderError, CsvSyntaxError } from '../../csv';
import { defineCommand } from '../command';
import { CommandFailedError, UsageError } from '../errors';
import { openInputStream } from '../files';
import { loadRulesFile } from '../load-rules';

function numberOption(
  name: string,
  text: string | undefined,
  check: (value: number) => boolean,
): number | undefined {
  if (text === undefined) return undefined;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value))
    throw new UsageError(`--${name} '${text}' is not valid`);
  return value;
}

async function writeOut(path: string, text: string): Promise<void> {
  try {
    await writeFile(path, text, 'utf8');
  } catch (error) {
    throw new CommandFailedError(
      `cannot write ${path}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
}

export const calibrateCommand = defineCommand({
  path: ['calibrate'],
  summary: 'Learn fit rules with whole points from past outcomes (CSV)',
  usage: '--data FILE.csv --outcome COLUMN --out rules.yaml [--exclude COL,…] [--report report.html]',
  description: [
    'Fits a regularized logistic regression on part of the rows (one-hot categories, quantile bins of',
    'numbers; `Select` and empty cells are missing), scales its weights to whole points and writes them',
    'as a rules file that `leadscore score --csv` reads. The held-out rows are then scored through the',
    'real engine from the written file: ROC AUC and lift by decile are printed for both. Identifier-like',
    'columns (a distinct value on nearly every row, e.g. Prospect ID, Lead Number) are left out',
    'automatically, and so are columns where nearly every row has the same value.',
  ].join('\n'),
  options: {
    data: { type: 'string', valueName: 'FILE', description: 'CSV with one lead per row (required)' },
    outcome: {
      type: 'string',
      valueName: 'COLUMN',
      description: 'Column saying converted: 1/0, yes/no, true/false (required)',
    },
    out: {
      type: 'string',
      short: 'o',
      valueName: 'FILE',
      description: 'Where to write the rules YAML (required)',
    },
    exclude: { type: 'string', valueName: 'COL,…', description: 'Columns to leave out, comma-separated' },
    report: {
      type: 'string',
      valueName: 'FILE',
      description: 'Also write an HTML report (inline SVG, no network)',
    },
    seed: { type: 'string', valueName: 'N', description: 'Seed of the train/validation split (default 1)' },
    holdout: {
      type: 'string',
      valueName: 'SHARE',
      description: 'Share of rows held out, stratified (default 0.25)',
    },
    l2: { type: 'string', valueName: 'LAMBDA', description: 'L2 penalty of the regression (default 1)' },
    bins: { type: 'string', valueName: 'N', description: 'Quantile bins per numeric column (default 5)' },
    'min-count': {
      type: 'string',
      valueName: 'N',
      description: 'Rarer values are pooled as "any other" (default 20)',
    },
    'max-points': {
      type: 'string',
      valueName: 'N',
      description: 'About the largest |points| of a rule (default 30)',
    },
    name: { type: 'string', valueName: 'NAME', description: 'The rules name (default calibrated-<outcome>)' },
  },
  positionals: { min: 0, max: 0 },
  async run({ options }, { io, now }) {
    if (options.data === undefined) throw new UsageError('missing --data FILE');
    if (options.outcome === undefined) throw new UsageError('missing --outcome COLUMN');
    if (options.out === undefined) throw new UsageError('missing --out FILE');
    const integer = (value: number) => Number.isInteger(value) && value > 0;
    const settings = {
      seed: numberOption('seed', options.seed, Number.isInteger),
      holdout: numberOption('holdout', options.holdout, (value) => value > 0 && value < 1),
      l2: numberOption('l2', options.l2, (value) => value > 0),
      bins: numberOption('bins', options.bins, (value) => integer(value) && value >= 2),
      minCount: numberOption('min-count', options['min-count'], integer),
      maxPoints: numberOption('max-points', options['max-points'], integer),
    };
    const progress = (message: string) => io.stderr.write(`calibrate: ${message}\n`);
    const table = await readData(options.data);
    progress(`read ${table.rows.length} rows, ${table.columns.length} columns from ${options.data}`);
    let result: Calibration;
    try {
      result = calibrate(table.rows, table.columns, {
        outcome: options.outcome,
        exclude: (options.exclude ?? '')
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== ''),
        source: basename(options.data),
        ...(options.name === undefined ? {} : { name: options.name }),
        ...Object.fromEntries(Object.entries(settings).filter(([, value]) => value !== undefined)),
        onProgress: progress,
      });
    } catch (error) {
      if (error instanceof CalibrationInputError)
        throw new CommandFailedError(`${options.data}: ${error.message}`);
      throw error;
    }
    await writeOut(options.out, result.rulesText);
    // The file as written, through the engine: what `leadscore score` will do with it.
    const model = await loadRulesFile(options.out);
    const engine = evaluateRules(model, result.validationRows, result.validationLabels, {
      at: now(),
      basis: 'fit',
    });
    progress(`scored ${engine.rows} held-out rows with ${options.out} through the engine`);
    const out: string[] = summary(options.data, options.outcome, result, engine.auc);
    out.push('', 'Lift by decile, held-out rows (1 = highest scores):');
    out.push(
      ...liftTable([
        { label: 'rules', lift: engine.lift },
        { label: 'LR', lift: result.logistic.lift },
      ]),
    );
    out.push(
      '',
      `Wrote ${options.out} (${result.drafts.length} fit rules, grades ${result.grades.map((g) => g.label).join('/')}, stages ${result.stages.map((s) => s.label).join('/')})`,
    );
    if (Math.abs(engine.auc - result.points.validationAuc) > 1e-9) {
      progress(
        `warning: the engine's AUC ${engine.auc} differs from the fit's own whole-point AUC ${result.points.validationAuc}`,
      );
    }
    if (options.report !== undefined) {
      await writeOut(
        options.report,
        reportHtml({
          title: `Calibration report: ${model.name}`,
          source: basename(options.data),
          outcome: options.outcome,
          generatedAt: now(),
          trainRows: result.trainRows,
          validationRows: result.validationRows.length,
          positiveRate: result.positiveRate,
          logisticAuc: result.logistic.validationAuc,
          rulesAuc: engine.auc,
          perLogOdds: result.scale.perLogOdds,
          scores: engine.scores,
          labels: result.validationLabels,
          rulesLift: engine.lift,
          logisticLift: result.logistic.lift,
          rules: result.drafts.map((draft) => ({
            id: draft.rule.id,
            points: draft.rule.points,
            count: draft.count,
          })),
          notUsed: result.excluded
            .filter((column) => column.reason !== 'outcome')
            .map((column) => `${column.name} (${column.reason})`),
        }),
      );
      out.push(`Wrote ${options.report}`);
    }
    io.stdout.write(`${out.join('\n')}\n`);
    return 0;
  },
});

export async function readData(path: string) {
  try {
    return await readTable(await openInputStream(path));
  } catch (error) {
    if (
      error instanceof CsvSyntaxError ||
      error instanceof CsvHeaderError ||
      (error as Error).name === 'TableHeaderError'
    ) {
      throw new CommandFailedError(`${path}: ${(error as Error).message}`);
    }
    throw error;
  }
}

function summary(data: string, outcome: string, result: Calibration, engineAuc: number): string[] {
  const used = result.design.plans.length;
  const notUsed = result.excluded.filter((column) => column.reason !== 'outcome');
  const largest = result.drafts.reduce((max, draft) => Math.max(max, Math.abs(draft.rule.points)), 0);
  const difference = engineAuc - result.logistic.validationAuc;
  return [
    `${basename(data)}: ${result.rowsUsed} rows with an outcome${result.rowsSkipped > 0 ? ` (${result.rowsSkipped} without, left out)` : ''}, ${percent(result.positiveRate)} "${outcome}"`,
    `  ${result.trainRows} rows fitted, ${result.validationRows.length} held out (stratified)`,
    ...wrap(
      `Columns: ${used} used; ${notUsed.length} not used:`,
      notUsed.map((column) => `${column.name} (${column.reason})`),
    ),
    `Model: ${result.design.features.length} features, L2 logistic regression, ${result.model.converged ? 'converged' : 'stopped'} after ${result.model.iterations} Newton iterations`,
    `Points: ${result.scale.perLogOdds.toFixed(2)} per unit of log-odds (largest |points| ${largest})`,
    '',
    'ROC AUC on the held-out rows:',
    `  logistic regression, all weights   ${result.logistic.validationAuc.toFixed(4)}`,
    `  whole-point rules (engine)         ${engineAuc.toFixed(4)}  (${difference >= 0 ? '+' : ''}${difference.toFixed(4)})`,
  ];
}

/** "head item, item, …" over lines of at most 100 characters, continuation lines indented. */
function wrap(head: string, items: readonly string[]): string[] {
  if (items.length === 0) return [`${head} none`];
  const lines: string[] = [];
  let line = head;
  items.forEach((item, i) => {
    const text = `${item}${i < items.length - 1 ? ',' : ''}`;
    if (line.length + text.length + 1 > 100) {
      lines.push(line);
      line = ' ';
    }
    line += ` ${text}`;
  });
  return [...lines, line];
}
