import type { Series } from '../series-checks';
import { covariance, variance } from '../../statistics/return-series';
import { difference, isPresent, meanOf, stdOf } from './return-statistics';

/**
 * Measures against a benchmark series of the same length (periods where either is missing are
 * dropped). Beta and alpha come from the OLS regression of the excess returns r − rf on the
 * benchmark's excess returns b − rf: β = cov / var, α = mean(r − rf) − β·mean(b − rf) per period,
 * annualised ×periodsPerYear ('arithmetic', the default) or as (1 + α)^periodsPerYear − 1
 * ('geometric', empyrical's convention).
 */
export type AlphaAnnualisation = 'arithmetic' | 'geometric';

export interface AlphaBeta {
  readonly alpha: number;
  readonly beta: number;
}

export function alphaBeta(
  returns: Series,
  benchmark: Series,
  o: { readonly periodsPerYear: number; readonly riskFree?: number | Series; readonly annualisation?: AlphaAnnualisation },
): AlphaBeta {
  const y = difference(returns, o.riskFree ?? 0);
  const x = difference(benchmark, o.riskFree ?? 0);
  const xs: number[] = [];
  const ys: number[] = [];
  for (let i = 0; i < y.length; i++) {
    if (isPresent(x[i]!) && isPresent(y[i]!)) {
      xs.push(x[i]!);
      ys.push(y[i]!);
    }
  }
  const vx = variance(xs);
  const beta = vx > 0 ? covariance(xs, ys) / vx : Number.NaN;
  const mx = meanOf(xs);
  const my = meanOf(ys);
  const periodAlpha = my - beta * mx;
  const alpha = (o.annualisation ?? 'arithmetic') === 'geometric' ? (1 + periodAlpha) ** o.periodsPerYear - 1 : periodAlpha * o.periodsPerYear;
  return { alpha, beta };
}

/** Annualised tracking error: std(r − b) (ddof 1) × √periodsPerYear. */
export const trackingError = (returns: Series, benchmark: Series, periodsPerYear: number, ddof = 1): number =>
  stdOf(difference(returns, benchmark), ddof) * Math.sqrt(periodsPerYear);

/**
 * Information ratio mean(r − b) / std(r − b) (ddof 1), annualised × √periodsPerYear by default;
 * `annualise: false` gives empyrical's excess_sharpe.
 */
export function informationRatio(returns: Series, benchmark: Series | number, o: { readonly periodsPerYear: number; readonly annualise?: boolean; readonly ddof?: number }): number {
  const active = difference(returns, benchmark);
  const sd = stdOf(active, o.ddof ?? 1);
  if (!(sd > 0)) return Number.NaN;
  return (meanOf(active) / sd) * ((o.annualise ?? true) ? Math.sqrt(o.periodsPerYear) : 1);
}
