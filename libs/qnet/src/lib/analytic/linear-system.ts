// Below this pivot magnitude the matrix is treated as singular. Traffic matrices I − Pᵀ
// are scaled to O(1) entries, so an absolute threshold is meaningful here.
const SINGULAR_PIVOT = 1e-12;

/**
 * Solves A·x = b by Gaussian elimination with partial pivoting (the largest |entry| of
 * each column becomes the pivot, which bounds the growth of rounding errors).
 * Returns undefined when A is (numerically) singular. Inputs are not modified.
 *
 * @example
 * solveLinearSystem([[2, 1], [1, 3]], [3, 5]); // [0.8, 1.4]
 */
export function solveLinearSystem(
  matrix: readonly (readonly number[])[],
  rhs: readonly number[],
): number[] | undefined {
  const n = rhs.length;
  // Augmented rows [A | b], copied so the caller's arrays stay intact.
  const rows = matrix.map((row, i) => [...row, rhs[i] ?? 0]);
  for (let col = 0; col < n; col++) {
    const pivotRow = largestInColumn(rows, col);
    if (Math.abs(rows[pivotRow][col]) < SINGULAR_PIVOT) return undefined;
    [rows[col], rows[pivotRow]] = [rows[pivotRow], rows[col]];
    eliminateBelow(rows, col);
  }
  return backSubstitute(rows, n);
}

function largestInColumn(rows: number[][], col: number): number {
  let best = col;
  for (let r = col + 1; r < rows.length; r++) {
    if (Math.abs(rows[r][col]) > Math.abs(rows[best][col])) best = r;
  }
  return best;
}

function eliminateBelow(rows: number[][], col: number): void {
  const pivot = rows[col];
  for (let r = col + 1; r < rows.length; r++) {
    const row = rows[r];
    const factor = row[col] / pivot[col];
    if (factor === 0) continue;
    for (let c = col; c < row.length; c++) row[c] -= factor * pivot[c];
  }
}

function backSubstitute(rows: number[][], n: number): number[] {
  const x = new Array<number>(n).fill(0);
  for (let r = n - 1; r >= 0; r--) {
    const row = rows[r];
    let sum = row[n];
    for (let c = r + 1; c < n; c++) sum -= row[c] * x[c];
    x[r] = sum / row[r];
  }
  return x;
}
