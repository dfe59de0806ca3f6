/** Seeded randomness for calibration: the same seed always gives the same train/validation split. */
import { seededRandom, shuffle } from '../seeded-random';

export { seededRandom };

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
