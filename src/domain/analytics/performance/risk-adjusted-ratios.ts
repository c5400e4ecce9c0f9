import { maxDrawdownOfWealth } from '../risk/drawdown';
import type { Series } from '../series-checks';
import { cagr, difference, isPresent, meanOf, stdOf } from './return-statistics';

/**
 * Sharpe, Sortino, downside deviation and Calmar. `riskFree` and `target` are PER PERIOD here (a
 * number or a series as long as the returns, as empyrical takes them); performanceMetrics turns an
 * annual rate into rf / periodsPerYear. Missing (NaN) periods are skipped.
 */
export interface RatioOptions {
  readonly periodsPerYear: number;
  /** Per-period risk-free return subtracted from each period (default 0). */
  readonly riskFree?: number | Series;
  /** Standard deviation's ddof (default 1). */
  readonly ddof?: number;
}

/** mean(r − rf) / std(r − rf) × √periodsPerYear; NaN when the excess returns do not vary. */
export function sharpeRatio(returns: Series, o: RatioOptions): number {
  const excess = difference(returns, o.riskFree ?? 0);
  const sd = stdOf(excess, o.ddof ?? 1);
  return sd > 0 ? (meanOf(excess) / sd) * Math.sqrt(o.periodsPerYear) : Number.NaN;
}

/**
 * Annualised downside deviation √(mean(min(r − target, 0)²)) × √periodsPerYear, the mean taken
 * over ALL present periods (not only the losing ones).
 */
export function downsideDeviation(returns: Series, target: number | Series, periodsPerYear: number): number {
  const diff = difference(returns, target);
  let s = 0;
  let n = 0;
  for (let i = 0; i < diff.length; i++) {
    const d = diff[i]!;
    if (!isPresent(d)) continue;
    n++;
    if (d < 0) s += d * d;
  }
  return n === 0 ? Number.NaN : Math.sqrt(s / n) * Math.sqrt(periodsPerYear);
}

/** mean(r − target) × periodsPerYear / downside deviation; NaN without a period below the target. */
export function sortinoRatio(returns: Series, target: number | Series, periodsPerYear: number): number {
  const dd = downsideDeviation(returns, target, periodsPerYear);
  return dd > 0 ? (meanOf(difference(returns, target)) * periodsPerYear) / dd : Number.NaN;
}

/** Max drawdown (positive fraction) on compounded wealth, missing periods flat. */
export function maxDrawdownValue(returns: Series): number {
  const w = new Float64Array(returns.length + 1);
  w[0] = 1;
  for (let t = 0; t < returns.length; t++) w[t + 1] = w[t]! * (1 + (isPresent(returns[t]!) ? returns[t]! : 0));
  return maxDrawdownOfWealth(w).value;
}

/** CAGR / max drawdown; NaN without a drawdown. */
export function calmarRatio(returns: Series, periodsPerYear: number): number {
  const dd = maxDrawdownValue(returns);
  return dd > 0 ? cagr(returns, periodsPerYear) / dd : Number.NaN;
}
