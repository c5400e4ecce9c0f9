import loadHighs from 'highs';
import {
  blackLittermanPosterior,
  blackLittermanWeights,
  createOptimiser,
  marketImpliedPriorReturns,
  marketImpliedRiskAversion,
  portfolioMetrics,
  type OptimisationRequest,
  type Optimiser,
} from '../../../../src/domain/optimisation';
import { sampleCovariance } from '../../../../src/domain/statistics/covariance-estimators';
import { expectedReturns } from '../../../../src/domain/statistics/expected-returns';
import { returnsFromPrices } from '../../../../src/domain/statistics/price-returns';
import { covTimes, kktReport, linearConstraints, maxResidual, negativeRatioGradient } from './kkt-check';
import { checkByName, expectWithin, readPeerJson, readPriceCsv, toRows, type PeerCheck } from './peer-data';

/**
 * PyPortfolioOpt's own test expectations (peer-data/pypfopt), under its conventions: geometric mean
 * returns (CAGR), pairwise sample covariance × 252, rf = 0.02, (None, None) bounds = [−1, 1].
 */
interface PypfoptPeer {
  readonly checks: PeerCheck[];
  readonly exact_weights: Record<string, Record<string, number>>;
}

const peer = readPeerJson<PypfoptPeer>('pypfopt');
const prices = readPriceCsv('pypfopt', 'stock_prices.csv');
const spy = readPriceCsv('pypfopt', 'spy_prices.csv').columns[0]!.map((p) => p!);
const tickers = prices.tickers;
const n = tickers.length;
const returns = returnsFromPrices(prices.columns);
const mu = expectedReturns(returns.columns, { method: 'geometric' });
const S = sampleCovariance(returns.columns);
const cov = toRows(S, n);
const base = { assets: tickers, expectedReturns: Array.from(mu), covariance: cov, riskFreeRate: 0.02 };
const SHORTS = { longOnly: false } as const; // [−1, 1]
const mcaps: Record<string, number> = {
  GOOG: 927e9, AAPL: 1.19e12, FB: 574e9, BABA: 533e9, AMZN: 867e9, GE: 96e9, AMD: 43e9, WMT: 339e9, BAC: 301e9, GM: 51e9,
  T: 61e9, UAA: 78e9, SHLD: 0, XOM: 295e9, RRC: 1e9, BBY: 22e9, MA: 288e9, PFE: 212e9, JPM: 422e9, SBUX: 102e9,
};
const marketWeights = tickers.map((t) => mcaps[t]!);
const fiveViews = { AAPL: 0.2, BBY: -0.3, BAC: 0, SBUX: -0.2, T: 0.131321 };

function absoluteViews(views: Record<string, number>): { P: number[][]; Q: number[] } {
  const entries = Object.entries(views);
  return { P: entries.map(([t]) => tickers.map((x) => (x === t ? 1 : 0))), Q: entries.map(([, q]) => q) };
}

const perf = (r: { expectedReturn: number | null; volatility: number; sharpe: number | null }) => [r.expectedReturn!, r.volatility, r.sharpe!];

let optimiser: Optimiser;
beforeAll(async () => {
  optimiser = createOptimiser(await loadHighs());
});

