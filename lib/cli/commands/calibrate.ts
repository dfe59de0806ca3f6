// `leadscore calibrate`: learns whole-point fit rules from a CSV of past outcomes and checks them through the engine.
import { basename } from 'node:path';
import type { Writable } from 'node:stream';
import {
  calibrate,
  CalibrationInputError,
  evaluateRules,
  liftTable,
  MINIMUM_DATA,
  nameProblem,
  notUsedColumns,
  percent,
  readTable,
  reportHtml,
  SETTING_RANGES,
  TableHeaderError,
  type Calibration,
  type DataTable,
  type SettingName,
} from '../../calibration';
import { CsvHeaderError, CsvSyntaxError } from '../../csv';
import { rangeProblem, rangeText } from '../../number-range';
import { defineCommand } from '../command';
import { CommandFailedError, UsageError } from '../errors';
import { openInputStream, writeTextFile } from '../files';
import { LineWriter } from '../io';

/** The numeric options and the calibration setting each one sets. */
const NUMBER_OPTIONS = {
  seed: 'seed',
  holdout: 'holdout',
  l2: 'l2',
  bins: 'bins',
  'min-count': 'minCount',
  'max-points': 'maxPoints',
} as const satisfies Record<string, SettingName>;

type NumberOption = keyof typeof NUMBER_OPTIONS;

function numberOption(option: NumberOption, text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? Number.NaN : Number(text);
  const problem = rangeProblem(value, SETTING_RANGES[NUMBER_OPTIONS[option]]);
  if (problem !== undefined) throw new UsageError(`--${option} '${text}' ${problem}`);
  return value;
}

/** `0.05 to 0.5`: what `option` accepts, for its help. */
function range(option: NumberOption): string {
  return rangeText(SETTING_RANGES[NUMBER_OPTIONS[option]]);
}

/** `-` (and /dev/stdout, which a shell may hand over already redirected) means standard output. */
function isStdout(path: string): boolean {
  return path === '-' || path === '/dev/stdout';
}

/** `rules.yaml`, or `the rules to stdout`, for "Wrote …". */
function written(path: string, what: string): string {
  return isStdout(path) ? `the ${what} to stdout` : path;
}

async function writeOut(path: string, text: string, stdout: LineWriter): Promise<void> {
  // LineWriter ends the text with the line break it already has; a closed pipe (`| head`) is not an error.
  if (isStdout(path)) return stdout.write(text.replace(/\n$/, ''));
  await writeTextFile(path, text);
}

