/**
 * Returns from price columns that may have gaps (an asset not yet listed, a missing close). Missing
 * prices are `null` or NaN. Conventions follow pandas' `pct_change(fill_method=None)` as PyPortfolioOpt
 * uses it: a return is NaN whenever either of its two prices is missing (no forward fill), and the
 * first row (no previous price) is dropped. Estimators below then use each column's, or each pair's,
 * available returns ("pairwise-complete").
 */
export type PriceCell = number | null;

export interface GappedReturns {
  /** One Float64Array per asset, all of length T; NaN marks a missing return. */
  readonly columns: readonly Float64Array[];
  /** Non-NaN returns per asset. */
  readonly counts: readonly number[];
  /** Missing returns per asset (excluding the leading run before the first two prices). */
  readonly gaps: readonly number[];
}

const present = (p: PriceCell | undefined): p is number => typeof p === 'number' && Number.isFinite(p);

/** Simple returns per column from price columns (oldest first), NaN where either price is missing. */
export function returnsFromPrices(priceColumns: ReadonlyArray<ReadonlyArray<PriceCell>>): GappedReturns {
  const t = priceColumns.length === 0 ? 0 : Math.max(0, priceColumns[0]!.length - 1);
  const columns: Float64Array[] = [];
  const counts: number[] = [];
  const gaps: number[] = [];
  for (const prices of priceColumns) {
    if (prices.length !== t + 1) throw new RangeError(`price columns of different lengths: ${prices.length} and ${t + 1}`);
    const out = new Float64Array(t);
    let count = 0;
    let seen = false;
    let missing = 0;
    for (let k = 0; k < t; k++) {
      const a = prices[k];
      const b = prices[k + 1];
      if (present(a) && present(b)) {
        out[k] = b / a - 1;
        count++;
        seen = true;
      } else {
        out[k] = Number.NaN;
        if (seen) missing++;
      }
    }
    columns.push(out);
    counts.push(count);
    gaps.push(missing);
  }
  return { columns, counts, gaps };
}

/** True when a column has no NaN. */
export function isComplete(column: ArrayLike<number>): boolean {
  for (let k = 0; k < column.length; k++) if (Number.isNaN(column[k]!)) return false;
  return true;
}

/** Keeps only the periods where every column has a return (listwise deletion). */
export function completeRows(columns: readonly ArrayLike<number>[]): Float64Array[] {
  const t = columns.length === 0 ? 0 : columns[0]!.length;
  const keep: number[] = [];
  for (let k = 0; k < t; k++) if (columns.every((c) => !Number.isNaN(c[k]!))) keep.push(k);
  return columns.map((c) => Float64Array.from(keep, (k) => c[k]!));
}