describe('PyPortfolioOpt peer checks', () => {
  it('when the checks below are compared with the file, then every check in it is covered', () => {
    const covered = [
      'mean_historical_return', 'min_volatility long-only perf(rf=0.02)', 'min_volatility bounds (None,None)->[-1,1] perf',
      'max_sharpe long-only rf=0.02 perf', 'max_sharpe bounds [-1,1] rf=0.02 perf', 'CLA max_sharpe (rf=0) evaluated at rf=0.02',
      'efficient_risk(0.19) long-only perf', 'efficient_risk(0.19) bounds [-1,1] perf', 'efficient_return(0.25) long-only perf',
      'market_implied_risk_aversion(spy, rf=0.02) rounded 5dp', 'market_implied_prior_returns(mcaps, delta, S, rf=0.02)',
      'BL market prior + views, bl_weights(delta) perf under posterior (rf=0.02)',
      "BL pi='equal' (1/n) + 5 views, bl_weights() delta=1 perf (rf=0.02)",
      'BL no prior + 5 views, bl_weights(delta(rf=0)) clean_weights (5 dp)',
    ];
    expect(covered.sort()).toEqual(peer.checks.map((c) => c.check).sort());
  });

  it('when geometric mean returns are taken from prices with gaps, then they match mean_historical_return', () => {
    const c = checkByName(peer.checks, 'mean_historical_return');
    expectWithin(mu, c.expected as number[], c.test_tolerance);
  });

  it.each<[string, Partial<OptimisationRequest>]>([
    ['min_volatility long-only perf(rf=0.02)', { objective: 'min_variance' }],
    ['min_volatility bounds (None,None)->[-1,1] perf', { objective: 'min_variance', constraints: SHORTS }],
    ['max_sharpe long-only rf=0.02 perf', { objective: 'max_sharpe' }],
    ['max_sharpe bounds [-1,1] rf=0.02 perf', { objective: 'max_sharpe', constraints: SHORTS }],
    ['efficient_risk(0.19) long-only perf', { objective: 'max_return', targetVolatility: 0.19 }],
    ['efficient_risk(0.19) bounds [-1,1] perf', { objective: 'max_return', targetVolatility: 0.19, constraints: SHORTS }],
    ['efficient_return(0.25) long-only perf', { objective: 'efficient_return', targetReturn: 0.25 }],
  ])('when %s is optimised, then (return, volatility, Sharpe) match PyPortfolioOpt', (name, extra) => {
    const c = checkByName(peer.checks, name);
    const result = optimiser.optimise({ ...base, ...extra } as OptimisationRequest);
    expectWithin(perf(result), c.expected as number[], c.test_tolerance);
    expect(result.solver.status).toBe('Optimal');
  });

  it('when max Sharpe is taken at rf = 0 (CLA) and evaluated at rf = 0.02, then it matches the CLA test', () => {
    const c = checkByName(peer.checks, 'CLA max_sharpe (rf=0) evaluated at rf=0.02');
    const result = optimiser.optimise({ ...base, riskFreeRate: 0, objective: 'max_sharpe' });
    expectWithin([result.expectedReturn!, result.volatility, (result.expectedReturn! - 0.02) / result.volatility], c.expected as number[], c.test_tolerance);
  });

  it.each([
    ['min_volatility_long_only', 'min_variance'],
    ['max_sharpe_long_only_rf_0.02', 'max_sharpe'],
  ] as const)('when %s is optimised, then its weights match the peer to 1e-7 and satisfy KKT to 1e-10', (key, objective) => {
    const result = optimiser.optimise({ ...base, objective });
    const expected = tickers.map((t) => peer.exact_weights[key]![t]!);
    const w = tickers.map((t) => result.weights[t]!);
    expectWithin(w, expected, { abs: 1e-7 });
    const gradient = objective === 'min_variance' ? covTimes(cov, w).map((v) => 2 * v) : negativeRatioGradient(cov, mu.map((m) => m - 0.02), w);
    const report = kktReport(gradient, linearConstraints(w, new Float64Array(n), new Float64Array(n).fill(1)));
    expect(maxResidual(report)).toBeLessThan(1e-10);
  });

  it('when the market-implied risk aversion is taken from SPY at rf = 0.02, then it rounds to 2.68549', () => {
    const c = checkByName(peer.checks, 'market_implied_risk_aversion(spy, rf=0.02) rounded 5dp');
    expect(Math.round(marketImpliedRiskAversion(spy, 0.02) * 1e5) / 1e5).toBe(c.expected);
  });

  it('when the market-implied prior is taken from market caps, then it matches market_implied_prior_returns', () => {
    const c = checkByName(peer.checks, 'market_implied_prior_returns(mcaps, delta, S, rf=0.02)');
    const delta = marketImpliedRiskAversion(spy, 0.02);
    expectWithin(marketImpliedPriorReturns(marketWeights, S, n, delta, 0.02), c.expected as number[], c.test_tolerance);
  });

  it('when a market prior meets four views, then bl_weights performance under the posterior matches', () => {
    const c = checkByName(peer.checks, 'BL market prior + views, bl_weights(delta) perf under posterior (rf=0.02)');
    const delta = marketImpliedRiskAversion(spy, 0.02);
    const prior = marketImpliedPriorReturns(marketWeights, S, n, delta, 0.02);
    const posterior = blackLittermanPosterior({ covariance: S, n, prior, ...absoluteViews({ GOOG: 0.4, AAPL: -0.3, FB: 0.3, BABA: 0 }) });
    const w = blackLittermanWeights(posterior.expectedReturns, S, n, delta);
    expectWithin(perf(portfolioMetrics(w, posterior.covariance, posterior.expectedReturns, 0.02)), c.expected as number[], c.test_tolerance);
  });

  it('when an equal prior (1/n) meets five views, then bl_weights(δ = 1) performance matches', () => {
    const c = checkByName(peer.checks, "BL pi='equal' (1/n) + 5 views, bl_weights() delta=1 perf (rf=0.02)");
    const posterior = blackLittermanPosterior({ covariance: S, n, prior: new Float64Array(n).fill(1 / n), ...absoluteViews(fiveViews) });
    const w = blackLittermanWeights(posterior.expectedReturns, S, n, 1);
    expectWithin(perf(portfolioMetrics(w, posterior.covariance, posterior.expectedReturns, 0.02)), c.expected as number[], c.test_tolerance);
  });

  it('when there is no prior and five views, then the cleaned weights (5 dp, |w| < 1e-4 → 0) match', () => {
    const c = checkByName(peer.checks, 'BL no prior + 5 views, bl_weights(delta(rf=0)) clean_weights (5 dp)');
    const delta = marketImpliedRiskAversion(spy, 0);
    const posterior = blackLittermanPosterior({ covariance: S, n, prior: new Float64Array(n), ...absoluteViews(fiveViews) });
    const w = blackLittermanWeights(posterior.expectedReturns, S, n, delta);
    const cleaned = Array.from(w, (x) => (Math.abs(x) < 1e-4 ? 0 : Math.round(x * 1e5) / 1e5));
    expectWithin(cleaned, c.expected as number[], c.test_tolerance);
  });
});
