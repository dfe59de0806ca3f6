/** Dense symmetric positive-definite solve (Cholesky), enough for a Newton step over a few hundred features. */

export class NotPositiveDefiniteError extends Error {
  override readonly name = 'NotPositiveDefiniteError';
}

/**
 * Solves A x = b for symmetric positive-definite A (n×n, row-major; only the lower triangle is read).
 * A is left untouched.
 */
export function choleskySolve(matrix: Float64Array, rhs: ArrayLike<number>, n: number): Float64Array {
  const lower = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j <= i; j++) {
      let sum = matrix[i * n + j] as number;
      for (let k = 0; k < j; k++) sum -= (lower[i * n + k] as number) * (lower[j * n + k] as number);
      if (i === j) {
        if (!(sum > 0)) throw new NotPositiveDefiniteError(`pivot ${i} is ${sum}`);
        lower[i * n + i] = Math.sqrt(sum);
      } else {
        lower[i * n + j] = sum / (lower[j * n + j] as number);
      }
    }
  }
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let sum = rhs[i] as number;
    for (let k = 0; k < i; k++) sum -= (lower[i * n + k] as number) * (y[k] as number);
    y[i] = sum / (lower[i * n + i] as number);
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let sum = y[i] as number;
    for (let k = i + 1; k < n; k++) sum -= (lower[k * n + i] as number) * (x[k] as number);
    x[i] = sum / (lower[i * n + i] as number);
  }
  return x;
}
