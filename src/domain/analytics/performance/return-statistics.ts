import { mean, standardDeviation } from '../../statistics/return-series';
import type { Series } from '../series-checks';

/**
 * Return statistics on one period-return series. NaN periods are MISSING, as in empyrical: the
 * moments skip them, compounding treats them as flat (0) and the CAGR still counts them as time.
 * (performanceMetrics rejects NaN unless asked to skip it; these building blocks just follow the rule.)
 */

export const isPresent = (x: number): boolean => !Number.isNaN(x);

/** The present values (NaN dropped). */
export function presentValues(xs: Series): Float64Array {
  const out: number[] = [];
  for (let i = 0; i < xs.length; i++) if (isPresent(xs[i]!)) out.push(xs[i]!);
  return Float64Array.from(out);
}

/** x − y per period, NaN where either is missing. */
export function difference(x: Series, y: Series | number): Float64Array {
  const out = new Float64Array(x.length);
  for (let i = 0; i < x.length; i++) out[i] = x[i]! - (typeof y === 'number' ? y : y[i]!);
  return out;
}

export const meanOf = (xs: Series): number => mean(presentValues(xs));

/** Standard deviation of the present values with `ddof` (1 = sample). */
export const stdOf = (xs: Series, ddof = 1): number => standardDeviation(presentValues(xs), ddof);

/** Π(1 + r) − 1, missing periods flat. */
export function totalReturn(returns: Series): number {
  let w = 1;
  for (let i = 0; i < returns.length; i++) if (isPresent(returns[i]!)) w *= 1 + returns[i]!;
  return w - 1;
}

/** Compound annual growth rate (1 + total)^(periodsPerYear / T) − 1, T counting every period. */
export function cagr(returns: Series, periodsPerYear: number): number {
  if (returns.length === 0) return Number.NaN;
  return (1 + totalReturn(returns)) ** (periodsPerYear / returns.length) - 1;
}

/** Annualised volatility: std (ddof 1 by default) × √periodsPerYear. */
export const annualVolatility = (returns: Series, periodsPerYear: number, ddof = 1): number =>
  stdOf(returns, ddof) * Math.sqrt(periodsPerYear);

export interface WinLoss {
  /** Winning periods over periods that moved (a flat period is neither won nor lost, as in quantstats); null when none moved. */
  readonly winRate: number | null;
  /** Σ gains / |Σ losses|; null without a losing period. */
  readonly profitFactor: number | null;
  /** Mean of the positive returns; null without one. */
  readonly averageWin: number | null;
  /** Mean of the negative returns (a negative number); null without one. */
  readonly averageLoss: number | null;
  /** averageWin / |averageLoss|; null when either is missing. */
  readonly payoffRatio: number | null;
  readonly bestPeriod: number;
  readonly worstPeriod: number;
}

export function winLoss(returns: Series): WinLoss {
  let wins = 0, losses = 0, gain = 0, loss = 0;
  let best = Number.NEGATIVE_INFINITY;
  let worst = Number.POSITIVE_INFINITY;
  for (let i = 0; i < returns.length; i++) {
    const r = returns[i]!;
    if (!isPresent(r)) continue;
    if (r > 0) {
      wins++;
      gain += r;
    } else if (r < 0) {
      losses++;
      loss += r;
    }
    best = Math.max(best, r);
    worst = Math.min(worst, r);
  }
  const averageWin = wins > 0 ? gain / wins : null;
  const averageLoss = losses > 0 ? loss / losses : null;
  return {
    winRate: wins + losses > 0 ? wins / (wins + losses) : null,
    profitFactor: losses > 0 ? gain / -loss : null,
    averageWin,
    averageLoss,
    payoffRatio: averageWin !== null && averageLoss !== null ? averageWin / -averageLoss : null,
    bestPeriod: best,
    worstPeriod: worst,
  };
}
