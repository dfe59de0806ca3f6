// `leadscore evaluate`: how well any rules file ranks past outcomes (AUC, lift by decile, conversion per grade and stage).
import { basename } from 'node:path';
import { evaluateRules, labelRows, liftTable, percent, ratesTable } from '../../calibration';
import { defineCommand } from '../command';
import { UsageError } from '../errors';
import { ISO_EXAMPLE, parseIsoInstant } from '../iso-time';
import { loadRulesFile, RULES_FILE_OPTION } from '../load-rules';
import { onData, readData } from './calibrate';

export const evaluateCommand = defineCommand({
  path: ['evaluate'],
  summary: 'Measure a rules file against past outcomes (CSV rows as profiles)',
  usage: '--rules FILE --data FILE.csv --outcome COLUMN [--by score|fit] [--at ISO]',
  description: [
    'Scores every row (its cells are the profile; rows carry no events) and prints the ROC AUC, the',
    'lift by decile and the conversion rate per grade and per stage. Rows whose outcome is neither',
    'yes nor no (1/0, true/false) are left out and counted; so are rows with more cells than the header,',
    'each reported on stderr as `leadscore score --csv` reports it.',
  ].join('\n'),
  options: {
    rules: RULES_FILE_OPTION,
    data: { type: 'string', valueName: 'FILE', description: 'CSV with one lead per row (required)' },
    outcome: { type: 'string', valueName: 'COLUMN', description: 'Column saying converted (required)' },
    by: {
      type: 'string',
      valueName: 'score|fit',
      description: 'Rank by the final score (default) or the fit',
    },
    at: { type: 'string', valueName: 'ISO', description: `Scoring time, e.g. ${ISO_EXAMPLE} (default: now)` },
  },
  positionals: { min: 0, max: 0 },
  async run({ options }, { io, now }) {
    if (options.rules === undefined) throw new UsageError('missing --rules FILE');
    if (options.data === undefined) throw new UsageError('missing --data FILE');
    if (options.outcome === undefined) throw new UsageError('missing --outcome COLUMN');
    const basis = options.by ?? 'score';
    if (basis !== 'score' && basis !== 'fit') throw new UsageError(`--by '${basis}' must be score or fit`);
    const at = options.at === undefined ? now() : parseIsoInstant(options.at);
    if (at === undefined) throw new UsageError(`--at '${options.at}' is not an ISO 8601 time with a zone`);
    const model = await loadRulesFile(options.rules);
    const table = await readData(options.data, io.stderr, 'evaluate');
    const outcome = options.outcome;
    const { rows, labels, skipped } = onData(options.data, () =>
      labelRows(table.rows, table.columns, outcome),
    );
    const result = evaluateRules(model, rows, labels, { at, basis });
    io.stdout.write(
      [
        `${basename(options.rules)} on ${basename(options.data)}: ${rows.length} rows${skipped > 0 ? ` (${skipped} without an outcome, left out)` : ''}, ${percent(result.positives / rows.length)} "${options.outcome}"`,
        `ROC AUC by ${basis}: ${Number.isNaN(result.auc) ? 'n/a (one outcome only)' : result.auc.toFixed(4)}`,
        '',
        'Lift by decile (1 = highest scores):',
        ...liftTable([{ label: basis, lift: result.lift }]),
        '',
        'Conversion by grade:',
        ...ratesTable('grade', result.grades),
        '',
        'Conversion by stage:',
        ...ratesTable('stage', result.stages),
      ].join('\n') + '\n',
    );
    return 0;
  },
});
