// `leadscore score`: JSON Lines and CSV in, one JSON result per lead out, bad lines reported without losing good ones.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../../lib/cli/main';
import { runCli } from './run-cli';

// Small enough to score by hand: no decay, so every counted event is worth its full points.
const RULES = `
name: score-test
fit:
  - { id: title-exec, field: jobtitle, matches: "\\\\b(vp|chief)\\\\b", points: 20 }
  - { id: free-email, field: email, endsWith: ["@gmail.com"], points: -10 }
  - { id: big, field: numberofemployees, gte: 1000, points: 5 }
engagement:
  - { id: email-open, event: email.opened, points: 5, within: 30d }
limits: { min: 0, max: 100 }
grades:
  - { grade: A, min: 20 }
  - { grade: B }
stages:
  - { stage: mql, min: 25 }
  - { stage: lead }
`;

const AT = '2024-06-01T00:00:00Z';
const opened = (id: string, occurredAt: string) => ({ id, type: 'email.opened', occurredAt });

const LEAD_A = {
  id: 'a',
  profile: { jobtitle: 'VP Sales', email: 'a@corp.com' },
  events: [
    opened('e1', '2024-05-25T00:00:00Z'), // 7 days before AT: counts
    opened('e2', '2024-05-30T00:00:00Z'), // counts
    opened('e3', '2024-04-01T00:00:00Z'), // 61 days before AT: outside `within: 30d`
    { id: 'e4', type: 'page.viewed', occurredAt: '2024-05-31T00:00:00Z', url: '/pricing' }, // no rule
  ],
};
const LEAD_B = { id: 'b', profile: { jobtitle: 'Engineer', email: 'b@gmail.com' }, events: [] };

// fit 20 + engagement 2 × 5 = 30.
const RESULT_A = {
  id: 'a',
  score: 30,
  fit: 20,
  engagement: 10,
  grade: 'A',
  stage: 'mql',
  reasons: [
    { rule: 'title-exec', points: 20 },
    { rule: 'email-open', points: 10 },
  ],
};
// fit -10 clamps to the minimum 0.
const RESULT_B = {
  id: 'b',
  score: 0,
  fit: -10,
  engagement: 0,
  grade: 'B',
  stage: 'lead',
  reasons: [{ rule: 'free-email', points: -10 }],
};

const jsonLines = (...values: unknown[]) => values.map((value) => JSON.stringify(value)).join('\n') + '\n';
const parseLines = (text: string): unknown[] =>
  text
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as unknown);

