import { covariance, variance } from '../statistics/return-series';
/** Daily closes as the correlation reads them: statistics on a return series, so floats, oldest first. */
export type CloseSeries = ReadonlyArray<{ readonly date: string; readonly close: number }>;

/** A measured correlation, or why there is none. Statistics on return series: floats. */
export interface ReturnCorrelation {
  /** Pearson's sample correlation of the two daily simple-return series; null when it cannot be measured. */
  readonly correlation: number | null;
  /** Common daily returns it was measured over. */
  readonly observations: number;
}

/** Simple returns keyed by the date they end on, over the last `lookback` returns of the series. */
export function dailyReturns(closes: CloseSeries, lookback: number): Map<string, number> {
  const returns = new Map<string, number>();
  const from = Math.max(1, closes.length - lookback);
  for (let i = from; i < closes.length; i++) {
    const previous = closes[i - 1]!.close;
    const current = closes[i]!.close;
    if (previous > 0 && Number.isFinite(current)) returns.set(closes[i]!.date, current / previous - 1);
  }
  return returns;
}

/**
 * The correlation of two symbols' daily returns over their last `lookback` returns, on the dates
 * both have (closes oldest first). Fewer than `minObservations` common returns, or a series that
 * does not move, cannot be measured: the caller's policy decides what that means.
 */
export function returnCorrelation(a: CloseSeries, b: CloseSeries, lookback: number, minObservations: number): ReturnCorrelation {
  return correlationOfReturns(dailyReturns(a, lookback), dailyReturns(b, lookback), minObservations);
}

/** The same from returns already taken (a series measured against many is converted once). */
export function correlationOfReturns(ra: ReadonlyMap<string, number>, rb: ReadonlyMap<string, number>, minObservations: number): ReturnCorrelation {
  const xs: number[] = [];
  const ys: number[] = [];
  for (const [date, x] of ra) {
    const y = rb.get(date);
    if (y === undefined) continue;
    xs.push(x);
    ys.push(y);
  }
  const n = xs.length;
  if (n < Math.max(2, minObservations)) return { correlation: null, observations: n };
  const spread = variance(xs) * variance(ys);
  if (spread === 0) return { correlation: null, observations: n };
  const correlation = covariance(xs, ys) / Math.sqrt(spread);
  return { correlation: Number.isFinite(correlation) ? Math.max(-1, Math.min(1, correlation)) : null, observations: n };
}
