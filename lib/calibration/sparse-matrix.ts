/** Rows of mostly-zero features in compressed sparse row form: one-hot rows hold a few dozen entries each. */

export interface SparseMatrix {
  readonly rows: number;
  readonly columns: number;
  /** Row i's entries are at rowStart[i] … rowStart[i + 1] - 1. */
  readonly rowStart: Int32Array;
  readonly columnIndex: Int32Array;
  readonly value: Float64Array;
}

/** Builds a matrix from per-row entries: [column, value] pairs, columns unique within a row. */
export function sparseFromRows(
  rows: readonly (readonly (readonly [number, number])[])[],
  columns: number,
): SparseMatrix {
  const rowStart = new Int32Array(rows.length + 1);
  let size = 0;
  rows.forEach((entries, i) => {
    rowStart[i] = size;
    size += entries.length;
  });
  rowStart[rows.length] = size;
  const columnIndex = new Int32Array(size);
  const value = new Float64Array(size);
  let at = 0;
  for (const entries of rows) {
    for (const [column, entry] of entries) {
      if (column < 0 || column >= columns)
        throw new RangeError(`column ${column} is outside 0…${columns - 1}`);
      columnIndex[at] = column;
      value[at] = entry;
      at++;
    }
  }
  return { rows: rows.length, columns, rowStart, columnIndex, value };
}

/** The matrix's rows at `indices`, in that order. */
export function selectRows(matrix: SparseMatrix, indices: readonly number[]): SparseMatrix {
  const rowStart = new Int32Array(indices.length + 1);
  let size = 0;
  indices.forEach((row, i) => {
    rowStart[i] = size;
    size += (matrix.rowStart[row + 1] as number) - (matrix.rowStart[row] as number);
  });
  rowStart[indices.length] = size;
  const columnIndex = new Int32Array(size);
  const value = new Float64Array(size);
  let at = 0;
  for (const row of indices) {
    for (let k = matrix.rowStart[row] as number; k < (matrix.rowStart[row + 1] as number); k++) {
      columnIndex[at] = matrix.columnIndex[k] as number;
      value[at] = matrix.value[k] as number;
      at++;
    }
  }
  return { rows: indices.length, columns: matrix.columns, rowStart, columnIndex, value };
}

/** x_i · w for every row i, plus a constant. */
export function linearScores(matrix: SparseMatrix, weights: ArrayLike<number>, constant = 0): Float64Array {
  const out = new Float64Array(matrix.rows);
  for (let i = 0; i < matrix.rows; i++) {
    let sum = constant;
    for (let k = matrix.rowStart[i] as number; k < (matrix.rowStart[i + 1] as number); k++) {
      sum += (matrix.value[k] as number) * (weights[matrix.columnIndex[k] as number] as number);
    }
    out[i] = sum;
  }
  return out;
}