describe('leadscore score', () => {
  let dir: string;
  let rules: string;
  const file = (name: string) => join(dir, name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadscore-score-'));
    rules = file('rules.yaml');
    writeFileSync(rules, RULES);
    writeFileSync(file('leads.jsonl'), jsonLines(LEAD_B, LEAD_A));
    writeFileSync(
      file('broken-rules.yaml'),
      'name: x\nfit:\n  - { id: t, field: a, equals: b, points: many }\n',
    );
    writeFileSync(
      file('leads.csv'),
      '\uFEFFid,jobtitle,email,numberofemployees\r\nc-1,Chief Executive,"c@x.io",2500\r\n,Engineer,d@gmail.com,\r\n',
    );
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('scores JSON Lines from stdin, one result line per lead in input order', async () => {
    const result = await runCli(['score', '--rules', rules, '--at', AT], {
      stdin: jsonLines(LEAD_A, LEAD_B),
    });

    expect(result.code).toBe(0);
    expect(result.stderr).toBe('');
    expect(parseLines(result.stdout)).toEqual([RESULT_A, RESULT_B]);
  });

  it('prints the fields in a stable order', async () => {
    const result = await runCli(['score', '--rules', rules, '--at', AT], { stdin: jsonLines(LEAD_B) });

    expect(Object.keys(JSON.parse(result.stdout) as object)).toEqual([
      'id',
      'score',
      'fit',
      'engagement',
      'grade',
      'stage',
      'reasons',
    ]);
  });

  it('says so when the input holds no leads, and exits 0', async () => {
    const result = await runCli(['score', '--rules', rules, '--at', AT], { stdin: '' });

    expect(result).toMatchObject({ code: 0, stdout: '', stderr: 'leadscore score: stdin holds no leads\n' });
  });

  it('reads --input FILE instead of stdin', async () => {
    const result = await runCli(['score', '-r', rules, '--at', AT, '--input', file('leads.jsonl')], {
      stdin: jsonLines({ id: 'ignored' }),
    });

    expect(result.code).toBe(0);
    expect(parseLines(result.stdout)).toEqual([RESULT_B, RESULT_A]);
  });

  it('scores as of --at: later events are ignored', async () => {
    // At May 26 only e1 (May 25) counts: e2 is in the future and e3 is 55 days old.
    const result = await runCli(['score', '--rules', rules, '--at', '2024-05-26T00:00:00Z'], {
      stdin: jsonLines(LEAD_A),
    });

    expect(parseLines(result.stdout)).toEqual([
      {
        ...RESULT_A,
        score: 25,
        engagement: 5,
        reasons: [RESULT_A.reasons[0], { rule: 'email-open', points: 5 }],
      },
    ]);
  });

  it('scores as of now when --at is left out', async () => {
    // 51 days after the last open, nothing is inside `within: 30d` any more.
    const result = await runCli(['score', '--rules', rules], {
      stdin: jsonLines(LEAD_A),
      now: new Date('2024-07-20T00:00:00Z'),
    });

    expect(parseLines(result.stdout)).toEqual([
      { ...RESULT_A, score: 20, engagement: 0, stage: 'lead', reasons: [RESULT_A.reasons[0]] },
    ]);
  });

  it('reports bad lines with their numbers, scores every good one, and exits 1', async () => {
    const input = [JSON.stringify(LEAD_A), '{"id": "x", ', '{"profile":{}}', '', JSON.stringify(LEAD_B)].join(
      '\n',
    );

    const result = await runCli(['score', '--rules', rules, '--at', AT], { stdin: input });

    expect(result.code).toBe(1);
    expect(parseLines(result.stdout)).toEqual([RESULT_A, RESULT_B]);
    const errors = result.stderr.trimEnd().split('\n');
    expect(errors).toHaveLength(3);
    expect(errors[0]).toMatch(/^stdin line 2: invalid JSON \(.+\)$/);
    expect(errors[1]).toBe('stdin line 3: not a lead: id: expected a non-empty string or a number');
    expect(errors[2]).toBe('leadscore score: 2 of 4 leads skipped (see above)');
  });

  it('scores each CSV row as a profile, id from the id column or the row number', async () => {
    const result = await runCli(['score', '--rules', rules, '--at', AT, '--csv', file('leads.csv')]);

    expect(result.code).toBe(0);
    expect(parseLines(result.stdout)).toEqual([
      {
        id: 'c-1',
        score: 25,
        fit: 25,
        engagement: 0,
        grade: 'A',
        stage: 'mql',
        reasons: [
          { rule: 'title-exec', points: 20 },
          { rule: 'big', points: 5 },
        ],
      },
      { ...RESULT_B, id: '2' },
    ]);
  });

  it('stops at malformed CSV after scoring the rows before it', async () => {
    writeFileSync(file('bad.csv'), 'id,email\n1,a@gmail.com\n2,"open\n');

    const result = await runCli(['score', '--rules', rules, '--at', AT, '--csv', file('bad.csv')]);

    expect(result.code).toBe(1);
    expect(parseLines(result.stdout)).toHaveLength(1);
    expect(result.stderr).toBe(
      `leadscore score: ${file('bad.csv')}: line 3: unterminated quoted field (1 leads scored before it)\n`,
    );
  });

  it.each([
    [['score'], 'missing --rules FILE'],
    [
      ['score', '--rules', 'r.yaml', '--at', 'tomorrow'],
      "--at 'tomorrow' is not an ISO 8601 time with a zone",
    ],
    [['score', '--rules', 'r.yaml', '--input', 'a', '--csv', 'b'], 'use --input or --csv, not both'],
    [['score', '--rules', 'r.yaml', 'extra'], "unexpected argument 'extra'"],
  ])('is a usage error: %j', async (argv, message) => {
    const result = await runCli(argv);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain(`leadscore score: ${message}`);
    expect(result.stderr).toContain("Run 'leadscore score --help' for usage.");
  });

  it('fails with every problem when the rules are invalid', async () => {
    const result = await runCli(['score', '--rules', file('broken-rules.yaml')], {
      stdin: jsonLines(LEAD_A),
    });

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      `leadscore score: ${file('broken-rules.yaml')} is not a valid rules file:\nfit[0].points: expected a number\n`,
    );
  });

  it('fails clearly when the input file is missing', async () => {
    const result = await runCli(['score', '--rules', rules, '--input', file('none.jsonl')]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`leadscore score: cannot read ${file('none.jsonl')}: no such file\n`);
  });

  it('streams: prints a lead’s result before the input has ended', async () => {
    const stdin = new PassThrough();
    const stdout = new PassThrough();
    const firstLine = new Promise<string>((resolve) =>
      stdout.once('data', (chunk: Buffer) => resolve(String(chunk))),
    );
    const run = main(['score', '--rules', rules, '--at', AT], { stdin, stdout, stderr: new PassThrough() });

    stdin.write(`${JSON.stringify(LEAD_A)}\n`);
    const first = await firstLine;
    stdin.end(`${JSON.stringify(LEAD_B)}\n`);

    expect(JSON.parse(first)).toEqual(RESULT_A);
    expect(await run).toBe(0);
  });

  it('keeps input order over many leads', async () => {
    const leads = Array.from({ length: 3000 }, (_, i) => ({ ...LEAD_B, id: `lead-${i}` }));

    const result = await runCli(['score', '--rules', rules, '--at', AT], { stdin: jsonLines(...leads) });

    expect(parseLines(result.stdout).map((line) => (line as { id: string }).id)).toEqual(
      leads.map((l) => l.id),
    );
  });
});
