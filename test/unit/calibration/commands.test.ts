import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { seededRandom } from '../../../lib/calibration/random';
import { parseRulesText } from '../../../lib/scoring';
import { runCli } from '../cli/run-cli';

/** A small CSV where Plan and Seats decide conversion, with an id column and "Select" answers. */
function writeCsv(path: string, rows: number): void {
  const random = seededRandom(5);
  const lines = ['id,Plan,Seats,Region,Won'];
  for (let i = 0; i < rows; i++) {
    const plan = ['Free', 'Pro', 'Team', 'Select'][Math.floor(random() * 4)] as string;
    const seats = Math.floor(random() * 50);
    const region = random() < 0.5 ? 'EU' : 'US';
    const chance = 0.1 + (plan === 'Team' ? 0.5 : plan === 'Pro' ? 0.25 : 0) + (seats > 25 ? 0.2 : 0);
    lines.push(`${1000 + i},${plan},${seats},${region},${random() < chance ? 'yes' : 'no'}`);
  }
  writeFileSync(path, `${lines.join('\n')}\n`);
}

describe('leadscore calibrate and evaluate', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadscore-calibrate-'));
  const csv = join(dir, 'leads.csv');
  const rules = join(dir, 'rules.yaml');
  const report = join(dir, 'report.html');
  writeCsv(csv, 800);

  it('writes valid rules and a report, printing both AUCs and the lift table', async () => {
    const run = await runCli([
      'calibrate',
      '--data',
      csv,
      '--outcome',
      'Won',
      '--out',
      rules,
      '--report',
      report,
    ]);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/logistic regression, all weights\s+0\.\d{4}/);
    expect(run.stdout).toMatch(/whole-point rules \(engine\)\s+0\.\d{4}/);
    expect(run.stdout).toContain('Lift by decile');
    expect(run.stdout).toContain('id (identifier)');
    expect(run.stderr).toContain('calibrate: split 800 rows: 600 to fit, 200 held out (seed 1)');
    expect(parseRulesText(readFileSync(rules, 'utf8')).ok).toBe(true);
    expect(readFileSync(report, 'utf8')).toContain('<svg');
  });

  it('evaluates a rules file: AUC, lift, conversion per grade and stage', async () => {
    await runCli(['calibrate', '--data', csv, '--outcome', 'Won', '--out', rules]);

    const run = await runCli(['evaluate', '--rules', rules, '--data', csv, '--outcome', 'Won']);

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ROC AUC by score: 0\.\d{4}/);
    expect(run.stdout).toMatch(/Conversion by grade:\n\s+grade\s+leads\s+converted\s+rate\n\s+A\s/);
    expect(run.stdout).toContain('Conversion by stage:');
    expect(run.stdout).toContain('sales-qualified');
  });

  it('says which option is missing or wrong, and names an unknown outcome column', async () => {
    expect((await runCli(['calibrate', '--data', csv, '--out', rules])).stderr).toContain(
      'missing --outcome COLUMN',
    );
    expect(
      (await runCli(['calibrate', '--data', csv, '--outcome', 'Won', '--out', rules, '--holdout', '2'])).code,
    ).toBe(2);
    const unknown = await runCli(['calibrate', '--data', csv, '--outcome', 'Sold', '--out', rules]);
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no column "Sold" (columns: id, Plan, Seats, Region, Won)');
    const missing = await runCli([
      'evaluate',
      '--rules',
      rules,
      '--data',
      join(dir, 'nope.csv'),
      '--outcome',
      'Won',
    ]);
    expect(missing.stderr).toContain('no such file');
  });
});

