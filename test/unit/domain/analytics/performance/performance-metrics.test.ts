import fc from 'fast-check';
import { performanceMetrics } from '../../../../../src/domain/analytics/performance/performance-metrics';
import { rollingPerformance } from '../../../../../src/domain/analytics/performance/rolling-performance';

/** Five periods: two wins, two losses, one flat. mean 0.008, Σ(r − mean)² = 0.01348. */
const returns = [0.1, -0.05, 0.02, -0.03, 0];
const sd = Math.sqrt(0.01348 / 4);
const wealth = 1.1 * 0.95 * 1.02 * 0.97;
const drawdown = 1 - wealth / 1.1;
/** A benchmark and a portfolio that is exactly 2 × benchmark + 0.001 each period. */
const benchmark = [0.05, -0.02, 0.01, -0.01, 0];
const levered = benchmark.map((b) => 2 * b + 0.001);
const std = (xs: readonly number[]) => {
  const m = xs.reduce((s, v) => s + v, 0) / xs.length;
  return Math.sqrt(xs.reduce((s, v) => s + (v - m) ** 2, 0) / (xs.length - 1));
};

describe('performance metrics (252 periods, ddof 1, rf/252 per period)', () => {
  const m = performanceMetrics(returns);

  it.each([
    ['totalReturn', m.totalReturn, wealth - 1],
    ['cagr', m.cagr, wealth ** (252 / 5) - 1],
    ['volatility', m.volatility, sd * Math.sqrt(252)],
    ['sharpe', m.sharpe, (0.008 / sd) * Math.sqrt(252)],
    // downside deviation over ALL five periods: √((0.05² + 0.03²)/5)
    ['sortino', m.sortino, (0.008 * 252) / (Math.sqrt(0.0034 / 5) * Math.sqrt(252))],
    ['maxDrawdown', m.maxDrawdown, drawdown],
    ['calmar', m.calmar, (wealth ** (252 / 5) - 1) / drawdown],
    ['winRate (the flat period is neither)', m.winRate, 0.5],
    ['profitFactor', m.profitFactor, 0.12 / 0.08],
    ['averageWin', m.averageWin, 0.06],
    ['averageLoss', m.averageLoss, -0.04],
    ['payoffRatio', m.payoffRatio, 1.5],
    ['bestPeriod', m.bestPeriod, 0.1],
    ['worstPeriod', m.worstPeriod, -0.05],
  ])('when five periods are measured, then %s is the hand-computed value', (_name, actual, expected) => {
    expect(actual).toBeCloseTo(expected, 12);
  });

  it('when a risk-free rate is given, then rf/252 comes off every period for Sharpe and is Sortino\'s default target', () => {
    const withRf = performanceMetrics(returns, { riskFreeRate: 0.0252 });
    expect(withRf.sharpe).toBeCloseTo(((0.008 - 0.0001) / sd) * Math.sqrt(252), 12);
    const downside = Math.sqrt(((-0.0501) ** 2 + (-0.0301) ** 2 + (-0.0001) ** 2) / 5);
    expect(withRf.sortino).toBeCloseTo(((0.008 - 0.0001) * 252) / (downside * Math.sqrt(252)), 12);
    expect(performanceMetrics(returns, { riskFreeRate: 0.0252, targetReturn: 0 }).sortino).toBeCloseTo(m.sortino!, 14);
  });

  it('when the portfolio is 2 × benchmark + 0.001, then beta is 2 and alpha is 0.001 × 252 on excess returns', () => {
    const rel = performanceMetrics(levered, { benchmarkReturns: benchmark });
    expect(rel.beta).toBeCloseTo(2, 12);
    expect(rel.alpha).toBeCloseTo(0.252, 12);
    // with rf: r − rf = 2(b − rf) + 0.001 + rf, so alpha per period is 0.001 + rf/252
    const withRf = performanceMetrics(levered, { benchmarkReturns: benchmark, riskFreeRate: 0.0252 });
    expect(withRf.alpha).toBeCloseTo((0.001 + 0.0001) * 252, 12);
    expect(performanceMetrics(levered, { benchmarkReturns: benchmark, alphaAnnualisation: 'geometric' }).alpha).toBeCloseTo(1.001 ** 252 - 1, 12);
  });

  it('when measured against a benchmark, then tracking error and the information ratio are annualised', () => {
    const rel = performanceMetrics(levered, { benchmarkReturns: benchmark });
    const active = benchmark.map((b) => b + 0.001);
    expect(rel.trackingError).toBeCloseTo(std(active) * Math.sqrt(252), 12);
    // mean(active) = mean(b) + 0.001 = 0.006 + 0.001
    expect(rel.informationRatio).toBeCloseTo((0.007 * 252) / (std(active) * Math.sqrt(252)), 12);
  });

  it('when a figure does not exist, then it is null (no loss: profit factor; no benchmark: beta; flat: Sharpe)', () => {
    const up = performanceMetrics([0.01, 0.01, 0.01]);
    expect(up).toMatchObject({ profitFactor: null, averageLoss: null, sharpe: null, sortino: null, calmar: null, beta: null, alpha: null, maxDrawdown: 0 });
  });

  it.each([
    ['a NaN (rejected by default)', [0.01, Number.NaN], {}, 'ANALYTICS_VALUE_NOT_FINITE', 'returns[1]'],
    ['a return below −1', [0.01, -1.2], {}, 'ANALYTICS_VALUE_OUT_OF_RANGE', 'returns[1]'],
    ['a short benchmark', [0.01, 0.02], { benchmarkReturns: [0.01] }, 'ANALYTICS_LENGTH_MISMATCH', 'benchmarkReturns'],
    ['a fractional periods per year', [0.01, 0.02], { periodsPerYear: 2.5 }, 'ANALYTICS_OPTION_INVALID', 'periodsPerYear'],
    ['an empty series', [], {}, 'ANALYTICS_SERIES_EMPTY', 'returns'],
  ])('when given %s, then a typed error names the field', (_name, rs, options, code, field) => {
    expect(() => performanceMetrics(rs, options)).toThrow(expect.objectContaining({ code, field }));
  });

  it('when NaN periods are skipped, then compounding treats them as flat and CAGR still counts them', () => {
    const skipped = performanceMetrics([Number.NaN, 0.1, -0.05], { missing: 'skip', periodsPerYear: 3 });
    expect(skipped.totalReturn).toBeCloseTo(1.1 * 0.95 - 1, 15);
    expect(skipped.cagr).toBeCloseTo(1.1 * 0.95 - 1, 15);
    expect(skipped.volatility).toBeCloseTo(std([0.1, -0.05]) * Math.sqrt(3), 15);
  });

  it('when any returns are drawn, then max drawdown is in [0, 1] and win rate in [0, 1]', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -0.99, max: 1, noNaN: true }), { minLength: 2, maxLength: 100 }), (rs) => {
      const p = performanceMetrics(rs);
      expect(p.maxDrawdown).toBeGreaterThanOrEqual(0);
      expect(p.maxDrawdown).toBeLessThanOrEqual(1);
      if (p.winRate !== null) expect(p.winRate).toBeGreaterThanOrEqual(0);
      if (p.winRate !== null) expect(p.winRate).toBeLessThanOrEqual(1);
    }));
  });
});

