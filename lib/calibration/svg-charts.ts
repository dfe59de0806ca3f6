/** Small inline SVG charts for the calibration report: no scripts, no fonts to fetch, readable when printed. */

export const COLORS = {
  converted: '#1b7f5a',
  others: '#c2410c',
  logistic: '#1d4ed8',
  neutral: '#6b7280',
} as const;

export function escapeXml(text: string): string {
  return text.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c] ?? c,
  );
}

const fmt = (value: number) => (Number.isInteger(value) ? String(value) : value.toFixed(1));

function niceStep(range: number, ticks: number): number {
  const raw = range / Math.max(1, ticks);
  const power = 10 ** Math.floor(Math.log10(raw || 1));
  const scaled = raw / power;
  return (scaled <= 1 ? 1 : scaled <= 2 ? 2 : scaled <= 5 ? 5 : 10) * power;
}

interface Frame {
  readonly width: number;
  readonly height: number;
  readonly left: number;
  readonly right: number;
  readonly top: number;
  readonly bottom: number;
}

function svgOpen(frame: Frame, title: string): string {
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${frame.width} ${frame.height}" width="${frame.width}" height="${frame.height}" role="img" aria-label="${escapeXml(title)}" font-family="system-ui, sans-serif" font-size="12">`;
}

function yAxis(frame: Frame, max: number, label: (value: number) => string): string {
  const step = niceStep(max, 5);
  const plotHeight = frame.height - frame.top - frame.bottom;
  const parts: string[] = [];
  for (let value = 0; value <= max + 1e-9; value += step) {
    const y = frame.height - frame.bottom - (value / max) * plotHeight;
    parts.push(
      `<line x1="${frame.left}" x2="${frame.width - frame.right}" y1="${y}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${frame.left - 6}" y="${y + 4}" text-anchor="end" fill="#374151">${label(value)}</text>`,
    );
  }
  return parts.join('');
}

/** Two overlaid histograms of scores, each as a share of its own group, so unequal groups compare. */
export function overlaidHistogram(
  converted: readonly number[],
  others: readonly number[],
  options: { readonly bins?: number; readonly title: string },
): string {
  const frame: Frame = { width: 760, height: 320, left: 56, right: 16, top: 36, bottom: 44 };
  const all = [...converted, ...others];
  const min = Math.min(...all);
  const max = Math.max(...all);
  // Whole-point scores: bins of a whole number of points, so that none holds more score values than another.
  const width = Math.max(1, Math.ceil((max - min + 1) / (options.bins ?? 24)));
  const count = Math.max(1, Math.ceil((max - min + 1) / width));
  const shares = (values: readonly number[]) => {
    const bins = new Array<number>(count).fill(0);
    for (const value of values) bins[Math.min(count - 1, Math.floor((value - min) / width))]! += 1;
    return bins.map((n) => (values.length === 0 ? 0 : n / values.length));
  };
  const groups = [
    { name: 'converted', shares: shares(converted), color: COLORS.converted },
    { name: 'others', shares: shares(others), color: COLORS.others },
  ];
  const top = Math.max(...groups.flatMap((group) => group.shares), 0.01) * 1.1;
  const plotWidth = frame.width - frame.left - frame.right;
  const plotHeight = frame.height - frame.top - frame.bottom;
  const bars = groups.map(({ shares: values, color }) =>
    values
      .map((share, i) => {
        const h = (share / top) * plotHeight;
        const x = frame.left + (i / count) * plotWidth;
        return `<rect x="${x.toFixed(1)}" y="${(frame.height - frame.bottom - h).toFixed(1)}" width="${(plotWidth / count - 1).toFixed(1)}" height="${h.toFixed(1)}" fill="${color}" fill-opacity="0.45" stroke="${color}"/>`;
      })
      .join(''),
  );
  const ticks: string[] = [];
  for (let i = 0; i <= count; i += Math.max(1, Math.round(count / 8))) {
    const x = frame.left + (i / count) * plotWidth;
    ticks.push(
      `<text x="${x}" y="${frame.height - frame.bottom + 16}" text-anchor="middle" fill="#374151">${fmt(min + i * width)}</text>`,
    );
  }
  const legend = groups
    .map(({ name, color }, i) => {
      const x = frame.width - frame.right - 300 + i * 150;
      return `<rect x="${x}" y="10" width="14" height="14" fill="${color}" fill-opacity="0.45" stroke="${color}"/><text x="${x + 20}" y="21">${name} (${i === 0 ? converted.length : others.length})</text>`;
    })
    .join('');
  return [
    svgOpen(frame, options.title),
    `<text x="${frame.left}" y="21" font-weight="600">${escapeXml(options.title)}</text>`,
    yAxis(frame, top, (value) => `${Math.round(value * 100)}%`),
    ...bars,
    ...ticks,
    `<text x="${frame.left + plotWidth / 2}" y="${frame.height - 8}" text-anchor="middle" fill="#374151">score (whole points)</text>`,
    legend,
    '</svg>',
  ].join('');
}

