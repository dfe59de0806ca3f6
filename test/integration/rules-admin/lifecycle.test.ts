// The rules lifecycle through the `leadscore` CLI against DynamoDB Local: push, list, show, diff, activate,
// rollback, simulate on stored leads, and a full rescore.
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DynamoDbLeadStore } from '../../../lib/adapters/dynamodb-lead-store';
import { DynamoDbRuleStore } from '../../../lib/adapters/dynamodb-rule-store';
import { createTestTables, type TestTables } from '../../support/dynamodb';
import { startSqsEmulator, type SqsEmulator } from '../../support/sqs-emulator';
import { runCli } from '../../unit/cli/run-cli';
import { FIXTURES, SIMULATION_LEADS } from '../../unit/rules-admin/simulation-leads';

const ACTIVE = join(FIXTURES, 'active.yaml');
const CANDIDATE = join(FIXTURES, 'candidate.yaml');
const AT = '2024-06-01T00:00:00Z';
const ENV_KEYS = [
  'CONFIG_TABLE',
  'LEADS_TABLE',
  'RULESET_NAME',
  'AWS_ENDPOINT_URL_DYNAMODB',
  'AWS_ENDPOINT_URL_SQS',
  'WRITEBACK_QUEUE_URL',
  'LEADSCORE_USER',
  'AWS_REGION',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
] as const;

