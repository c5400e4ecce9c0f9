import { readFileSync } from 'node:fs';
import path from 'node:path';
import { alphaBeta, informationRatio } from '../../../../../src/domain/analytics/performance/benchmark-relative';
import { performanceMetrics } from '../../../../../src/domain/analytics/performance/performance-metrics';
import { calmarRatio, downsideDeviation, sharpeRatio, sortinoRatio } from '../../../../../src/domain/analytics/performance/risk-adjusted-ratios';
import { annualVolatility, cagr } from '../../../../../src/domain/analytics/performance/return-statistics';

/**
 * Every expected value of empyrical's own tests (../shared/peer-data/empyrical/expected_peer.json,
 * read at test time) at its stated tolerance. empyrical's conventions differ from ours in places,
 * each exposed as an option and used here: NaN periods are missing ('skip'), max drawdown is
 * reported negative (ours is the positive loss), alpha is annualised geometrically, excess_sharpe is
 * not annualised, and risk-free / required returns are per period (possibly a series).
 */
const PROJECT_ROOT = path.resolve(__dirname, '../../../../..');
const PEER_FILE = path.resolve(PROJECT_ROOT, '../shared/peer-data/empyrical/expected_peer.json');

interface PeerCheck {
  readonly check: string;
  readonly expected: number;
  readonly test_tolerance: { readonly abs: number };
}
interface PeerFile {
  readonly inputs: Record<string, unknown>;
  readonly conventions_exposed: Record<string, string>;
  readonly checks: readonly PeerCheck[];
}

const peer = JSON.parse(readFileSync(PEER_FILE, 'utf8')) as PeerFile;
const inputs = peer.inputs;
const numbers = (key: string): number[] => inputs[key] as number[];

// The two inputs the file describes in words rather than listing.
const mixed = [Number.NaN, 1, 10, -4, 2, 3, 2, 1, -10].map((v) => v / 100);
const weekly = [0, 1, 10, -4, 2, 3, 2, 1, -10].map((v) => v / 100);
const flatLine = new Array<number>(9).fill(0.01);
const positive = numbers('positive_returns');
const negative = numbers('negative_returns');
const simpleBenchmark = numbers('simple_benchmark');
const one = numbers('df_simple.one');
const two = numbers('df_simple.two');
const DAILY = 252;
const WEEKLY = 52;

/** Each check's name in the file → our computation under empyrical's conventions. */
const OURS: Record<string, () => number> = {
  'max_drawdown(mixed)': () => -performanceMetrics(mixed, { missing: 'skip' }).maxDrawdown,
  'max_drawdown([.1,-.1,.1])': () => -performanceMetrics([0.1, -0.1, 0.1]).maxDrawdown,
  'annual_return(mixed, daily)': () => performanceMetrics(mixed, { missing: 'skip' }).cagr,
  'annual_return(weekly_returns, weekly)': () => performanceMetrics(weekly, { periodsPerYear: WEEKLY }).cagr,
  'annual_volatility(mixed, daily)': () => performanceMetrics(mixed, { missing: 'skip' }).volatility!,
  'annual_volatility(weekly, weekly)': () => performanceMetrics(weekly, { periodsPerYear: WEEKLY }).volatility!,
  'calmar(mixed, daily)': () => performanceMetrics(mixed, { missing: 'skip' }).calmar!,
  'sharpe(mixed, rf=0)': () => performanceMetrics(mixed, { missing: 'skip' }).sharpe!,
  'sharpe(mixed, rf=simple_benchmark)': () => sharpeRatio(mixed, { periodsPerYear: DAILY, riskFree: simpleBenchmark }),
  'sharpe(positive, 0)': () => performanceMetrics(positive).sharpe!,
  'sharpe(negative, 0)': () => performanceMetrics(negative).sharpe!,
  'downside_risk(mixed, 0)': () => downsideDeviation(mixed, 0, DAILY),
  'downside_risk(mixed, 0.1)': () => downsideDeviation(mixed, 0.1, DAILY),
  'downside_risk(weekly, 0, weekly)': () => downsideDeviation(weekly, 0, WEEKLY),
  'downside_risk(df_simple.one, 0)': () => downsideDeviation(one, 0, DAILY),
  'downside_risk(df_simple.two, 0)': () => downsideDeviation(two, 0, DAILY),
  'sortino(mixed, 0)': () => performanceMetrics(mixed, { missing: 'skip' }).sortino!,
  'sortino(mixed, flat_line_1)': () => sortinoRatio(mixed, flatLine, DAILY),
  'sortino(negative, 0)': () => performanceMetrics(negative).sortino!,
  'sortino(weekly, 0, weekly)': () => performanceMetrics(weekly, { periodsPerYear: WEEKLY }).sortino!,
  'sortino(df_simple.one, 0)': () => performanceMetrics(one).sortino!,
  'sortino(df_simple.two, 0)': () => performanceMetrics(two).sortino!,
  'excess_sharpe(mixed, 0)': () => informationRatio(mixed, 0, { periodsPerYear: DAILY, annualise: false }),
  'excess_sharpe(mixed, flat_line_1)': () => informationRatio(mixed, flatLine, { periodsPerYear: DAILY, annualise: false }),
  // empyrical aligns the two series on dates: negative[1:] starts on mixed's second date.
  'alpha_beta(mixed, negative[1:]) alpha': () =>
    performanceMetrics(mixed.slice(1), { benchmarkReturns: negative.slice(1), alphaAnnualisation: 'geometric' }).alpha!,
  'alpha_beta(mixed, negative[1:]) beta': () => performanceMetrics(mixed.slice(1), { benchmarkReturns: negative.slice(1) }).beta!,
};

describe('empyrical peer checks (expected_peer.json)', () => {
  it('when the file is read, then it states the conventions these checks rely on', () => {
    expect(peer.conventions_exposed['max_drawdown']).toMatch(/NEGATIVE/);
    expect(peer.conventions_exposed['alpha']).toMatch(/\^252/);
    expect(peer.conventions_exposed['excess_sharpe']).toMatch(/not annualised/);
    expect(peer.checks.length).toBeGreaterThanOrEqual(26);
  });

  it('when every check in the file is listed, then each has a computation here', () => {
    expect(peer.checks.map((c) => c.check).filter((name) => !(name in OURS))).toEqual([]);
  });

  it.each(peer.checks.map((c) => [c.check, c] as const))('when empyrical checks %s, then ours agrees within its tolerance', (name, c) => {
    const actual = OURS[name]!();
    expect(Math.abs(actual - c.expected)).toBeLessThanOrEqual(c.test_tolerance.abs);
  });

  it('when the building blocks are called directly, then they agree with the report', () => {
    expect(cagr(mixed, DAILY)).toBeCloseTo(performanceMetrics(mixed, { missing: 'skip' }).cagr, 14);
    expect(annualVolatility(weekly, WEEKLY)).toBeCloseTo(performanceMetrics(weekly, { periodsPerYear: WEEKLY }).volatility!, 14);
    expect(calmarRatio(mixed, DAILY)).toBeCloseTo(performanceMetrics(mixed, { missing: 'skip' }).calmar!, 12);
    expect(alphaBeta(mixed.slice(1), negative.slice(1), { periodsPerYear: DAILY }).beta).toBeCloseTo(-0.7129629629629631, 12);
  });
});
