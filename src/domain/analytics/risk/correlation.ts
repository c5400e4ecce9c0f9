/**
 * The correlation matrix from a row-major N × N covariance: ρ_ij = Σ_ij / √(Σ_ii Σ_jj), with 1 on
 * the diagonal. An asset that does not move (zero variance) correlates with nothing: NaN off the
 * diagonal would poison JSON, so its row and column are null.
 */
export function correlationFromCovariance(cov: Float64Array, n: number): (number | null)[][] {
  const sd = new Float64Array(n);
  for (let i = 0; i < n; i++) sd[i] = Math.sqrt(cov[i * n + i]!);
  const rows: (number | null)[][] = [];
  for (let i = 0; i < n; i++) {
    const row: (number | null)[] = new Array<number | null>(n);
    for (let j = 0; j < n; j++) {
      const d = sd[i]! * sd[j]!;
      if (i === j) row[j] = d > 0 ? 1 : null;
      else row[j] = d > 0 ? Math.max(-1, Math.min(1, cov[i * n + j]! / d)) : null;
    }
    rows.push(row);
  }
  return rows;
}
