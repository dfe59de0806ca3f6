import {
  calibrate,
  CalibrationInputError,
  type Calibration,
  type CalibrationOptions,
} from '../../../lib/calibration/calibrate';
import type { DataRow } from '../../../lib/calibration/columns';
import { evaluateRules } from '../../../lib/calibration/evaluate';
import { sigmoid } from '../../../lib/calibration/logistic-regression';
import { seededRandom } from '../../../lib/calibration/random';
import {
  compileRules,
  parseRulesText,
  scoreLead,
  type FitRule,
  type ScoringModel,
} from '../../../lib/scoring';

const NOW = new Date('2024-06-01T00:00:00Z');
const COLUMNS = ['Lead ID', 'Source', 'Visits', 'Converted'];

/** Leads whose conversion depends on Source (Referral +1.5, Direct -0.5) and Visits (≥ 10: +1). */
function syntheticLeads(count: number, seed: number): DataRow[] {
  const random = seededRandom(seed);
  const sources = ['Google', 'Google', 'Google', 'Referral', 'Referral', 'Direct', 'Direct', 'Select'];
  return Array.from({ length: count }, (_, i) => {
    // 3% of leads come from one of four rare sources: each too rare alone, together an "any other" group.
    const rare = ['Bing', 'Ask', 'Ecosia', 'Yandex'];
    const source = (
      random() < 0.03 ? rare[Math.floor(random() * 4)] : sources[Math.floor(random() * sources.length)]
    ) as string;
    const visits = Math.floor(random() * 20);
    const missingVisits = random() < 0.06;
    const eta =
      -0.8 + (source === 'Referral' ? 1.5 : source === 'Direct' ? -0.5 : 0) + (visits >= 10 ? 1 : 0);
    return {
      'Lead ID': `L-${100_000 + i}`,
      Source: source,
      Visits: missingVisits ? '' : String(visits),
      Converted: random() < sigmoid(eta) ? '1' : '0',
    };
  });
}

function rulesOf(result: Calibration): { model: ScoringModel; fit: FitRule[] } {
  const parsed = parseRulesText(result.rulesText);
  if (!parsed.ok) throw new Error(parsed.problems.join('\n'));
  return { model: compileRules(parsed.rules), fit: parsed.rules.fit ?? [] };
}

