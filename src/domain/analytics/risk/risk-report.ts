import { PERIODS_PER_YEAR, covariance, standardDeviation, variance } from '../../statistics/return-series';
import { AnalyticsInputError } from '../analytics-input-error';
import { normalQuantile } from '../normal-distribution';
import { requireConfidence, requireFiniteSeries, requirePositiveInteger, type Series } from '../series-checks';
import { correlationFromCovariance } from './correlation';
import { centreColumns, covarianceOfCentred } from './covariance-kernel';
import { riskContributions } from './risk-contributions';
import { maxDrawdown, type MaxDrawdown } from './drawdown';
import { betaAdjustedExposure, concentration, sectorExposure, type BetaAdjustedExposure, type Concentration, type SectorExposure } from './exposure';
import { stressTest, type StressResult, type StressScenario } from './stress-scenarios';
import { tailRisk, type ByConfidence, type TailRisk } from './tail-risk';

/**
 * The whole risk picture of one return series, or of a weighted book of assets whose portfolio
 * series is returns · weights (weights held constant each period, i.e. rebalanced daily).
 * Volatility and the volatility contributions are annualised (× √periodsPerYear); VaR, ES and
 * component VaR are per period, as positive losses. Built for 500 assets × 1,260 days in well under
 * a second: one centred pass, one covariance in typed-array loops, everything else O(N·T).
 */
interface RiskReportOptions {
  /** Default [0.95, 0.99]. */
  readonly confidences?: readonly number[];
  /** Default 252. */
  readonly periodsPerYear?: number;
  /** The date each return ends on, for the drawdown dates. */
  readonly dates?: readonly string[];
  readonly startDate?: string;
  /** Benchmark period returns (same length): beta of the portfolio, and of each asset for the beta-adjusted exposure. */
  readonly benchmarkReturns?: Series;
}

export interface SeriesRiskInput extends RiskReportOptions {
  readonly returns: Series;
}

export interface PortfolioRiskInput extends RiskReportOptions {
  readonly assets: readonly string[];
  /** Weights by asset name, or in the order of `assets`; signed (short < 0); need not sum to 1. */
  readonly weights: Readonly<Record<string, number>> | readonly number[];
  /** One return series per asset, in the order of `assets`, all equally long. */
  readonly assetReturns: ReadonlyArray<Series>;
  readonly sectors?: Readonly<Record<string, string>>;
  /** Betas by asset; otherwise estimated from `benchmarkReturns` when given. */
  readonly betas?: Readonly<Record<string, number>>;
  readonly stressScenarios?: readonly StressScenario[];
  /** The N × N correlation matrix in the answer (default true; 500 assets make it 250,000 numbers). */
  readonly includeCorrelation?: boolean;
}

export type RiskReportInput = SeriesRiskInput | PortfolioRiskInput;

export interface AssetRiskContribution {
  readonly weight: number;
  /** ∂σ_p/∂w_i, annualised. */
  readonly marginal: number;
  /** w_i · marginal_i; the components sum to the volatility. */
  readonly component: number;
  /** component / volatility; sums to 1. */
  readonly percent: number;
  /** Gaussian component VaR per period, keyed like `var`; sums to the parametric VaR. */
  readonly componentVar: ByConfidence;
  readonly beta?: number;
}

export interface RiskReport extends TailRisk {
  readonly observations: number;
  readonly periodsPerYear: number;
  /** Annualised volatility of the (portfolio) series, ddof 1. */
  readonly volatility: number;
  readonly periodVolatility: number;
  readonly maxDrawdown: MaxDrawdown;
  /** Beta of the (portfolio) series to the benchmark, when one is given. */
  readonly beta?: number;
  readonly contributions?: Readonly<Record<string, AssetRiskContribution>>;
  readonly correlation?: { readonly assets: readonly string[]; readonly matrix: (number | null)[][] };
  readonly concentration?: Concentration;
  readonly sectorExposure?: Readonly<Record<string, SectorExposure>>;
  readonly betaAdjustedExposure?: BetaAdjustedExposure;
  readonly stress?: readonly StressResult[];
}

export const isPortfolioRiskInput = (input: RiskReportInput): input is PortfolioRiskInput => 'assets' in input;

function seriesPart(returns: Series, o: RiskReportOptions) {
  const confidences = o.confidences ?? [0.95, 0.99];
  confidences.forEach((c, i) => requireConfidence(c, `confidences[${i}]`));
  const periodsPerYear = requirePositiveInteger(o.periodsPerYear ?? PERIODS_PER_YEAR, 'periodsPerYear');
  requireFiniteSeries(returns, 'returns', 2);
  const periodVolatility = standardDeviation(returns);
  const drawdownDates = o.dates ? { dates: o.dates, ...(o.startDate !== undefined ? { startDate: o.startDate } : {}) } : undefined;
  let benchmark: { variance: number; beta: number } | undefined;
  if (o.benchmarkReturns) {
    const b = o.benchmarkReturns;
    requireFiniteSeries(b, 'benchmarkReturns', 2);
    if (b.length !== returns.length) throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'benchmarkReturns', `has ${b.length} values where returns have ${returns.length}`);
    const bv = variance(b);
    if (!(bv > 0)) throw new AnalyticsInputError('ANALYTICS_VALUE_OUT_OF_RANGE', 'benchmarkReturns', 'must vary (zero variance gives no beta)');
    benchmark = { variance: bv, beta: covariance(returns, b) / bv };
  }
  const report = {
    observations: returns.length,
    periodsPerYear,
    volatility: periodVolatility * Math.sqrt(periodsPerYear),
    periodVolatility,
    ...tailRisk(returns, confidences),
    maxDrawdown: maxDrawdown(returns, drawdownDates),
    ...(benchmark ? { beta: benchmark.beta } : {}),
  };
  return { report, confidences, periodsPerYear, benchmark };
}

