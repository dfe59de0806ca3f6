/** A simulation report as text: summary, transition matrices, threshold crossings and the biggest movers. */
import type { SimulationReport, TransitionMatrix } from './simulate';

function matrixLines(title: string, matrix: TransitionMatrix): string[] {
  const label = (text: string) => text || '(none)';
  const corner = `${title}: before ↓ after →`;
  const firstWidth = Math.max(corner.length, ...matrix.from.map((text) => label(text).length));
  const widths = matrix.to.map((to, j) =>
    Math.max(label(to).length, ...matrix.counts.map((row) => String(row[j] ?? 0).length)),
  );
  const line = (first: string, cells: readonly string[]) =>
    `  ${first.padEnd(firstWidth)}  ${cells.map((cell, j) => cell.padStart(widths[j] ?? 0)).join('  ')}`.trimEnd();
  return [
    line(corner, matrix.to.map(label)),
    ...matrix.from.map((from, i) =>
      line(
        label(from),
        (matrix.counts[i] ?? []).map((count) => String(count)),
      ),
    ),
  ];
}

const signed = (value: number) => `${value > 0 ? '+' : ''}${value}`;

export function formatSimulation(
  report: SimulationReport,
  names: { active: string; candidate: string },
): string[] {
  const lines = [
    `Simulated ${report.leads} active leads at ${report.at}: ${names.active} → ${names.candidate}` +
      (report.skipped > 0 ? ` (${report.skipped} merged or deleted leads not scored)` : ''),
    `  score changed for ${report.scoreChanged}, grade for ${report.gradeChanged}, stage for ${report.stageChanged}; ` +
      `mean score ${report.meanBefore.toFixed(1)} → ${report.meanAfter.toFixed(1)}`,
    '',
    ...matrixLines('grade', report.grades),
    '',
    ...matrixLines('stage', report.stages),
    '',
    'Stage thresholds (candidate):',
    ...(report.crossings.length === 0
      ? ['  (the candidate has a single stage)']
      : report.crossings.map(
          (crossing) =>
            `  ${crossing.stage} (min ${crossing.min}): ${crossing.up} cross up, ${crossing.down} cross down`,
        )),
    '',
    report.movers.length === 0 ? 'No lead changes score.' : `Top ${report.movers.length} movers:`,
  ];
  for (const mover of report.movers) {
    const { before, after } = mover;
    lines.push(
      `  ${mover.leadId}  ${before.score} → ${after.score} (${signed(mover.delta)})  grade ${before.grade || '-'} → ${after.grade || '-'}, stage ${before.stage || '-'} → ${after.stage || '-'}`,
      `      before: ${before.reasons || '(no reasons)'}`,
      `      after:  ${after.reasons || '(no reasons)'}`,
    );
  }
  return lines;
}
