import { AnalyticsInputError } from '../analytics-input-error';
import { normalQuantile } from '../normal-distribution';
import { matVec } from '../../optimisation/dense-linear-algebra';

/**
 * Volatility-based risk contributions (Euler): with σ_p = √(wᵀΣw),
 * marginal_i = (Σw)_i / σ_p, component_i = w_i · marginal_i (the components sum to σ_p) and
 * percent_i = component_i / σ_p (they sum to 1). Units are those of Σ: pass an annualised Σ for
 * annual figures. Component VaR (Gaussian) is w_i · (−μ_i + z_c · (Σw)_i / σ_p) on per-period μ and
 * Σ; it sums to the parametric portfolio VaR −μ_p + z_c · σ_p.
 */
export interface RiskContributions {
  readonly volatility: number;
  readonly marginal: Float64Array;
  readonly component: Float64Array;
  readonly percent: Float64Array;
}

export function riskContributions(weights: ArrayLike<number>, covariance: Float64Array): RiskContributions {
  const n = weights.length;
  if (covariance.length !== n * n) {
    throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'covariance', `must be ${n} × ${n} for ${n} weights`);
  }
  const sw = matVec(covariance, weights, n);
  let variance = 0;
  for (let i = 0; i < n; i++) variance += weights[i]! * sw[i]!;
  const volatility = Math.sqrt(Math.max(0, variance));
  const marginal = new Float64Array(n);
  const component = new Float64Array(n);
  const percent = new Float64Array(n);
  if (volatility > 0) {
    for (let i = 0; i < n; i++) {
      marginal[i] = sw[i]! / volatility;
      component[i] = weights[i]! * marginal[i]!;
      percent[i] = component[i]! / volatility;
    }
  }
  return { volatility, marginal, component, percent };
}

/** Gaussian component VaR per asset at `confidence`, per period (positive = adds to the loss). */
export function componentVar(weights: ArrayLike<number>, periodMeans: ArrayLike<number>, periodCovariance: Float64Array, confidence: number): Float64Array {
  const { marginal } = riskContributions(weights, periodCovariance);
  const z = normalQuantile(confidence);
  const out = new Float64Array(weights.length);
  for (let i = 0; i < weights.length; i++) out[i] = weights[i]! * (-periodMeans[i]! + z * marginal[i]!);
  return out;
}
