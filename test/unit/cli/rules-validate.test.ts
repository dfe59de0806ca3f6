// `leadscore rules validate FILE`: the valid summary, every problem on stderr, and unreadable files.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runCli } from './run-cli';

const VALID = `
name: small
fit:
  - { id: exec, field: jobtitle, matches: "\\\\bvp\\\\b", points: 20 }
  - { id: big, field: numberofemployees, gte: 1000, points: 10 }
engagement:
  - { id: open, event: email.opened, points: 2 }
`;

const INVALID = `
name: broken
fit:
  - { id: exec, field: jobtitle, matches: "(unclosed", points: 20 }
engagement:
  - { id: open, event: email.opened, points: 2 }
  - { id: click, event: email.clicked, points: "lots" }
`;

describe('leadscore rules validate', () => {
  let dir: string;
  const file = (name: string) => join(dir, name);

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'leadscore-validate-'));
    writeFileSync(file('valid.yaml'), VALID);
    writeFileSync(file('valid.json'), JSON.stringify({ name: 'j', fit: [], engagement: [] }));
    writeFileSync(file('invalid.yaml'), INVALID);
    writeFileSync(file('syntax.yaml'), 'name: [unclosed\n');
    writeFileSync(
      file('typo.yaml'),
      'name: x\nengagement:\n  - id: a\n    event: email.open\n    points: 1\n',
    );
    writeFileSync(
      file('alias.yaml'),
      'name: x\nfit:\n  - &a { id: a, field: f, equals: 1, points: 3 }\n  - *b\n',
    );
    writeFileSync(file('empty.yaml'), '');
  });

  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('says a valid YAML file is valid, with its rule counts', async () => {
    const result = await runCli(['rules', 'validate', file('valid.yaml')]);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${file('valid.yaml')}: valid (2 fit rules, 1 engagement rules)\n`);
    expect(result.stderr).toBe('');
  });

  it('reads JSON rules too', async () => {
    const result = await runCli(['rules', 'validate', file('valid.json')]);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${file('valid.json')}: valid (0 fit rules, 0 engagement rules)\n`);
  });

  it('validates the example rules from the issue', async () => {
    const example = join(__dirname, '../../fixtures/rules/default.yaml');

    const result = await runCli(['rules', 'validate', example]);

    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`${example}: valid (3 fit rules, 4 engagement rules)\n`);
  });

  it('lists every problem as `path: message`, then the count, all on stderr, and exits 1', async () => {
    const result = await runCli(['rules', 'validate', file('invalid.yaml')]);

    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    const lines = result.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toMatch(/^fit\[0\]\.matches: invalid regular expression/);
    expect(lines[1]).toBe('engagement[1].points: expected a number');
    expect(lines[2]).toBe(`${file('invalid.yaml')}: invalid (2 problems)`);
  });

  it('reports a YAML syntax error with its position, without a stack trace', async () => {
    const result = await runCli(['rules', 'validate', file('syntax.yaml')]);

    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(/^.*syntax\.yaml:\d+:\d+: .+\n.*syntax\.yaml: invalid \(1 problem\)\n$/);
    expect(result.stdout + result.stderr).not.toMatch(/\n\s+at /);
  });

  it('refuses an event type no source sends, suggesting the one meant', async () => {
    const result = await runCli(['rules', 'validate', file('typo.yaml')]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'engagement[0].event: unknown event type "email.open": did you mean email.opened?\n' +
        `${file('typo.yaml')}: invalid (1 problem)\n`,
    );
  });

  it('places an unknown alias in the file instead of failing with an unexpected error', async () => {
    const result = await runCli(['rules', 'validate', file('alias.yaml')]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `${file('alias.yaml')}:4:5: unknown alias *b: put the anchor &b before it\n` +
        `${file('alias.yaml')}: invalid (1 problem)\n`,
    );
  });

  it('says an empty file is empty', async () => {
    const result = await runCli(['rules', 'validate', file('empty.yaml')]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      `${file('empty.yaml')}: the file is empty\n${file('empty.yaml')}: invalid (1 problem)\n`,
    );
  });

  it('says a missing file is missing, exit 1', async () => {
    const result = await runCli(['rules', 'validate', file('nope.yaml')]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`leadscore rules validate: cannot read ${file('nope.yaml')}: no such file\n`);
  });

  it('says a directory is not a rules file', async () => {
    const result = await runCli(['rules', 'validate', dir]);

    expect(result.code).toBe(1);
    expect(result.stderr).toBe(`leadscore rules validate: cannot read ${dir}: it is a directory\n`);
  });

  it('is a usage error without a file', async () => {
    const result = await runCli(['rules', 'validate']);

    expect(result.code).toBe(2);
    expect(result.stderr).toContain('leadscore rules validate: missing FILE');
  });
});
