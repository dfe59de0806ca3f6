/** Seeded randomness for calibration: the same seed always gives the same train/validation split. */

/** mulberry32: small, fast and good enough for shuffling; returns numbers in [0, 1). */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffle(items: number[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    const held = items[i] as number;
    items[i] = items[j] as number;
    items[j] = held;
  }
}

export interface Split {
  /** Row indices, in ascending order. */
  readonly train: number[];
  readonly validation: number[];
}

/**
 * Holds out `holdout` of each class (rounded), so both parts keep the outcome's base rate; every row
 * lands in exactly one part.
 */
export function stratifiedSplit(labels: ArrayLike<number>, holdout: number, seed: number): Split {
  if (!(holdout > 0 && holdout < 1)) throw new RangeError(`holdout must be between 0 and 1, got ${holdout}`);
  const random = seededRandom(seed);
  const train: number[] = [];
  const validation: number[] = [];
  for (const label of [0, 1]) {
    const rows: number[] = [];
    for (let i = 0; i < labels.length; i++) if (labels[i] === label) rows.push(i);
    shuffle(rows, random);
    const held = Math.round(rows.length * holdout);
    validation.push(...rows.slice(0, held));
    train.push(...rows.slice(held));
  }
  const ascending = (a: number, b: number) => a - b;
  return { train: train.sort(ascending), validation: validation.sort(ascending) };
}
