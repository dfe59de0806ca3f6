/** How far apart two words are, for "did you mean" hints (CLI commands, rules keys, event types). */

/** Optimal string alignment distance: a swap of two neighbours counts as one edit. */
export function editDistance(a: string, b: string): number {
  const cols = b.length + 1;
  const d: number[] = [];
  const at = (i: number, j: number): number => d[i * cols + j] ?? Number.POSITIVE_INFINITY;
  for (let i = 0; i <= a.length; i++) {
    for (let j = 0; j <= b.length; j++) {
      if (i === 0 || j === 0) {
        d[i * cols + j] = i + j;
        continue;
      }
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
        value = Math.min(value, at(i - 2, j - 2) + 1);
      }
      d[i * cols + j] = value;
    }
  }
  return at(a.length, b.length);
}
