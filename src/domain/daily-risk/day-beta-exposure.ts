import { betaAdjustedExposure } from '../analytics/risk/exposure';
import { alignReturns, type DailyCloses } from '../market/aligned-returns';
import { covariance, variance } from '../statistics/return-series';

/** The market the betas are measured against: a symbol and its daily closes. */
export interface BenchmarkCloses {
  readonly symbol: string;
  readonly closes: DailyCloses;
}

/** Exposure weighted by each holding's beta to the benchmark, as fractions of equity. */
export interface DayBetaExposure {
  readonly benchmark: string;
  /** Daily returns the betas rest on (the dates every held symbol and the benchmark have). */
  readonly observations: number;
  /** Per priced holding: cov(holding, benchmark) / var(benchmark) over the lookback. */
  readonly betas: Readonly<Record<string, number>>;
  /** Σ weight × beta over longs, over shorts (≤ 0), net (the portfolio's beta) and gross. */
  readonly long: number;
  readonly short: number;
  readonly net: number;
  readonly gross: number;
}

/** The figure (null when it cannot be measured) and what the snapshot's notes should say about it. */
export interface BetaExposureOutcome {
  readonly figure: DayBetaExposure | null;
  readonly notes: readonly string[];
}

/** The benchmark's key among the aligned symbols (no symbol can take it). */
export const BENCHMARK_KEY = '\u0000benchmark';

/**
 * The beta-adjusted exposure of the holdings (signed weights of equity by symbol) against a
 * benchmark: each holding's beta from daily returns on the dates all of them and the benchmark
 * have, over the last `lookbackDays`. Judged only on `minObservations` returns or more; holdings
 * without closes are left out and named.
 */
export function dayBetaExposure(
  weights: ReadonlyMap<string, number>,
  closes: ReadonlyMap<string, DailyCloses>,
  benchmark: BenchmarkCloses | null,
  lookbackDays: number,
  minObservations: number,
): BetaExposureOutcome {
  if (benchmark === null) return { figure: null, notes: ['beta-adjusted exposure: no benchmark is set (daily-risk settings benchmarkSymbol)'] };
  if (weights.size === 0) return { figure: { benchmark: benchmark.symbol, observations: 0, betas: {}, long: 0, short: 0, net: 0, gross: 0 }, notes: [] };
  const priced = [...weights.keys()].filter((s) => (closes.get(s)?.length ?? 0) >= 2);
  const unpriced = [...weights.keys()].filter((s) => !priced.includes(s));
  if (priced.length === 0) return { figure: null, notes: ['beta-adjusted exposure: no holding has daily closes'] };
  const series = new Map<string, DailyCloses>(priced.map((s) => [s, closes.get(s)!]));
  series.set(BENCHMARK_KEY, benchmark.closes);
  const aligned = alignReturns(series, lookbackDays);
  const observations = aligned.dates.length;
  if (observations < minObservations) {
    return { figure: null, notes: [`beta-adjusted exposure: ${observations} common daily returns with ${benchmark.symbol}, fewer than ${minObservations}`] };
  }
  const broken = aligned.assets.filter((_, i) => aligned.returns[i]!.some((r) => !Number.isFinite(r)));
  if (broken.length > 0) {
    const names = broken.map((a) => (a === BENCHMARK_KEY ? benchmark.symbol : a)).join(', ');
    return { figure: null, notes: [`beta-adjusted exposure: the closes of ${names} give no finite returns (a zero or missing close)`] };
  }
  const market = aligned.returns[aligned.assets.indexOf(BENCHMARK_KEY)]!;
  const marketVariance = variance(market);
  if (!(marketVariance > 0)) return { figure: null, notes: [`beta-adjusted exposure: ${benchmark.symbol} did not move over the lookback (no beta)`] };
  const betas: Record<string, number> = {};
  for (const symbol of priced) betas[symbol] = covariance(aligned.returns[aligned.assets.indexOf(symbol)]!, market) / marketVariance;
  const e = betaAdjustedExposure(priced.map((s) => ({ asset: s, value: weights.get(s)!, beta: betas[s]! })));
  const figure = { benchmark: benchmark.symbol, observations, betas, long: e.betaAdjustedLong, short: e.betaAdjustedShort, net: e.betaAdjustedNet, gross: e.betaAdjustedGross };
  return { figure, notes: unpriced.length === 0 ? [] : [`beta-adjusted exposure leaves out ${unpriced.join(', ')}: no daily closes`] };
}