describe('leadscore calibrate and evaluate: what they refuse, and how they say it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'leadscore-calibrate-refuse-'));
  const csv = join(dir, 'leads.csv');
  writeCsv(csv, 800);
  const lines = readFileSync(csv, 'utf8').split('\n');
  const calibrateArgs = (out: string, ...more: string[]) => [
    'calibrate',
    '--data',
    csv,
    '--outcome',
    'Won',
    '--out',
    out,
    ...more,
  ];
  /** Exit code and the one message line, which must never be an internal error. */
  const failure = async (argv: readonly string[]) => {
    const run = await runCli(argv);
    expect(run.stderr).not.toContain('unexpected error');
    expect(run.stderr).not.toMatch(/\n\s+at /);
    return { code: run.code, message: run.stderr.split('\n').find((line) => line.startsWith('leadscore')) };
  };

  it('numeric options outside their range: a usage error that gives the range', async () => {
    const out = join(dir, 'range.yaml');
    const cases = [
      ['--holdout', '0.9999', "--holdout '0.9999' must be a number from 0.05 to 0.5"],
      ['--holdout', '0', "--holdout '0' must be a number from 0.05 to 0.5"],
      ['--l2', '0', "--l2 '0' must be a number from 0.001 to 1000"],
      ['--bins', '1', "--bins '1' must be a whole number from 2 to 50"],
      ['--min-count', '0', "--min-count '0' must be a whole number from 1 to 1000000"],
      ['--max-points', '1e12', "--max-points '1e12' must be a whole number from 1 to 1000"],
      ['--seed', 'x', "--seed 'x' must be a whole number from 0 to 4294967295"],
    ];

    for (const [option, value, message] of cases as [string, string, string][]) {
      expect(await failure(calibrateArgs(out, option, value))).toEqual({
        code: 2,
        message: `leadscore calibrate: ${message}`,
      });
    }
    expect(existsSync(out)).toBe(false);
    expect((await runCli(['calibrate', '--help'])).stdout).toContain(
      'stratified, 0.05 to 0.5 (default 0.25)',
    );
  });

  it('an empty --name before reading anything, and no file is left behind', async () => {
    const out = join(dir, 'unnamed.yaml');

    expect(await failure(calibrateArgs(out, '--name', ''))).toEqual({
      code: 2,
      message: "leadscore calibrate: --name '' must not be empty",
    });
    expect(existsSync(out)).toBe(false);
  });

  it('a file too small to learn from: says the minimum and why, writes nothing', async () => {
    for (const rows of [15, 30]) {
      const small = join(dir, `small-${rows}.csv`);
      writeFileSync(small, `${lines.slice(0, rows + 1).join('\n')}\n`);
      const out = join(dir, `small-${rows}.yaml`);

      const { code, message } = await failure([
        'calibrate',
        '--data',
        small,
        '--outcome',
        'Won',
        '--out',
        out,
      ]);

      expect(code).toBe(1);
      expect(message).toBe(
        `leadscore calibrate: ${small}: too few rows to learn from: ${rows} with a yes/no "Won", at least 100 ` +
          'are needed; a value earns points only when 20 (--min-count) of the rows fitted have it, and an AUC ' +
          'measured on a few held-out rows means nothing',
      );
      expect(existsSync(out)).toBe(false);
    }
  });

  it('--out - writes the rules to stdout and the summary to stderr, and creates no file named -', async () => {
    const run = await runCli(calibrateArgs('-'));

    expect(run.code).toBe(0);
    expect(parseRulesText(run.stdout).ok).toBe(true);
    expect(run.stdout).not.toContain('ROC AUC on the held-out rows');
    expect(run.stderr).toContain('ROC AUC on the held-out rows:');
    expect(run.stderr).toMatch(/\nWrote the rules to stdout \(\d+ fit rules, grades A\/B\/C\/D/);
    expect(existsSync(join(process.cwd(), '-'))).toBe(false);
  });

  it('--out /dev/stdout is stdout too: the rules alone, never read back', async () => {
    const run = await runCli(calibrateArgs('/dev/stdout'));

    expect(run.code).toBe(0);
    expect(run.stdout).toBe((await runCli(calibrateArgs('-'))).stdout);
    expect(run.stderr).toContain('Wrote the rules to stdout');
  });

  it('write failures in words: a missing directory, a directory', async () => {
    const missing = join(dir, 'no-such-dir', 'rules.yaml');
    const directory = join(dir, 'a-directory');
    mkdirSync(directory);

    expect(await failure(calibrateArgs(missing))).toEqual({
      code: 1,
      message: `leadscore calibrate: cannot write ${missing}: directory ${join(dir, 'no-such-dir')} does not exist`,
    });
    expect(await failure(calibrateArgs(directory))).toEqual({
      code: 1,
      message: `leadscore calibrate: cannot write ${directory}: it is a directory`,
    });
    const rules = join(dir, 'written.yaml');
    expect(await failure(calibrateArgs(rules, '--report', missing))).toEqual({
      code: 1,
      message:
        `leadscore calibrate: cannot write ${missing}: directory ${join(dir, 'no-such-dir')} does not exist ` +
        `(wrote ${rules})`,
    });
  });

  it('an outcome column that is not yes/no: names its values and what is accepted', async () => {
    const expected =
      `${csv}: no value of "Region" reads as yes/no (seen "EU", "US"): converted is 1, true, yes, y, ` +
      'converted or won, not converted is 0, false, no, n, not converted or lost (any case); is it the right column?';
    const rules = join(dir, 'region.yaml');

    expect(await failure(['calibrate', '--data', csv, '--outcome', 'Region', '--out', rules])).toEqual({
      code: 1,
      message: `leadscore calibrate: ${expected}`,
    });
    await runCli(calibrateArgs(rules));
    expect(await failure(['evaluate', '--rules', rules, '--data', csv, '--outcome', 'Region'])).toEqual({
      code: 1,
      message: `leadscore evaluate: ${expected}`,
    });
  });

  it('evaluate lists the columns when the outcome column is missing', async () => {
    const rules = join(dir, 'evaluate.yaml');
    await runCli(calibrateArgs(rules));

    expect(await failure(['evaluate', '--rules', rules, '--data', csv, '--outcome', 'won'])).toEqual({
      code: 1,
      message: `leadscore evaluate: ${csv}: no column "won"; did you mean "Won"? (columns: id, Plan, Seats, Region, Won)`,
    });
  });

  it('an empty file says so; a header alone says there are no rows', async () => {
    const empty = join(dir, 'empty.csv');
    const headerOnly = join(dir, 'header-only.csv');
    writeFileSync(empty, '');
    writeFileSync(headerOnly, `${lines[0]}\n`);
    const rules = join(dir, 'empty.yaml');

    expect(await failure(['calibrate', '--data', empty, '--outcome', 'Won', '--out', rules])).toEqual({
      code: 1,
      message: `leadscore calibrate: ${empty}: the file is empty (expected a header row, then one lead per row)`,
    });
    expect(await failure(['calibrate', '--data', headerOnly, '--outcome', 'Won', '--out', rules])).toEqual({
      code: 1,
      message: `leadscore calibrate: ${headerOnly}: no rows after the header`,
    });
    await runCli(calibrateArgs(rules));
    expect(await failure(['evaluate', '--rules', rules, '--data', empty, '--outcome', 'Won'])).toEqual({
      code: 1,
      message: `leadscore evaluate: ${empty}: the file is empty (expected a header row, then one lead per row)`,
    });
  });

  it('reports a row with more cells than the header as score --csv does, and leaves it out', async () => {
    const ragged = join(dir, 'ragged.csv');
    writeFileSync(ragged, lines.map((line, i) => (i === 3 ? `${line},extra` : line)).join('\n'));
    const rules = join(dir, 'ragged.yaml');
    const report = `${ragged} row 3 (line 4): 1 more cell(s) than the header has columns\n`;

    const calibrated = await runCli(['calibrate', '--data', ragged, '--outcome', 'Won', '--out', rules]);
    const evaluated = await runCli(['evaluate', '--rules', rules, '--data', ragged, '--outcome', 'Won']);
    const scored = await runCli(['score', '--rules', rules, '--csv', ragged]);

    expect(scored.stderr).toContain(report);
    expect(calibrated.code).toBe(0);
    expect(calibrated.stderr).toContain(`${report}leadscore calibrate: 1 of 800 rows left out (see above)\n`);
    expect(calibrated.stdout).toContain('ragged.csv: 799 rows with an outcome');
    expect(evaluated.code).toBe(0);
    expect(evaluated.stderr).toBe(`${report}leadscore evaluate: 1 of 800 rows left out (see above)\n`);
    expect(evaluated.stdout).toContain('ragged.csv: 799 rows');
  });
});
