import { dot, matVec } from './dense-linear-algebra';

export interface PortfolioMetrics {
  readonly expectedReturn: number | null;
  readonly volatility: number;
  readonly sharpe: number | null;
  /** w_i (Σw)_i / σ_p, summing to σ_p. */
  readonly riskContributions: Float64Array;
  /** w_i (Σw)_i / σ_p², summing to 1. */
  readonly riskShares: Float64Array;
}

/** Expected return wᵀμ, volatility √(wᵀΣw), Sharpe (wᵀμ − rf)/σ and risk contributions. */
export function portfolioMetrics(
  weights: ArrayLike<number>,
  covariance: ArrayLike<number>,
  expectedReturns: ArrayLike<number> | null,
  riskFreeRate: number,
): PortfolioMetrics {
  const n = weights.length;
  const sw = matVec(covariance, weights, n);
  const variance = Math.max(0, dot(weights, sw));
  const volatility = Math.sqrt(variance);
  const expectedReturn = expectedReturns === null ? null : dot(weights, expectedReturns);
  const sharpe = expectedReturn === null || volatility === 0 ? null : (expectedReturn - riskFreeRate) / volatility;
  const riskContributions = Float64Array.from({ length: n }, (_, i) => (volatility === 0 ? 0 : (weights[i]! * sw[i]!) / volatility));
  const riskShares = Float64Array.from({ length: n }, (_, i) => (variance === 0 ? 0 : (weights[i]! * sw[i]!) / variance));
  return { expectedReturn, volatility, sharpe, riskContributions, riskShares };
}
