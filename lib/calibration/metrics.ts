/** How well scores rank outcomes: ROC AUC (rank statistic, ties counted half) and lift by decile. */

/**
 * The Mann–Whitney form of ROC AUC: the probability that a random positive scores above a random
 * negative, ties counting one half. NaN when either class is absent.
 */
export function rocAuc(scores: ArrayLike<number>, labels: ArrayLike<number>): number {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[a] as number) - (scores[b] as number),
  );
  let positives = 0;
  let positiveRankSum = 0;
  for (let start = 0; start < n;) {
    let end = start;
    const value = scores[order[start] as number] as number;
    while (end < n && scores[order[end] as number] === value) end++;
    // Ranks start..end-1 (0-based) share their average, 1-based: (start + 1 + end) / 2.
    const averageRank = (start + 1 + end) / 2;
    for (let i = start; i < end; i++) {
      if (labels[order[i] as number] === 1) {
        positives++;
        positiveRankSum += averageRank;
      }
    }
    start = end;
  }
  const negatives = n - positives;
  if (positives === 0 || negatives === 0) return Number.NaN;
  return (positiveRankSum - (positives * (positives + 1)) / 2) / (positives * negatives);
}

export interface DecileLift {
  /** 1 = the highest scores. */
  readonly decile: number;
  readonly count: number;
  readonly converted: number;
  /** Conversion rate in the decile. */
  readonly rate: number;
  /** rate / overall rate. */
  readonly lift: number;
  /** Share of all conversions found in this decile and the ones above it. */
  readonly cumulativeCapture: number;
  readonly minScore: number;
  readonly maxScore: number;
}

/**
 * Rows sorted by score, highest first, cut into `groups` parts of (nearly) equal size. Rows with equal
 * scores may straddle a cut: they are taken in input order, which keeps the table deterministic.
 */
export function liftByDecile(
  scores: ArrayLike<number>,
  labels: ArrayLike<number>,
  groups = 10,
): DecileLift[] {
  const n = scores.length;
  const order = Array.from({ length: n }, (_, i) => i).sort(
    (a, b) => (scores[b] as number) - (scores[a] as number) || a - b,
  );
  let total = 0;
  for (let i = 0; i < n; i++) total += labels[i] === 1 ? 1 : 0;
  const overall = n === 0 ? 0 : total / n;
  const result: DecileLift[] = [];
  let captured = 0;
  for (let g = 0; g < groups; g++) {
    const start = Math.round((g * n) / groups);
    const end = Math.round(((g + 1) * n) / groups);
    let converted = 0;
    let minScore = Number.POSITIVE_INFINITY;
    let maxScore = Number.NEGATIVE_INFINITY;
    for (let i = start; i < end; i++) {
      const row = order[i] as number;
      if (labels[row] === 1) converted++;
      minScore = Math.min(minScore, scores[row] as number);
      maxScore = Math.max(maxScore, scores[row] as number);
    }
    captured += converted;
    const count = end - start;
    const rate = count === 0 ? 0 : converted / count;
    result.push({
      decile: g + 1,
      count,
      converted,
      rate,
      lift: overall === 0 ? 0 : rate / overall,
      cumulativeCapture: total === 0 ? 0 : captured / total,
      minScore,
      maxScore,
    });
  }
  return result;
}

export interface GroupRate {
  readonly group: string;
  readonly count: number;
  readonly converted: number;
  readonly rate: number;
}

/** Conversion rate per label (grade or stage), in the order the labels are given, then any others. */
export function ratesByGroup(
  groupOf: readonly string[],
  labels: ArrayLike<number>,
  order: readonly string[] = [],
): GroupRate[] {
  const counts = new Map<string, { count: number; converted: number }>();
  for (const label of order) counts.set(label, { count: 0, converted: 0 });
  groupOf.forEach((group, i) => {
    const entry = counts.get(group) ?? { count: 0, converted: 0 };
    entry.count++;
    if (labels[i] === 1) entry.converted++;
    counts.set(group, entry);
  });
  return [...counts].map(([group, { count, converted }]) => ({
    group,
    count,
    converted,
    rate: count === 0 ? 0 : converted / count,
  }));
}