describe('leadscore rules … on DynamoDB Local', () => {
  let tables: TestTables;
  let sqs: SqsEmulator;
  const saved = Object.fromEntries(ENV_KEYS.map((key) => [key, process.env[key]]));
  const cli = (...argv: string[]) => runCli(argv, { now: new Date(AT) });

  beforeAll(async () => {
    [tables, sqs] = await Promise.all([createTestTables(), startSqsEmulator()]);
    Object.assign(process.env, {
      CONFIG_TABLE: tables.configTable,
      LEADS_TABLE: tables.leadsTable,
      AWS_ENDPOINT_URL_DYNAMODB: tables.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      WRITEBACK_QUEUE_URL: await sqs.createQueue(`writeback-${tables.leadsTable}`),
      LEADSCORE_USER: 'kim',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
    });
    delete process.env.RULESET_NAME;
    const store = new DynamoDbLeadStore(tables.documents, tables.leadsTable);
    await Promise.all(SIMULATION_LEADS.map((lead) => store.save({ leads: [lead] })));
  });

  afterAll(async () => {
    for (const key of ENV_KEYS) {
      if (saved[key] === undefined) delete process.env[key];
      else process.env[key] = saved[key];
    }
    tables.client.destroy();
    await sqs.stop();
  });

  it('names the missing variable', async () => {
    const table = process.env.CONFIG_TABLE;
    delete process.env.CONFIG_TABLE;
    try {
      const run = await cli('rules', 'list');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('CONFIG_TABLE: required but not set');
    } finally {
      process.env.CONFIG_TABLE = table;
    }
  });

  it('refuses an invalid file with every problem, and stores nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'leadscore-rules-'));
    const bad = join(dir, 'bad.yaml');
    writeFileSync(bad, 'name: x\nfit:\n  - { id: a, field: f, equals: 1, pointz: 3 }\n');

    const run = await cli('rules', 'push', bad);

    expect(run.code).toBe(1);
    expect(run.stdout).toBe('');
    expect(run.stderr).toContain('fit[0].pointz: unknown key (did you mean points?)\n');
    expect(run.stderr).toContain(`${bad}: invalid (2 problems), not pushed\n`);
    expect(await new DynamoDbRuleStore(tables.documents, tables.configTable).listVersions()).toEqual([]);
  });

  it('pushes, lists, shows, diffs, activates and rolls back versions', async () => {
    const first = await cli('rules', 'push', ACTIVE, '--activate', '--note', 'titles first');
    expect(first).toMatchObject({ code: 0, stderr: '' });
    expect(first.stdout).toBe(`pushed ${ACTIVE} as rules "default" version 1\nversion 1 is now active\n`);
    const second = await cli('rules', 'push', CANDIDATE, '-m', 'company size counts');
    expect(second.stdout).toBe(`pushed ${CANDIDATE} as rules "default" version 2\n`);

    const list = await cli('rules', 'list');
    expect(list.stdout.split('\n').slice(0, 3)).toEqual([
      '  VERSION  CREATED               BY   NOTE',
      '        2  2024-06-01 00:00:00Z  kim  company size counts',
      '*       1  2024-06-01 00:00:00Z  kim  titles first',
    ]);

    const diff = await cli('rules', 'diff', '1', '2');
    expect(diff.stdout).toBe(
      [
        'v1 → v2',
        'fit:',
        '  ~ title-exec  points: 40 → 20',
        '  + big-company  {field: "numberofemployees", gte: 1000, points: 30}',
        'stages: marketing-qualified min 30 → min 40',
        '',
      ].join('\n'),
    );
    expect((await cli('rules', 'diff', 'active', ACTIVE)).stdout).toBe(
      `active (v1) → ${ACTIVE}\nno differences\n`,
    );

    const shown = await cli('rules', 'show');
    expect(shown.stdout.split('\n').slice(0, 8)).toEqual([
      '# rules "default" version 1 (active), pushed 2024-06-01T00:00:00.000Z by kim',
      '# note: titles first',
      'name: default',
      'fit:',
      '  - id: title-exec',
      '    field: jobtitle',
      '    equals: VP',
      '    points: 40',
    ]);

    expect((await cli('rules', 'activate', '2')).stdout).toBe(
      'version 2 of rules "default" is now active (was 1)\n',
    );
    expect((await cli('rules', 'rollback')).stdout).toBe('rolled back: version 1 is active again (was 2)\n');
    expect((await cli('rules', 'show')).stdout).toContain('version 1 (active)');
    expect((await cli('rules', 'show', 'active')).stdout).toBe((await cli('rules', 'show', '1')).stdout);
    const missing = await cli('rules', 'activate', '7');
    expect(missing).toMatchObject({ code: 1 });
    expect(missing.stderr).toContain('rules "default" have no version 7');
  });

  it('says there is nothing to roll back to when no version was active before', async () => {
    process.env.RULESET_NAME = 'emea';
    try {
      await cli('rules', 'push', ACTIVE, '--activate');
      const run = await cli('rules', 'rollback');
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('no version was active before 1, so there is nothing to roll back to');
    } finally {
      delete process.env.RULESET_NAME;
    }
  });

  it('activates the active version as a no-op that keeps what rollback returns to', async () => {
    process.env.RULESET_NAME = 'again';
    try {
      await cli('rules', 'push', ACTIVE, '--activate');
      await cli('rules', 'push', CANDIDATE, '--activate');

      const again = await cli('rules', 'activate', '2');

      expect(again).toEqual({
        code: 0,
        stdout: 'version 2 of rules "again" is already active\n',
        stderr: '',
      });
      expect((await cli('rules', 'list')).stdout).toContain('; rollback would return to 1\n');
      expect((await cli('rules', 'rollback')).stdout).toBe(
        'rolled back: version 1 is active again (was 2)\n',
      );
    } finally {
      delete process.env.RULESET_NAME;
    }
  });

  it('simulates the candidate on every stored lead (matrices counted by hand)', async () => {
    const run = await cli(
      'rules',
      'simulate',
      CANDIDATE,
      '--at',
      AT,
      '--json',
      '--top',
      '2',
      '--segments',
      '2',
    );

    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout);
    expect(report).toMatchObject({
      active: 'active (v1)',
      candidate: CANDIDATE,
      leads: 5,
      skipped: 1,
      scoreChanged: 4,
    });
    // See test/unit/rules-admin/simulation-leads.ts for each lead's before and after.
    expect(report.grades.counts).toEqual([
      [1, 2, 0],
      [0, 0, 0],
      [0, 1, 1],
    ]);
    expect(report.stages.counts).toEqual([
      [0, 1, 0],
      [0, 1, 1],
      [0, 0, 2],
    ]);
    expect(report.crossings).toEqual([
      { stage: 'sales-qualified', min: 60, up: 0, down: 1 },
      { stage: 'marketing-qualified', min: 40, up: 0, down: 1 },
    ]);
    expect(report.movers.map((mover: { leadId: string }) => mover.leadId)).toEqual([
      'hubspot:contact:3',
      'hubspot:contact:1',
    ]);

    const text = await cli('rules', 'simulate', '2', '--at', AT);
    expect(text.stdout).toContain('Simulated 5 active leads at 2024-06-01T00:00:00.000Z: active (v1) → v2');
    expect(text.stdout).toContain('sales-qualified (min 60): 0 cross up, 1 cross down');
  });

  it('rescores every lead with a given version and reports the job', async () => {
    const run = await cli('rescore', '--version', '2', '--segments', '2');

    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^rescore job \d{8}T\d{6}Z-[0-9a-f]{4} \(version 2\): 6 leads read, 5 rescored, 0 already up to date, 1 not active \(merged, deleted or erased\), /,
    );
    expect(run.stderr).toContain('rescore: [########################] 100%');
    const lead = (
      await new DynamoDbLeadStore(tables.documents, tables.leadsTable).getLeads(['hubspot:contact:3'])
    ).get('hubspot:contact:3');
    // Engineer at 2000 people under the candidate: big-company 30 = grade B (≥ 20), stage lead (< 40).
    expect(lead?.score).toMatchObject({ score: 30, grade: 'B', stage: 'lead', rulesVersion: 2 });
    expect(run.stderr).toContain('version 2 is not the active one (1)');
  });
});
