import { reportHtml } from '../../../lib/calibration/report-html';
import { liftByDecile } from '../../../lib/calibration/metrics';

describe('reportHtml', () => {
  const scores = [40, 35, 30, 22, 18, 10, 5, 0, -5, -12];
  const labels = [1, 1, 0, 1, 0, 1, 0, 0, 0, 0];
  const html = reportHtml({
    title: 'Calibration report: <demo>',
    source: 'leads.csv',
    outcome: 'Converted',
    generatedAt: new Date('2024-06-01T00:00:00Z'),
    trainRows: 30,
    validationRows: 10,
    positiveRate: 0.4,
    logisticAuc: 0.875,
    rulesAuc: 0.8667,
    perLogOdds: 10,
    scores,
    labels,
    rulesLift: liftByDecile(scores, labels),
    logisticLift: liftByDecile(scores, labels),
    rules: [
      { id: 'source-referral', points: 25, count: 12 },
      { id: 'country-other', points: -14, count: 5 },
    ],
    notUsed: ['Prospect ID (identifier)'],
  });

  it('is one self-contained page: inline SVG, no scripts, nothing fetched', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html.match(/<svg /g)).toHaveLength(4);
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)|<link |@import|url\(/);
  });

  it('shows both AUCs, the rules with their points, and escapes text', () => {
    expect(html).toContain('0.8667');
    expect(html).toContain('0.8750');
    expect(html).toContain('source-referral');
    expect(html).toContain('+25');
    expect(html).toContain('-14');
    expect(html).toContain('Calibration report: &lt;demo&gt;');
    expect(html).not.toContain('<demo>');
  });
});
