// The real `leadscore` executable: node runs bin/leadscore.js, which must set the exit code and stream output.
import { join } from 'node:path';
import { ROOT, runBin } from '../../support/run-bin';

const EXAMPLE_RULES = join(ROOT, 'test/fixtures/rules/default.yaml');

describe('bin/leadscore.js', () => {
  it('scores stdin with the example rules and exits 0', async () => {
    // Fit by hand: title-exec 20 + mid-market 15 (200 <= 450 < 5000) = 35, grade B (20 <= 35 < 40).
    // The one event happens at the scoring time, so it is not decayed: demo-request 40. 35 + 40 = 75.
    const lead = {
      id: 'lead-1',
      profile: { jobtitle: 'Director of Sales', numberofemployees: '450', email: 'kim@acme.io' },
      events: [
        { id: 'f1', type: 'form.submitted', occurredAt: '2024-06-01T00:00:00Z', formId: 'demo-request' },
      ],
    };

    const result = await runBin(
      ['score', '--rules', EXAMPLE_RULES, '--at', '2024-06-01T00:00:00Z'],
      `${JSON.stringify(lead)}\n`,
    );

    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(JSON.parse(result.stdout)).toEqual({
      id: 'lead-1',
      score: 75,
      fit: 35,
      engagement: 40,
      grade: 'B',
      stage: 'marketing-qualified',
      reasons: [
        { rule: 'demo-request', points: 40 },
        { rule: 'title-exec', points: 20 },
        { rule: 'mid-market', points: 15 },
      ],
    });
  }, 30_000);

  it('exits 2 on an unknown command', async () => {
    const result = await runBin(['frobnicate'], '');

    expect(result.code).toBe(2);
    expect(result.stderr).toContain("leadscore: unknown command 'frobnicate'");
  }, 30_000);
});