describe('calibrate', () => {
  const data = syntheticLeads(2400, 11);
  const result = calibrate(data, COLUMNS, { outcome: 'Converted', seed: 3, source: 'synthetic.csv' });

  it('writes a rules file that validates, with readable ids, grades and stages', () => {
    const parsed = parseRulesText(result.rulesText);

    expect(parsed.ok).toBe(true);
    if (!parsed.ok) return;
    const ids = (parsed.rules.fit ?? []).map((rule) => rule.id);
    expect(ids).toContain('source-referral');
    expect(ids).toContain('source-direct');
    ids.forEach((id) => expect(id).toMatch(/^[a-z0-9.-]+$/));
    expect(parsed.rules.grades?.map((grade) => grade.grade)).toEqual(['A', 'B', 'C', 'D']);
    expect(parsed.rules.stages?.at(-1)).toEqual({ stage: 'lead' });
    (parsed.rules.fit ?? []).forEach((rule) => expect(Number.isInteger(rule.points)).toBe(true));
  });

  it('leaves out the identifier column and never makes a rule for "Select"', () => {
    const { fit } = rulesOf(result);

    expect(result.excluded).toContainEqual({ name: 'Lead ID', reason: 'identifier' });
    expect(fit.some((rule) => rule.field === 'Lead ID')).toBe(false);
    expect(fit.some((rule) => rule.equals === 'Select' || rule.in?.includes('Select'))).toBe(false);
  });

  it('finds the direction of the effects that generated the data', () => {
    const { fit } = rulesOf(result);
    const points = (id: string) => fit.find((rule) => rule.id === id)?.points ?? 0;

    expect(points('source-referral')).toBeGreaterThan(points('source-direct'));
    expect(points('source-referral')).toBeGreaterThan(0);
    const highVisits = fit.filter((rule) => rule.field === 'Visits' && (rule.gte ?? 0) >= 10);
    const lowVisits = fit.filter((rule) => rule.field === 'Visits' && (rule.lt ?? 99) <= 10);
    expect(Math.min(...highVisits.map((rule) => rule.points))).toBeGreaterThan(
      Math.max(0, ...lowVisits.map((rule) => rule.points)),
    );
  });

  it('scores a missing answer ("Select", blank) as 0 and an unseen value as "any other"', () => {
    const { model, fit } = rulesOf(result);
    const fitOf = (profile: Record<string, string>) =>
      scoreLead(model, { id: 'x', profile, events: [] }, NOW).fit;

    expect(fitOf({ Source: 'Select' })).toBe(0);
    expect(fitOf({ Source: ' select ', Visits: '' })).toBe(0);
    const other = fit.find((rule) => rule.id === 'source-any-other');
    expect(other?.notIn).toContain('Select');
    expect(fitOf({ Source: 'Yahoo' })).toBe(other?.points ?? 0);
  });

  it('ranks the held-out rows through the engine exactly as its own whole-point sums do', () => {
    const { model } = rulesOf(result);

    const engine = evaluateRules(model, result.validationRows, result.validationLabels, {
      at: NOW,
      basis: 'fit',
    });

    // A quarter of each class, rounded per class.
    expect(engine.rows).toBe(result.validationRows.length);
    expect(Math.abs(engine.rows - 600)).toBeLessThanOrEqual(1);
    expect(Array.from(engine.scores)).toEqual(Array.from(result.points.validationScores));
    expect(engine.auc).toBe(result.points.validationAuc);
    expect(Math.abs(engine.auc - result.logistic.validationAuc)).toBeLessThanOrEqual(0.01);
  });

  it('compiles the rules text it wrote, as `leadscore score` reads the file', () => {
    const { model } = rulesOf(result);
    const profile = { Source: 'Referral', Visits: '12' };

    expect(result.rules.name).toBe('calibrated-converted');
    expect(scoreLead(result.rules, { id: 'x', profile, events: [] }, NOW)).toEqual(
      scoreLead(model, { id: 'x', profile, events: [] }, NOW),
    );
  });

  it('is deterministic for a seed', () => {
    const again = calibrate(data, COLUMNS, { outcome: 'Converted', seed: 3, source: 'synthetic.csv' });
    expect(again.rulesText).toBe(result.rulesText);
  });

  it('says what is wrong with the outcome or the excluded columns', () => {
    expect(() => calibrate(data, COLUMNS, { outcome: 'Won' })).toThrow(
      'no column "Won" (columns: Lead ID, Source, Visits, Converted)',
    );
    expect(() => calibrate(data, COLUMNS, { outcome: 'converted' })).toThrow(
      'no column "converted"; did you mean "Converted"?',
    );
    expect(() => calibrate(data, COLUMNS, { outcome: 'Converted', exclude: ['Nope'] })).toThrow(
      '--exclude names no column: Nope',
    );
    const allConverted = data.map((row) => ({ ...row, Converted: '1' }));
    expect(() => calibrate(allConverted, COLUMNS, { outcome: 'Converted' })).toThrow(
      '"Converted" needs at least 20 converted and 20 not converted rows (has 2400 and 0)',
    );
  });

  it('names the values of an outcome column that is not yes/no, and what it accepts', () => {
    const attempt = () => calibrate(data, COLUMNS, { outcome: 'Source' });

    expect(attempt).toThrow(CalibrationInputError);
    expect(attempt).toThrow(
      'no value of "Source" reads as yes/no (seen "Referral", "Google", "Direct" and 5 other value(s)): ' +
        'converted is 1, true, yes, y, converted or won, not converted is 0, false, no, n, not converted or lost',
    );
    const blank = data.map((row) => ({ ...row, Converted: ' ' }));
    expect(() => calibrate(blank, COLUMNS, { outcome: 'Converted' })).toThrow(
      '"Converted" is empty on every row',
    );
  });
});