/** Lift per decile: bars for the rules, dots for the logistic regression, a line at 1 (no better than random). */
export function liftChart(rules: readonly number[], logistic: readonly number[], title: string): string {
  const frame: Frame = { width: 760, height: 300, left: 56, right: 16, top: 36, bottom: 44 };
  const top = Math.max(...rules, ...logistic, 1) * 1.15;
  const plotWidth = frame.width - frame.left - frame.right;
  const plotHeight = frame.height - frame.top - frame.bottom;
  const slot = plotWidth / Math.max(1, rules.length);
  const y = (value: number) => frame.height - frame.bottom - (value / top) * plotHeight;
  const parts = rules.map((lift, i) => {
    const x = frame.left + i * slot;
    return [
      `<rect x="${(x + slot * 0.15).toFixed(1)}" y="${y(lift).toFixed(1)}" width="${(slot * 0.7).toFixed(1)}" height="${(frame.height - frame.bottom - y(lift)).toFixed(1)}" fill="${COLORS.converted}" fill-opacity="0.7"/>`,
      `<text x="${(x + slot / 2).toFixed(1)}" y="${(y(lift) - 4).toFixed(1)}" text-anchor="middle">${lift.toFixed(2)}</text>`,
      `<circle cx="${(x + slot / 2).toFixed(1)}" cy="${y(logistic[i] ?? 0).toFixed(1)}" r="4" fill="${COLORS.logistic}"/>`,
      `<text x="${(x + slot / 2).toFixed(1)}" y="${frame.height - frame.bottom + 16}" text-anchor="middle" fill="#374151">${i + 1}</text>`,
    ].join('');
  });
  return [
    svgOpen(frame, title),
    `<text x="${frame.left}" y="21" font-weight="600">${escapeXml(title)}</text>`,
    yAxis(frame, top, (value) => fmt(value)),
    `<line x1="${frame.left}" x2="${frame.width - frame.right}" y1="${y(1)}" y2="${y(1)}" stroke="${COLORS.neutral}" stroke-dasharray="4 3"/>`,
    ...parts,
    `<text x="${frame.left + plotWidth / 2}" y="${frame.height - 8}" text-anchor="middle" fill="#374151">decile (1 = highest scores)</text>`,
    `<rect x="${frame.width - 260}" y="10" width="14" height="14" fill="${COLORS.converted}" fill-opacity="0.7"/><text x="${frame.width - 240}" y="21">rules</text>`,
    `<circle cx="${frame.width - 183}" cy="17" r="4" fill="${COLORS.logistic}"/><text x="${frame.width - 173}" y="21">logistic regression</text>`,
    '</svg>',
  ].join('');
}

/** Horizontal bars of points, positive to the right in green and negative to the left in orange. */
export function pointsChart(
  rules: readonly { readonly id: string; readonly points: number }[],
  title: string,
): string {
  const row = 22;
  const frame: Frame = {
    width: 760,
    height: 48 + rules.length * row,
    left: 380,
    right: 50,
    top: 36,
    bottom: 12,
  };
  const largest = Math.max(1, ...rules.map((rule) => Math.abs(rule.points)));
  const hasNegative = rules.some((rule) => rule.points < 0);
  const hasPositive = rules.some((rule) => rule.points > 0);
  const plotWidth = frame.width - frame.left - frame.right;
  const zero =
    hasNegative && hasPositive
      ? frame.left + plotWidth / 2
      : hasNegative
        ? frame.width - frame.right
        : frame.left;
  const span = hasNegative && hasPositive ? plotWidth / 2 : plotWidth;
  const bars = rules.map((rule, i) => {
    const y = frame.top + i * row;
    const length = (Math.abs(rule.points) / largest) * span;
    const x = rule.points >= 0 ? zero : zero - length;
    const color = rule.points >= 0 ? COLORS.converted : COLORS.others;
    // Negative values are labelled right of the axis, so a long bar never runs into its rule's name.
    const labelX = rule.points >= 0 ? zero + length + 4 : hasPositive ? zero - length - 4 : zero + 6;
    const anchor = rule.points >= 0 || !hasPositive ? 'start' : 'end';
    return [
      `<text x="${frame.left - 8}" y="${y + 14}" text-anchor="end">${escapeXml(rule.id.length > 56 ? `${rule.id.slice(0, 55)}…` : rule.id)}</text>`,
      `<rect x="${x.toFixed(1)}" y="${y + 3}" width="${length.toFixed(1)}" height="${row - 6}" fill="${color}" fill-opacity="0.75"/>`,
      `<text x="${labelX.toFixed(1)}" y="${y + 14}" text-anchor="${anchor}">${rule.points > 0 ? '+' : ''}${rule.points}</text>`,
    ].join('');
  });
  return [
    svgOpen(frame, title),
    `<text x="8" y="21" font-weight="600">${escapeXml(title)}</text>`,
    `<line x1="${zero}" x2="${zero}" y1="${frame.top}" y2="${frame.height - frame.bottom}" stroke="${COLORS.neutral}"/>`,
    ...bars,
    '</svg>',
  ].join('');
}
