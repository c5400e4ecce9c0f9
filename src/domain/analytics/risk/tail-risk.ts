import { mean, standardDeviation } from '../../statistics/return-series';
import { normalDensity, normalQuantile } from '../normal-distribution';
import { requireConfidence, requireFiniteSeries, type Series } from '../series-checks';

/**
 * Value at risk and expected shortfall of one return series, reported as POSITIVE LOSSES per
 * period (a negative figure means even the tail is a gain). α = 1 − confidence.
 *
 * Historical VaR is the loss at ascending sorted index ceil(αT) − 1 (0-based); historical ES is the
 * Acerbi–Tasche estimator −(1/α)·[(1/T)·Σ_{i≤⌊αT⌋} r₍ᵢ₎ + (α − ⌊αT⌋/T)·r₍⌊αT⌋₊₁₎], which is the mean of
 * the worst αT returns when αT is whole and is never below the historical VaR. Parametric figures
 * assume a Gaussian with the sample mean and standard deviation (ddof 1):
 * VaR = −μ + σ·z₁₋α and ES = −μ + σ·φ(z₁₋α)/α.
 */

/** αT with the float noise of 1 − 0.95 removed, so 0.05 × 100 is 5 and not 5.000000000000004. */
const tailCount = (alpha: number, t: number): number => Math.round(alpha * t * 1e9) / 1e9;

/** The returns sorted ascending (a copy). */
export function sortedAscending(returns: Series): Float64Array {
  return Float64Array.from(returns).sort();
}

/** Historical VaR at `confidence` from returns already sorted ascending. */
export function historicalVarSorted(sorted: Float64Array, confidence: number): number {
  const k = Math.max(0, Math.ceil(tailCount(1 - confidence, sorted.length)) - 1);
  return -sorted[Math.min(k, sorted.length - 1)]!;
}

/** Acerbi–Tasche historical ES at `confidence` from returns already sorted ascending. */
export function historicalExpectedShortfallSorted(sorted: Float64Array, confidence: number): number {
  const t = sorted.length;
  const alpha = 1 - confidence;
  const whole = Math.min(t, Math.floor(tailCount(alpha, t)));
  let sum = 0;
  for (let i = 0; i < whole; i++) sum += sorted[i]!;
  let tail = sum / t;
  if (whole < t) tail += (alpha - whole / t) * sorted[whole]!;
  return -tail / alpha;
}

export function historicalVar(returns: Series, confidence: number): number {
  requireFiniteSeries(returns, 'returns');
  return historicalVarSorted(sortedAscending(returns), requireConfidence(confidence, 'confidence'));
}

export function historicalExpectedShortfall(returns: Series, confidence: number): number {
  requireFiniteSeries(returns, 'returns');
  return historicalExpectedShortfallSorted(sortedAscending(returns), requireConfidence(confidence, 'confidence'));
}

/** Gaussian VaR from a per-period mean and standard deviation. */
export const gaussianVar = (mu: number, sigma: number, confidence: number): number => -mu + sigma * normalQuantile(confidence);

/** Gaussian ES from a per-period mean and standard deviation. */
export const gaussianExpectedShortfall = (mu: number, sigma: number, confidence: number): number =>
  -mu + (sigma * normalDensity(normalQuantile(confidence))) / (1 - confidence);

export function parametricVar(returns: Series, confidence: number): number {
  requireFiniteSeries(returns, 'returns', 2);
  return gaussianVar(mean(returns), standardDeviation(returns), requireConfidence(confidence, 'confidence'));
}

export function parametricExpectedShortfall(returns: Series, confidence: number): number {
  requireFiniteSeries(returns, 'returns', 2);
  return gaussianExpectedShortfall(mean(returns), standardDeviation(returns), requireConfidence(confidence, 'confidence'));
}

/** Figures keyed by confidence as JSON keys ("0.95", "0.99"). */
export type ByConfidence = Readonly<Record<string, number>>;

export interface TailRisk {
  readonly var: { readonly historical: ByConfidence; readonly parametric: ByConfidence };
  readonly expectedShortfall: { readonly historical: ByConfidence; readonly parametric: ByConfidence };
}

/** VaR and ES, historical and parametric, at each confidence (sorting once). */
export function tailRisk(returns: Series, confidences: readonly number[] = [0.95, 0.99]): TailRisk {
  requireFiniteSeries(returns, 'returns', 2);
  confidences.forEach((c, i) => requireConfidence(c, `confidences[${i}]`));
  const sorted = sortedAscending(returns);
  const mu = mean(returns);
  const sigma = standardDeviation(returns);
  const table = (f: (c: number) => number): ByConfidence => Object.fromEntries(confidences.map((c) => [String(c), f(c)]));
  return {
    var: {
      historical: table((c) => historicalVarSorted(sorted, c)),
      parametric: table((c) => gaussianVar(mu, sigma, c)),
    },
    expectedShortfall: {
      historical: table((c) => historicalExpectedShortfallSorted(sorted, c)),
      parametric: table((c) => gaussianExpectedShortfall(mu, sigma, c)),
    },
  };
}