describe('calibrate refuses data and settings it cannot learn from', () => {
  const data = syntheticLeads(600, 4);
  const fails = (rows: readonly DataRow[], options: Partial<CalibrationOptions>) => {
    try {
      calibrate(rows, COLUMNS, { outcome: 'Converted', ...options });
    } catch (error) {
      // Never an internal error (a pivot, a NaN): a message for people.
      expect(error).toBeInstanceOf(CalibrationInputError);
      return (error as Error).message;
    }
    throw new Error('calibrate did not refuse');
  };

  it('settings outside their range, saying the range', () => {
    expect(fails(data, { holdout: 0.9999 })).toBe('holdout must be a number from 0.05 to 0.5, got 0.9999');
    expect(fails(data, { holdout: 0 })).toBe('holdout must be a number from 0.05 to 0.5, got 0');
    expect(fails(data, { l2: 1e-300 })).toBe('l2 must be a number from 0.001 to 1000, got 1e-300');
    expect(fails(data, { bins: 1 })).toBe('bins must be a whole number from 2 to 50, got 1');
    expect(fails(data, { minCount: 2.5 })).toBe('minCount must be a whole number from 1 to 1000000, got 2.5');
    expect(fails(data, { maxPoints: 1e12 })).toBe(
      'maxPoints must be a whole number from 1 to 1000, got 1000000000000',
    );
    expect(fails(data, { seed: -1 })).toBe('seed must be a whole number from 0 to 4294967295, got -1');
    expect(fails(data, { name: ' ' })).toBe('the rules name must not be empty');
  });

  it('fewer than 100 rows with an outcome, saying the minimum and why', () => {
    expect(fails(data.slice(0, 30), {})).toBe(
      'too few rows to learn from: 30 with a yes/no "Converted", at least 100 are needed; a value earns ' +
        'points only when 20 (--min-count) of the rows fitted have it, and an AUC measured on a few ' +
        'held-out rows means nothing',
    );
    // Rows whose outcome is neither yes nor no do not count.
    const unknown = data.map((row, i) => (i < 520 ? { ...row, Converted: '?' } : row));
    expect(fails(unknown, {})).toContain('80 with a yes/no "Converted", at least 100 are needed');
  });

  it('fewer than 20 of either outcome', () => {
    let positives = 0;
    const rare = data.map((row) =>
      row.Converted === '1' && ++positives > 12 ? { ...row, Converted: '0' } : row,
    );

    expect(fails(rare, {})).toMatch(
      /^"Converted" needs at least 20 converted and 20 not converted rows \(has 12 and 588\)/,
    );
  });

  it('a hold-out with fewer than 5 of either outcome', () => {
    let positives = 0;
    const rare = data.map((row) =>
      row.Converted === '1' && ++positives > 40 ? { ...row, Converted: '0' } : row,
    );

    // 5% of 40 converted rows is 2.
    expect(fails(rare, { holdout: 0.05 })).toBe(
      '--holdout 0.05 holds out 2 converted and 28 not converted rows; at least 5 of each are needed to ' +
        'measure the rules: raise --holdout or add rows',
    );
    expect(() => calibrate(rare, COLUMNS, { outcome: 'Converted', holdout: 0.25 })).not.toThrow();
  });

  it('no column to learn from, instead of rules that grade every lead A', () => {
    const flat = data.map((row) => ({ ...row, Source: 'Google', Visits: '3' }));

    expect(fails(flat, {})).toBe(
      'no column can be learned from in the 450 rows fitted: Lead ID (identifier), Source (constant), ' +
        'Visits (constant); "constant" means that at most one value has 20 (--min-count) rows: add rows or ' +
        'lower --min-count',
    );
  });
});
