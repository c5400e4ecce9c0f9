import { PERIODS_PER_YEAR } from '../../statistics/return-series';
import { AnalyticsInputError } from '../analytics-input-error';
import { requireFiniteNumber, requirePositiveInteger, type Series } from '../series-checks';
import { alphaBeta, informationRatio, trackingError, type AlphaAnnualisation } from './benchmark-relative';
import { maxDrawdownValue, sortinoRatio, sharpeRatio } from './risk-adjusted-ratios';
import { annualVolatility, cagr, totalReturn, winLoss } from './return-statistics';

/**
 * The performance metrics of one period-return series, with the conventions of issue 8: 252
 * periods a year, simple returns, ddof 1, the annual risk-free rate entering as rf / periodsPerYear
 * subtracted from every period, Sortino's downside deviation averaged over all periods, max
 * drawdown on compounded wealth with the start as a peak, Calmar = CAGR / max drawdown, beta and
 * alpha from the regression of excess returns (alpha × periodsPerYear), information ratio and
 * tracking error annualised. A figure that does not exist for the input (no losing period for the
 * profit factor, no benchmark for beta, a series that does not vary) is null, never NaN or ∞.
 */
export interface PerformanceOptions {
  /** Default 252. */
  readonly periodsPerYear?: number;
  /** Annual risk-free rate (default 0). */
  readonly riskFreeRate?: number;
  /** Benchmark period returns, as many as the returns: alpha, beta, information ratio, tracking error. */
  readonly benchmarkReturns?: Series;
  /** Sortino's target as an annual rate (default: the risk-free rate); per period it is target / periodsPerYear. */
  readonly targetReturn?: number;
  /** Default 'arithmetic' (× periodsPerYear); 'geometric' is empyrical's (1 + α)^periodsPerYear − 1. */
  readonly alphaAnnualisation?: AlphaAnnualisation;
  /** Standard deviation's ddof (default 1). */
  readonly ddof?: number;
  /** 'reject' (default): a NaN is an input error; 'skip': NaN periods are missing (empyrical's rule). */
  readonly missing?: 'reject' | 'skip';
}

export interface PerformanceMetrics {
  readonly observations: number;
  readonly totalReturn: number;
  readonly cagr: number;
  readonly volatility: number | null;
  readonly sharpe: number | null;
  readonly sortino: number | null;
  readonly calmar: number | null;
  /** Positive fraction in [0, 1]. */
  readonly maxDrawdown: number;
  readonly winRate: number | null;
  readonly profitFactor: number | null;
  readonly averageWin: number | null;
  readonly averageLoss: number | null;
  readonly payoffRatio: number | null;
  readonly alpha: number | null;
  readonly beta: number | null;
  readonly informationRatio: number | null;
  readonly trackingError: number | null;
  readonly bestPeriod: number;
  readonly worstPeriod: number;
}

const orNull = (x: number): number | null => (Number.isFinite(x) ? x : null);

function checkSeries(xs: Series, field: string, missing: 'reject' | 'skip'): void {
  if (xs.length === 0) throw new AnalyticsInputError('ANALYTICS_SERIES_EMPTY', field, 'must not be empty');
  for (let i = 0; i < xs.length; i++) {
    const v = xs[i]!;
    if (Number.isNaN(v) && missing === 'skip') continue;
    if (!Number.isFinite(v)) throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `${field}[${i}]`, 'must be a finite number');
    if (v < -1) throw new AnalyticsInputError('ANALYTICS_VALUE_OUT_OF_RANGE', `${field}[${i}]`, 'a simple return cannot be below -1');
  }
}

export function performanceMetrics(returns: Series, o: PerformanceOptions = {}): PerformanceMetrics {
  const missing = o.missing ?? 'reject';
  checkSeries(returns, 'returns', missing);
  const ppy = requirePositiveInteger(o.periodsPerYear ?? PERIODS_PER_YEAR, 'periodsPerYear');
  const rf = requireFiniteNumber(o.riskFreeRate ?? 0, 'riskFreeRate') / ppy;
  const target = requireFiniteNumber(o.targetReturn ?? o.riskFreeRate ?? 0, 'targetReturn') / ppy;
  const ddof = o.ddof ?? 1;
  if (ddof !== 0 && ddof !== 1) throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', 'ddof', 'must be 0 or 1');
  const b = o.benchmarkReturns;
  if (b) {
    checkSeries(b, 'benchmarkReturns', missing);
    if (b.length !== returns.length) throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'benchmarkReturns', `has ${b.length} values where returns has ${returns.length}`);
  }
  const growth = cagr(returns, ppy);
  const dd = maxDrawdownValue(returns);
  const wl = winLoss(returns);
  const ab = b ? alphaBeta(returns, b, { periodsPerYear: ppy, riskFree: rf, annualisation: o.alphaAnnualisation ?? 'arithmetic' }) : undefined;
  return {
    observations: returns.length,
    totalReturn: totalReturn(returns),
    cagr: growth,
    volatility: orNull(annualVolatility(returns, ppy, ddof)),
    sharpe: orNull(sharpeRatio(returns, { periodsPerYear: ppy, riskFree: rf, ddof })),
    sortino: orNull(sortinoRatio(returns, target, ppy)),
    calmar: orNull(dd > 0 ? growth / dd : Number.NaN),
    maxDrawdown: dd,
    winRate: wl.winRate,
    profitFactor: wl.profitFactor,
    averageWin: wl.averageWin,
    averageLoss: wl.averageLoss,
    payoffRatio: wl.payoffRatio,
    alpha: ab ? orNull(ab.alpha) : null,
    beta: ab ? orNull(ab.beta) : null,
    informationRatio: b ? orNull(informationRatio(returns, b, { periodsPerYear: ppy, ddof })) : null,
    trackingError: b ? orNull(trackingError(returns, b, ppy, ddof)) : null,
    bestPeriod: wl.bestPeriod,
    worstPeriod: wl.worstPeriod,
  };
}