function weightVector(input: PortfolioRiskInput): Float64Array {
  const { assets, weights } = input;
  const w = new Float64Array(assets.length);
  if (Array.isArray(weights)) {
    const list = weights as readonly number[];
    if (list.length !== assets.length) throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'weights', `has ${list.length} values for ${assets.length} assets`);
    list.forEach((v, i) => (w[i] = v));
  } else {
    const byName = weights as Readonly<Record<string, number>>;
    const known = new Set(assets);
    for (const k of Object.keys(byName)) if (!known.has(k)) throw new AnalyticsInputError('ANALYTICS_UNKNOWN_KEY', `weights.${k}`, 'is not one of assets');
    assets.forEach((a, i) => {
      const v = byName[a];
      if (v === undefined) throw new AnalyticsInputError('ANALYTICS_UNKNOWN_KEY', `weights.${a}`, 'is missing (every asset needs a weight)');
      w[i] = v;
    });
  }
  w.forEach((v, i) => {
    if (!Number.isFinite(v)) throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `weights.${assets[i]}`, 'must be a finite number');
  });
  return w;
}

export function riskReport(input: RiskReportInput): RiskReport {
  if (!isPortfolioRiskInput(input)) return seriesPart(input.returns, input).report;

  const { assets } = input;
  if (assets.length === 0) throw new AnalyticsInputError('ANALYTICS_SERIES_EMPTY', 'assets', 'must not be empty');
  if (new Set(assets).size !== assets.length) throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', 'assets', 'must not repeat a name');
  if (input.assetReturns.length !== assets.length) {
    throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'returns', `has ${input.assetReturns.length} series for ${assets.length} assets`);
  }
  const w = weightVector(input);
  const n = assets.length;
  const centred = centreColumns(input.assetReturns, 'returns');
  const t = centred.periods;
  if (t < 2) throw new AnalyticsInputError('ANALYTICS_SERIES_TOO_SHORT', 'returns', `needs at least 2 periods, got ${t}`);

  // Portfolio series p_t = Σ w_i r_it from the centred columns plus the means: O(N·T).
  const portfolio = new Float64Array(t);
  let portfolioMean = 0;
  for (let i = 0; i < n; i++) {
    const wi = w[i]!;
    if (wi === 0) continue;
    portfolioMean += wi * centred.means[i]!;
    const off = i * t;
    for (let k = 0; k < t; k++) portfolio[k] = portfolio[k]! + wi * centred.data[off + k]!;
  }
  for (let k = 0; k < t; k++) portfolio[k] = portfolio[k]! + portfolioMean;

  const { report, confidences, periodsPerYear, benchmark } = seriesPart(portfolio, input);

  const periodCov = covarianceOfCentred(centred, 1);
  const rc = riskContributions(w, periodCov);
  const annual = Math.sqrt(periodsPerYear);
  const zs = confidences.map((c) => [String(c), normalQuantile(c)] as const);

  let betas: Float64Array | undefined;
  if (input.betas) {
    betas = new Float64Array(n);
    const known = new Set(assets);
    for (const k of Object.keys(input.betas)) if (!known.has(k)) throw new AnalyticsInputError('ANALYTICS_UNKNOWN_KEY', `betas.${k}`, 'is not one of assets');
    assets.forEach((a, i) => {
      const b = input.betas![a];
      if (b === undefined || !Number.isFinite(b)) throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', `betas.${a}`, 'needs a finite beta for every asset');
      betas![i] = b;
    });
  } else if (benchmark && input.benchmarkReturns) {
    betas = new Float64Array(n);
    for (let i = 0; i < n; i++) betas[i] = covariance(input.assetReturns[i]!, input.benchmarkReturns) / benchmark.variance;
  }

  const contributions: Record<string, AssetRiskContribution> = {};
  for (let i = 0; i < n; i++) {
    const marginalPeriod = rc.marginal[i]!;
    contributions[assets[i]!] = {
      weight: w[i]!,
      marginal: marginalPeriod * annual,
      component: rc.component[i]! * annual,
      percent: rc.percent[i]!,
      componentVar: Object.fromEntries(zs.map(([key, z]) => [key, w[i]! * (-centred.means[i]! + z * marginalPeriod)])),
      ...(betas ? { beta: betas[i]! } : {}),
    };
  }

  const positions = assets.map((asset, i) => ({
    asset,
    value: w[i]!,
    ...(betas ? { beta: betas[i]! } : {}),
    ...(input.sectors?.[asset] !== undefined ? { sector: input.sectors[asset] } : {}),
  }));
  const includeCorrelation = input.includeCorrelation ?? true;
  return {
    ...report,
    contributions,
    ...(includeCorrelation ? { correlation: { assets, matrix: correlationFromCovariance(periodCov, n) } } : {}),
    concentration: concentration(w),
    ...(input.sectors ? { sectorExposure: sectorExposure(positions, 1) } : {}),
    ...(betas ? { betaAdjustedExposure: betaAdjustedExposure(positions) } : {}),
    ...(input.stressScenarios ? { stress: stressTest(positions, input.stressScenarios, 1) } : {}),
  };
}
