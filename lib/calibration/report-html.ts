/** The calibration report: one self-contained HTML page (inline SVG and CSS, no scripts, nothing fetched). */
import type { DecileLift } from './metrics';
import { escapeXml, liftChart, overlaidHistogram, pointsChart } from './svg-charts';

export interface ReportInput {
  readonly title: string;
  readonly source: string;
  readonly outcome: string;
  readonly generatedAt: Date;
  readonly trainRows: number;
  readonly validationRows: number;
  readonly positiveRate: number;
  readonly logisticAuc: number;
  readonly rulesAuc: number;
  readonly perLogOdds: number;
  /** Held-out whole-point scores and outcomes. */
  readonly scores: ArrayLike<number>;
  readonly labels: ArrayLike<number>;
  readonly rulesLift: readonly DecileLift[];
  readonly logisticLift: readonly DecileLift[];
  readonly rules: readonly { readonly id: string; readonly points: number; readonly count: number }[];
  readonly notUsed: readonly string[];
}

const percent = (value: number) => `${(value * 100).toFixed(1)}%`;

function liftRows(rules: readonly DecileLift[], logistic: readonly DecileLift[]): string {
  return rules
    .map((row, i) => {
      const other = logistic[i];
      return `<tr><td>${row.decile}</td><td>${row.minScore} … ${row.maxScore}</td><td>${row.count}</td><td>${percent(row.rate)}</td><td>${row.lift.toFixed(2)}</td><td>${percent(row.cumulativeCapture)}</td><td>${other ? percent(other.rate) : ''}</td><td>${other ? other.lift.toFixed(2) : ''}</td></tr>`;
    })
    .join('\n');
}

export function reportHtml(input: ReportInput): string {
  const converted: number[] = [];
  const others: number[] = [];
  for (let i = 0; i < input.scores.length; i++)
    (input.labels[i] === 1 ? converted : others).push(input.scores[i] as number);
  const sorted = [...input.rules].sort((a, b) => b.points - a.points);
  const positive = sorted.filter((rule) => rule.points > 0).slice(0, 12);
  const negative = sorted
    .filter((rule) => rule.points < 0)
    .reverse()
    .slice(0, 12);
  const difference = input.rulesAuc - input.logisticAuc;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>${escapeXml(input.title)}</title>
<style>
  body { font-family: system-ui, sans-serif; color: #111827; margin: 24px auto; max-width: 800px; padding: 0 16px; }
  h1 { font-size: 22px; margin-bottom: 4px; } h2 { font-size: 17px; margin-top: 28px; }
  .muted { color: #4b5563; } .aucs { display: flex; gap: 16px; margin: 16px 0; }
  .auc { border: 1px solid #d1d5db; border-radius: 8px; padding: 10px 16px; }
  .auc b { display: block; font-size: 26px; }
  table { border-collapse: collapse; font-size: 13px; } td, th { padding: 3px 10px; text-align: right; border-bottom: 1px solid #e5e7eb; }
  th { background: #f3f4f6; } svg { display: block; margin: 8px 0; max-width: 100%; height: auto; }
</style>
</head>
<body>
<h1>${escapeXml(input.title)}</h1>
<p class="muted">From ${escapeXml(input.source)}, outcome “${escapeXml(input.outcome)}” (${percent(input.positiveRate)} converted):
${input.trainRows} rows fitted, ${input.validationRows} held out and scored here. Generated ${escapeXml(input.generatedAt.toISOString())}.</p>
<div class="aucs">
  <div class="auc">Whole-point rules, held-out ROC AUC<b>${input.rulesAuc.toFixed(4)}</b></div>
  <div class="auc">Logistic regression (all weights)<b>${input.logisticAuc.toFixed(4)}</b></div>
  <div class="auc">Difference<b>${difference >= 0 ? '+' : ''}${difference.toFixed(4)}</b></div>
</div>
<p class="muted">1 point = ${(1 / input.perLogOdds).toFixed(3)} log-odds. ROC AUC is the chance that a converted lead scores above one that did not (0.5 = random).</p>
<h2>Scores of converted leads and the others (held out)</h2>
${overlaidHistogram(converted, others, { title: 'Share of each group by score' })}
<h2>Lift by decile (held out)</h2>
${liftChart(
  input.rulesLift.map((row) => row.lift),
  input.logisticLift.map((row) => row.lift),
  'Conversion rate ÷ average, by score decile',
)}
<table>
<tr><th>decile</th><th>scores</th><th>leads</th><th>converted</th><th>lift</th><th>captured</th><th>LR converted</th><th>LR lift</th></tr>
${liftRows(input.rulesLift, input.logisticLift)}
</table>
<h2>Rules that add the most points</h2>
${pointsChart(positive, 'Top positive rules (points)')}
<h2>Rules that take the most points away</h2>
${pointsChart(negative, 'Top negative rules (points)')}
${input.notUsed.length > 0 ? `<p class="muted">Columns not used: ${escapeXml(input.notUsed.join(', '))}.</p>` : ''}
</body>
</html>
`;
}