describe('rolling performance', () => {
  it('when the window is 3 and the step 1 over 5 periods, then 3 windows each equal the metrics of their slice', () => {
    const dates = ['d1', 'd2', 'd3', 'd4', 'd5'];
    const rolled = rollingPerformance(levered, { window: 3, benchmarkReturns: benchmark, dates });
    expect(rolled.map((w) => [w.start, w.end, w.startDate, w.endDate])).toEqual([[0, 2, 'd1', 'd3'], [1, 3, 'd2', 'd4'], [2, 4, 'd3', 'd5']]);
    const middle = performanceMetrics(levered.slice(1, 4), { benchmarkReturns: benchmark.slice(1, 4) });
    expect(rolled[1]!.metrics).toEqual({
      totalReturn: middle.totalReturn, cagr: middle.cagr, volatility: middle.volatility, sharpe: middle.sharpe, sortino: middle.sortino,
      calmar: middle.calmar, maxDrawdown: middle.maxDrawdown, alpha: middle.alpha, beta: middle.beta,
      informationRatio: middle.informationRatio, trackingError: middle.trackingError,
    });
  });

  it('when the step is 2, then windows start every second period and never run short', () => {
    expect(rollingPerformance(returns, { window: 2, step: 2 }).map((w) => w.start)).toEqual([0, 2]);
  });

  it('when the window is longer than the series, then it is refused', () => {
    expect(() => rollingPerformance(returns, { window: 6 })).toThrow(expect.objectContaining({ code: 'ANALYTICS_SERIES_TOO_SHORT' }));
  });
});
