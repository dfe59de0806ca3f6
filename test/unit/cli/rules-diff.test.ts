// `leadscore rules diff FILE FILE`: two local files are compared without any table or AWS setting.
import { join } from 'node:path';
import { FIXTURES } from '../rules-admin/simulation-leads';
import { runCli } from './run-cli';

const ACTIVE = join(FIXTURES, 'active.yaml');
const CANDIDATE = join(FIXTURES, 'candidate.yaml');

describe('leadscore rules diff with two files', () => {
  const saved = process.env.CONFIG_TABLE;

  beforeEach(() => {
    delete process.env.CONFIG_TABLE;
  });

  afterEach(() => {
    if (saved === undefined) delete process.env.CONFIG_TABLE;
    else process.env.CONFIG_TABLE = saved;
  });

  it('compares them with no CONFIG_TABLE set', async () => {
    const result = await runCli(['rules', 'diff', ACTIVE, CANDIDATE]);

    expect(result).toEqual({
      code: 0,
      stdout: [
        `${ACTIVE} → ${CANDIDATE}`,
        'fit:',
        '  ~ title-exec  points: 40 → 20',
        '  + big-company  {field: "numberofemployees", gte: 1000, points: 30}',
        'stages: marketing-qualified min 30 → min 40',
        '',
      ].join('\n'),
      stderr: '',
    });
  });

  it('still needs the table for a version or active', async () => {
    const result = await runCli(['rules', 'diff', 'active', CANDIDATE]);

    expect(result.code).toBe(1);
    expect(result.stderr).toContain('CONFIG_TABLE: required but not set');
  });
});
