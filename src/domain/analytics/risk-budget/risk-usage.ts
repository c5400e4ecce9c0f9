import { covariance, mean, standardDeviation } from '../../statistics/return-series';
import { normalQuantile } from '../normal-distribution';
import { maxDrawdownOfWealth, wealthCurve } from '../risk/drawdown';
import { gaussianVar, historicalExpectedShortfallSorted, historicalVarSorted, sortedAscending } from '../risk/tail-risk';

/**
 * The risk each entity uses, on the weighted streams x_i,t = w_i·r_i,t whose sum is the portfolio
 * series p_t. 'component' usage is the Euler decomposition, which sums to the portfolio figure:
 *
 *   volatility (annualised)   w_i·cov(r_i, p)/σ_p · √periodsPerYear
 *   VaR 95 / 99 (Gaussian)    w_i·(−μ_i + z_c·cov(r_i, p)/σ_p), summing to −μ_p + z_c·σ_p
 *   expected shortfall        −(1/α)·[(1/T)·Σ_{tail} x_i,t + (α − ⌊αT⌋/T)·x_i,t*] over the portfolio's
 *                             own worst periods (Acerbi–Tasche weights), summing to its historical ES
 *   beta-adjusted exposure    w_i·β_i
 *
 * 'standalone' usage is the metric of x_i alone (historical VaR and ES); max drawdown has no Euler
 * decomposition and is always standalone (entities' drawdowns do not add up to the portfolio's).
 */
export const BUDGET_METRICS = ['volatility', 'var_95', 'var_99', 'expected_shortfall', 'max_drawdown', 'beta_adjusted_exposure'] as const;
export type BudgetMetric = (typeof BUDGET_METRICS)[number];
export type UsageBasis = 'component' | 'standalone';

export interface UsageInput {
  /** Weighted streams x_i = w_i·r_i, one per entity, equally long. */
  readonly weighted: readonly Float64Array[];
  readonly weights: readonly number[];
  /** Betas per entity (only for the beta-adjusted exposure). */
  readonly betas?: readonly number[];
  readonly periodsPerYear: number;
  readonly esConfidence: number;
}

export interface Usage {
  readonly perEntity: number[];
  /** The portfolio's own figure (for component usage, the sum of perEntity up to rounding). */
  readonly portfolio: number;
  readonly basis: UsageBasis;
}

function portfolioSeries(weighted: readonly Float64Array[]): Float64Array {
  const t = weighted[0]?.length ?? 0;
  const p = new Float64Array(t);
  for (const x of weighted) for (let k = 0; k < t; k++) p[k] = p[k]! + x[k]!;
  return p;
}

const standaloneOf = (metric: BudgetMetric, x: Float64Array, o: UsageInput): number => {
  switch (metric) {
    case 'volatility':
      return standardDeviation(x) * Math.sqrt(o.periodsPerYear);
    case 'var_95':
      return historicalVarSorted(sortedAscending(x), 0.95);
    case 'var_99':
      return historicalVarSorted(sortedAscending(x), 0.99);
    case 'expected_shortfall':
      return historicalExpectedShortfallSorted(sortedAscending(x), o.esConfidence);
    case 'max_drawdown':
      return maxDrawdownOfWealth(wealthCurve(x)).value;
    case 'beta_adjusted_exposure':
      return Number.NaN; // handled by the caller
  }
};

/** Acerbi–Tasche weights on the portfolio's sorted periods: entity ES components sum to its ES. */
function componentExpectedShortfall(weighted: readonly Float64Array[], p: Float64Array, confidence: number): number[] {
  const t = p.length;
  const alpha = 1 - confidence;
  const order = Array.from({ length: t }, (_, k) => k).sort((a, b) => p[a]! - p[b]!);
  const whole = Math.min(t, Math.floor(Math.round(alpha * t * 1e9) / 1e9));
  return weighted.map((x) => {
    let s = 0;
    for (let j = 0; j < whole; j++) s += x[order[j]!]!;
    let tail = s / t;
    if (whole < t) tail += (alpha - whole / t) * x[order[whole]!]!;
    return -tail / alpha;
  });
}

export function riskUsage(metric: BudgetMetric, basis: UsageBasis, o: UsageInput): Usage {
  const p = portfolioSeries(o.weighted);
  if (metric === 'beta_adjusted_exposure') {
    const perEntity = o.weights.map((w, i) => w * o.betas![i]!);
    return { perEntity, portfolio: perEntity.reduce((s, v) => s + v, 0), basis: 'component' };
  }
  if (metric === 'max_drawdown' || basis === 'standalone') {
    return { perEntity: o.weighted.map((x) => standaloneOf(metric, x, o)), portfolio: standaloneOf(metric, p, o), basis: 'standalone' };
  }
  if (metric === 'expected_shortfall') {
    return {
      perEntity: componentExpectedShortfall(o.weighted, p, o.esConfidence),
      portfolio: historicalExpectedShortfallSorted(sortedAscending(p), o.esConfidence),
      basis,
    };
  }
  const pMean = mean(p);
  const sigma = standardDeviation(p);
  const marginal = o.weighted.map((x) => (sigma > 0 ? covariance(x, p) / sigma : 0));
  if (metric === 'volatility') {
    const annual = Math.sqrt(o.periodsPerYear);
    return { perEntity: marginal.map((m) => m * annual), portfolio: sigma * annual, basis };
  }
  const confidence = metric === 'var_95' ? 0.95 : 0.99;
  const z = normalQuantile(confidence);
  return {
    perEntity: o.weighted.map((x, i) => -mean(x) + z * marginal[i]!),
    portfolio: gaussianVar(pMean, sigma, confidence),
    basis,
  };
}
