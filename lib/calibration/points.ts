/**
 * Log-odds weights → whole points people can read. points = round(weight × k), with k set so the largest
 * |points| is about `maxPoints`; among a few scales near that, the one that ranks the training rows best
 * is kept, so rounding costs as little ranking as possible.
 */
import { rocAuc } from './metrics';
import { linearScores, type SparseMatrix } from './sparse-matrix';

export interface PointScale {
  /** Points per unit of log-odds. */
  readonly perLogOdds: number;
  /** Per feature. */
  readonly points: Int32Array;
  /** Training AUC of the whole-point scores. */
  readonly trainAuc: number;
}

/** Half away from zero, like the engine's rounding of reasons, so +x and -x round alike. */
export function roundPoints(value: number): number {
  const rounded = Math.sign(value) * Math.round(Math.abs(value));
  return rounded === 0 ? 0 : rounded;
}

export function toPoints(weights: ArrayLike<number>, perLogOdds: number): Int32Array {
  return Int32Array.from({ length: weights.length }, (_, i) =>
    roundPoints((weights[i] as number) * perLogOdds),
  );
}

export interface ScaleOptions {
  /** The largest |points| aimed at. */
  readonly maxPoints: number;
  /** Tried as maxPoints × each factor; the first best one wins, so list the preferred first. */
  readonly factors?: readonly number[];
}

const DEFAULT_FACTORS = [1, 1.1, 1.2, 1.35, 1.5, 0.9, 0.8];

export function choosePointScale(
  weights: ArrayLike<number>,
  training: SparseMatrix,
  labels: ArrayLike<number>,
  options: ScaleOptions,
): PointScale {
  let largest = 0;
  for (let i = 0; i < weights.length; i++) largest = Math.max(largest, Math.abs(weights[i] as number));
  if (largest === 0) return { perLogOdds: 1, points: new Int32Array(weights.length), trainAuc: 0.5 };
  let best: PointScale | undefined;
  for (const factor of options.factors ?? DEFAULT_FACTORS) {
    const perLogOdds = (options.maxPoints * factor) / largest;
    const points = toPoints(weights, perLogOdds);
    const trainAuc = rocAuc(linearScores(training, points), labels);
    // Ties go to the earlier (more readable) scale; a real gain must beat float noise.
    if (best === undefined || trainAuc > best.trainAuc + 1e-9) best = { perLogOdds, points, trainAuc };
  }
  return best as PointScale;
}
