import { PERIODS_PER_YEAR } from './return-series';

/**
 * Annualised expected returns per asset from period returns. NaN entries (gaps, before listing) are
 * skipped per asset, so each asset uses all of its own returns.
 *
 * - `arithmetic` (the project default): mean(r) × periodsPerYear.
 * - `geometric` (PyPortfolioOpt's `mean_historical_return` default, compounding=True):
 *   (∏(1 + r))^(periodsPerYear / count) − 1, count = the asset's non-NaN returns.
 */
export type ExpectedReturnMethod = 'arithmetic' | 'geometric';

export interface ExpectedReturnOptions {
  readonly method?: ExpectedReturnMethod;
  readonly periodsPerYear?: number;
}

export function expectedReturns(columns: readonly ArrayLike<number>[], options: ExpectedReturnOptions = {}): Float64Array {
  const method = options.method ?? 'arithmetic';
  const periods = options.periodsPerYear ?? PERIODS_PER_YEAR;
  return Float64Array.from(columns, (c) => (method === 'geometric' ? geometricAnnualReturn(c, periods) : arithmeticAnnualReturn(c, periods)));
}

export function arithmeticAnnualReturn(returns: ArrayLike<number>, periodsPerYear = PERIODS_PER_YEAR): number {
  let s = 0;
  let count = 0;
  for (let k = 0; k < returns.length; k++) {
    const r = returns[k]!;
    if (Number.isNaN(r)) continue;
    s += r;
    count++;
  }
  return count === 0 ? Number.NaN : (s / count) * periodsPerYear;
}

/** Compound annual growth rate; summed in log space so thousands of periods do not lose digits. */
export function geometricAnnualReturn(returns: ArrayLike<number>, periodsPerYear = PERIODS_PER_YEAR): number {
  let logGrowth = 0;
  let count = 0;
  for (let k = 0; k < returns.length; k++) {
    const r = returns[k]!;
    if (Number.isNaN(r)) continue;
    logGrowth += Math.log1p(r);
    count++;
  }
  return count === 0 ? Number.NaN : Math.expm1((logGrowth * periodsPerYear) / count);
}
