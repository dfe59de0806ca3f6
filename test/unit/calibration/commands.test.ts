import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
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
    expect(unknown.stderr).toContain('no column "Sold"');
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
