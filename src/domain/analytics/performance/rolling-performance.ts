import { AnalyticsInputError } from '../analytics-input-error';
import { requirePositiveInteger, type Series } from '../series-checks';
import { performanceMetrics, type PerformanceMetrics, type PerformanceOptions } from './performance-metrics';

/** The metrics a rolling window reports (the main ones; the rest are in the full report). */
export const ROLLING_METRICS = [
  'totalReturn', 'cagr', 'volatility', 'sharpe', 'sortino', 'calmar', 'maxDrawdown',
  'alpha', 'beta', 'informationRatio', 'trackingError',
] as const;
export type RollingMetric = (typeof ROLLING_METRICS)[number];

export interface RollingWindow {
  /** Index of the window's first and last return (inclusive). */
  readonly start: number;
  readonly end: number;
  /** Dates of the first and last return, when dates are given. */
  readonly startDate?: string;
  readonly endDate?: string;
  readonly metrics: Pick<PerformanceMetrics, RollingMetric>;
}

export interface RollingOptions extends PerformanceOptions {
  /** Returns per window. */
  readonly window: number;
  /** Returns between window starts (default 1). */
  readonly step?: number;
  /** The date each return ends on (as many as the returns). */
  readonly dates?: readonly string[];
}

/**
 * performanceMetrics over windows of `window` returns every `step` returns, the last window ending
 * on the last return that a whole window reaches (windows never run short).
 */
export function rollingPerformance(returns: Series, o: RollingOptions): RollingWindow[] {
  const window = requirePositiveInteger(o.window, 'window');
  const step = requirePositiveInteger(o.step ?? 1, 'step');
  if (window > returns.length) throw new AnalyticsInputError('ANALYTICS_SERIES_TOO_SHORT', 'returns', `has ${returns.length} values, shorter than the window of ${window}`);
  if (o.dates && o.dates.length !== returns.length) throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'dates', `has ${o.dates.length} values where returns has ${returns.length}`);
  const all = Float64Array.from(returns);
  const bench = o.benchmarkReturns ? Float64Array.from(o.benchmarkReturns) : undefined;
  if (bench && bench.length !== all.length) throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'benchmarkReturns', `has ${bench.length} values where returns has ${all.length}`);
  const out: RollingWindow[] = [];
  for (let start = 0; start + window <= all.length; start += step) {
    const end = start + window;
    const m = performanceMetrics(all.subarray(start, end), { ...o, ...(bench ? { benchmarkReturns: bench.subarray(start, end) } : {}) });
    const metrics = Object.fromEntries(ROLLING_METRICS.map((k) => [k, m[k]])) as Pick<PerformanceMetrics, RollingMetric>;
    out.push({
      start,
      end: end - 1,
      ...(o.dates ? { startDate: o.dates[start]!, endDate: o.dates[end - 1]! } : {}),
      metrics,
    });
  }
  return out;
}
