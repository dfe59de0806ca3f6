import { calibrate, type Calibration } from '../../../lib/calibration/calibrate';
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

  it('is deterministic for a seed', () => {
    const again = calibrate(data, COLUMNS, { outcome: 'Converted', seed: 3, source: 'synthetic.csv' });
    expect(again.rulesText).toBe(result.rulesText);
  });

  it('says what is wrong with the outcome or the excluded columns', () => {
    expect(() => calibrate(data, COLUMNS, { outcome: 'Won' })).toThrow('no column "Won"');
    expect(() => calibrate(data, COLUMNS, { outcome: 'Converted', exclude: ['Nope'] })).toThrow(
      '--exclude names no column: Nope',
    );
    const allConverted = data.map((row) => ({ ...row, Converted: '1' }));
    expect(() => calibrate(allConverted, COLUMNS, { outcome: 'Converted' })).toThrow(
      'at least 5 converted and 5 other',
    );
  });
});