export const calibrateCommand = defineCommand({
  path: ['calibrate'],
  summary: 'Learn fit rules with whole points from past outcomes (CSV)',
  usage: '--data FILE.csv --outcome COLUMN --out rules.yaml [--exclude COL,…] [--report report.html]',
  description: [
    'Fits a regularized logistic regression on part of the rows (one-hot categories, quantile bins of',
    'numbers; `Select` and empty cells are missing), scales its weights to whole points and writes them',
    'as a rules file that `leadscore score --csv` reads. The held-out rows are then scored through the',
    'real engine with the rules as written: ROC AUC and lift by decile are printed for both. Identifiers',
    '(a distinct value on nearly every row, or a name such as Prospect ID or Lead Number) are left out',
    'automatically, and so are columns where nearly every row has the same value.',
    `It needs at least ${MINIMUM_DATA.rows} rows with a yes/no outcome, ${MINIMUM_DATA.perOutcome} of each.`,
    '`--out -` writes the rules to stdout and the summary to stderr.',
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
      description: "Where to write the rules YAML (required; '-' is stdout)",
    },
    exclude: { type: 'string', valueName: 'COL,…', description: 'Columns to leave out, comma-separated' },
    report: {
      type: 'string',
      valueName: 'FILE',
      description: "Also write an HTML report (inline SVG, no network; '-' is stdout)",
    },
    seed: {
      type: 'string',
      valueName: 'N',
      description: `Seed of the train/validation split, ${range('seed')} (default 1)`,
    },
    holdout: {
      type: 'string',
      valueName: 'SHARE',
      description: `Share of rows held out, stratified, ${range('holdout')} (default 0.25)`,
    },
    l2: {
      type: 'string',
      valueName: 'LAMBDA',
      description: `L2 penalty of the regression, ${range('l2')} (default 1)`,
    },
    bins: {
      type: 'string',
      valueName: 'N',
      description: `Quantile bins per numeric column, ${range('bins')} (default 5)`,
    },
    'min-count': {
      type: 'string',
      valueName: 'N',
      description: `Rarer values are pooled as "any other", ${range('min-count')} (default 20)`,
    },
    'max-points': {
      type: 'string',
      valueName: 'N',
      description: `About the largest |points| of a rule, ${range('max-points')} (default 30)`,
    },
    name: { type: 'string', valueName: 'NAME', description: 'The rules name (default calibrated-<outcome>)' },
  },
  positionals: { min: 0, max: 0 },
  async run({ options }, { io, now }) {
    if (options.data === undefined) throw new UsageError('missing --data FILE');
    if (options.outcome === undefined) throw new UsageError('missing --outcome COLUMN');
    if (options.out === undefined) throw new UsageError('missing --out FILE');
    const { data, outcome, out: outPath, report: reportPath } = options;
    if (reportPath !== undefined && isStdout(outPath) && isStdout(reportPath))
      throw new UsageError('--out and --report cannot both write to stdout');
    const settings = Object.fromEntries(
      (Object.keys(NUMBER_OPTIONS) as NumberOption[])
        .map((option) => [NUMBER_OPTIONS[option], numberOption(option, options[option])] as const)
        .filter(([, value]) => value !== undefined),
    );
    const nameIssue = options.name === undefined ? undefined : nameProblem(options.name);
    if (nameIssue !== undefined) throw new UsageError(`--name '${options.name}' ${nameIssue}`);
    const progress = (message: string) => io.stderr.write(`calibrate: ${message}\n`);
    const table = await readData(data, io.stderr, 'calibrate');
    progress(`read ${table.rows.length} rows, ${table.columns.length} columns from ${data}`);
    const result: Calibration = onData(data, () =>
      calibrate(table.rows, table.columns, {
        outcome,
        exclude: (options.exclude ?? '')
          .split(',')
          .map((name) => name.trim())
          .filter((name) => name !== ''),
        source: basename(data),
        ...(options.name === undefined ? {} : { name: options.name }),
        ...settings,
        onProgress: progress,
      }),
    );
    // The rules as written, through the engine: what `leadscore score` will do with the file.
    const engine = evaluateRules(result.rules, result.validationRows, result.validationLabels, {
      at: now(),
      basis: 'fit',
    });
    progress(`scored ${engine.rows} held-out rows through the engine with the rules as written`);
    const out: string[] = summary(data, outcome, result, engine.auc);
    out.push('', 'Lift by decile, held-out rows (1 = highest scores):');
    out.push(
      ...liftTable([
        { label: 'rules', lift: engine.lift },
        { label: 'LR', lift: result.logistic.lift },
      ]),
    );
    out.push(
      '',
      `Wrote ${written(outPath, 'rules')} (${result.drafts.length} fit rules, grades ${result.grades.map((g) => g.label).join('/')}, stages ${result.stages.map((s) => s.label).join('/')})`,
    );
    if (Math.abs(engine.auc - result.points.validationAuc) > 1e-9) {
      progress(
        `warning: the engine's AUC ${engine.auc} differs from the fit's own whole-point AUC ${result.points.validationAuc}`,
      );
    }
    const report =
      reportPath === undefined
        ? undefined
        : reportHtml({
            title: `Calibration report: ${result.rules.name}`,
            source: basename(data),
            outcome,
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
            notUsed: notUsedColumns(result.excluded),
          });
    const stdout = new LineWriter(io.stdout);
    await writeOut(outPath, result.rulesText, stdout);
    if (reportPath !== undefined && report !== undefined) {
      try {
        await writeOut(reportPath, report, stdout);
      } catch (error) {
        throw new CommandFailedError(`${(error as Error).message} (wrote ${written(outPath, 'rules')})`);
      }
      out.push(`Wrote ${written(reportPath, 'report')}`);
    }
    // Stdout carries the rules or the report when asked to: the summary then goes to stderr.
    const summaryStream =
      isStdout(outPath) || (reportPath !== undefined && isStdout(reportPath)) ? io.stderr : io.stdout;
    summaryStream.write(`${out.join('\n')}\n`);
    return 0;
  },
});

/** Runs a calibration step on the rows of `path`; what is wrong with them is said as `path: message`. */
export function onData<T>(path: string, step: () => T): T {
  try {
    return step();
  } catch (error) {
    if (error instanceof CalibrationInputError) throw new CommandFailedError(`${path}: ${error.message}`);
    throw error;
  }
}

/**
 * The CSV as a table. Rows that cannot be read are reported on `stderr` as `leadscore score --csv` reports
 * them (`FILE row 2 (line 3): why`, then a count) and left out; a file with no rows fails.
 */
export async function readData(path: string, stderr: Writable, command: string): Promise<DataTable> {
  let table: DataTable;
  try {
    table = await readTable(await openInputStream(path));
  } catch (error) {
    if (
      error instanceof CsvSyntaxError ||
      error instanceof CsvHeaderError ||
      error instanceof TableHeaderError
    ) {
      throw new CommandFailedError(`${path}: ${error.message}`);
    }
    throw error;
  }
  for (const { where, reason } of table.problems) stderr.write(`${path} ${where}: ${reason}\n`);
  const total = table.rows.length + table.problems.length;
  if (table.rows.length === 0) {
    throw new CommandFailedError(
      `${path}: ${total === 0 ? 'no rows after the header' : 'no row can be read (see above)'}`,
    );
  }
  if (table.problems.length > 0)
    stderr.write(`leadscore ${command}: ${table.problems.length} of ${total} rows left out (see above)\n`);
  return table;
}

function summary(data: string, outcome: string, result: Calibration, engineAuc: number): string[] {
  const used = result.design.plans.length;
  const notUsed = notUsedColumns(result.excluded);
  const largest = result.drafts.reduce((max, draft) => Math.max(max, Math.abs(draft.rule.points)), 0);
  const difference = engineAuc - result.logistic.validationAuc;
  return [
    `${basename(data)}: ${result.rowsUsed} rows with an outcome${result.rowsSkipped > 0 ? ` (${result.rowsSkipped} without, left out)` : ''}, ${percent(result.positiveRate)} "${outcome}"`,
    `  ${result.trainRows} rows fitted, ${result.validationRows.length} held out (stratified)`,
    ...wrap(`Columns: ${used} used; ${notUsed.length} not used:`, notUsed),
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
