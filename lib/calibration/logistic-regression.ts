/**
 * L2-regularized logistic regression fitted by Newton's method (IRLS) with step halving: exact, and fast
 * for the few hundred one-hot features calibration produces. The intercept is not penalized.
 */
import { choleskySolve } from './linear-algebra';
import { linearScores, type SparseMatrix } from './sparse-matrix';

export interface LogisticOptions {
  /** λ in λ/2 · ‖w‖²; > 0 keeps the fit finite when a feature separates the classes. */
  readonly l2: number;
  readonly maxIterations?: number;
  /** Stop when no coefficient moves by more than this. */
  readonly tolerance?: number;
  readonly onIteration?: (iteration: number, objective: number) => void;
}

export interface LogisticModel {
  readonly intercept: number;
  readonly weights: Float64Array;
  readonly iterations: number;
  readonly converged: boolean;
  /** Penalized negative log-likelihood at the solution. */
  readonly objective: number;
}

export class LogisticFitError extends Error {
  override readonly name = 'LogisticFitError';
}

/** log(1 + e^x) without overflow. */
function softplus(x: number): number {
  return x > 0 ? x + Math.log1p(Math.exp(-x)) : Math.log1p(Math.exp(x));
}

export function sigmoid(x: number): number {
  return x >= 0 ? 1 / (1 + Math.exp(-x)) : Math.exp(x) / (1 + Math.exp(x));
}

function objective(
  matrix: SparseMatrix,
  labels: ArrayLike<number>,
  intercept: number,
  weights: Float64Array,
  l2: number,
): number {
  const eta = linearScores(matrix, weights, intercept);
  let loss = 0;
  for (let i = 0; i < matrix.rows; i++) {
    const value = eta[i] as number;
    loss += softplus(value) - (labels[i] === 1 ? value : 0);
  }
  let penalty = 0;
  for (const weight of weights) penalty += weight * weight;
  return loss + (l2 / 2) * penalty;
}

export function fitLogistic(
  matrix: SparseMatrix,
  labels: ArrayLike<number>,
  options: LogisticOptions,
): LogisticModel {
  const { l2 } = options;
  const maxIterations = options.maxIterations ?? 100;
  const tolerance = options.tolerance ?? 1e-9;
  if (labels.length !== matrix.rows) throw new LogisticFitError('one label per row is needed');
  if (!(l2 > 0)) throw new LogisticFitError('l2 must be above 0');
  const p = matrix.columns;
  // Index 0 is the intercept, 1…p the weights.
  const size = p + 1;
  let intercept = 0;
  let weights = new Float64Array(p);
  let current = objective(matrix, labels, intercept, weights, l2);
  const gradient = new Float64Array(size);
  const hessian = new Float64Array(size * size);

  for (let iteration = 1; iteration <= maxIterations; iteration++) {
    gradient.fill(0);
    hessian.fill(0);
    const eta = linearScores(matrix, weights, intercept);
    for (let i = 0; i < matrix.rows; i++) {
      const probability = sigmoid(eta[i] as number);
      const residual = probability - (labels[i] === 1 ? 1 : 0);
      const curvature = Math.max(probability * (1 - probability), 1e-12);
      const start = matrix.rowStart[i] as number;
      const end = matrix.rowStart[i + 1] as number;
      gradient[0] = (gradient[0] as number) + residual;
      hessian[0] = (hessian[0] as number) + curvature;
      for (let a = start; a < end; a++) {
        const ja = (matrix.columnIndex[a] as number) + 1;
        const xa = matrix.value[a] as number;
        gradient[ja] = (gradient[ja] as number) + residual * xa;
        const row = ja * size;
        hessian[row] = (hessian[row] as number) + curvature * xa;
        // Lower triangle only; the solver reads nothing else.
        for (let b = start; b < end; b++) {
          const jb = (matrix.columnIndex[b] as number) + 1;
          if (jb > ja) continue;
          hessian[row + jb] = (hessian[row + jb] as number) + curvature * xa * (matrix.value[b] as number);
        }
      }
    }
    for (let j = 1; j < size; j++) {
      gradient[j] = (gradient[j] as number) + l2 * (weights[j - 1] as number);
      hessian[j * size + j] = (hessian[j * size + j] as number) + l2;
    }
    const step = choleskySolve(hessian, gradient, size);
    // Step halving: Newton can overshoot far from the optimum; the objective must not rise.
    let scale = 1;
    let nextIntercept = intercept;
    let nextWeights = weights;
    let next = current;
    for (let halving = 0; halving < 30; halving++) {
      nextIntercept = intercept - scale * (step[0] as number);
      nextWeights = weights.map((weight, j) => weight - scale * (step[j + 1] as number));
      next = objective(matrix, labels, nextIntercept, nextWeights, l2);
      if (next <= current + 1e-12 * Math.abs(current)) break;
      scale /= 2;
    }
    let largestMove = 0;
    for (const value of step) largestMove = Math.max(largestMove, Math.abs(scale * value));
    intercept = nextIntercept;
    weights = nextWeights;
    current = next;
    options.onIteration?.(iteration, current);
    if (largestMove < tolerance) {
      return { intercept, weights, iterations: iteration, converged: true, objective: current };
    }
  }
  return { intercept, weights, iterations: maxIterations, converged: false, objective: current };
}
