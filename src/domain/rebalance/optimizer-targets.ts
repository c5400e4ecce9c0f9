import { Decimal, ZERO } from '../values/decimal';
import { RebalancePlanError } from './rebalance-plan-error';
import type { Weight } from './rebalance-types';

/** Optimiser weights are floats; targets are decimals with this many places, rounded down so they never sum above the invested fraction. */
const TARGET_PLACES = 6;

/**
 * The optimiser's weights (fractions of the invested part, summing to about 1) as target weights
 * of equity: each × investedFraction, rounded down to 6 places; tiny negatives (solver noise) are 0.
 */
export function targetsFromOptimiserWeights(weights: Readonly<Record<string, number>>, investedFraction: Decimal): Record<string, Weight> {
  const out: Record<string, Weight> = {};
  for (const symbol of Object.keys(weights).sort()) {
    const w = weights[symbol]!;
    if (!Number.isFinite(w)) throw new RebalancePlanError('REBALANCE_VALUE_NOT_FINITE', `optimizer.weights.${symbol}`, 'the optimiser answered a weight that is not finite');
    if (w < -1e-9) throw new RebalancePlanError('REBALANCE_WEIGHT_NEGATIVE', `optimizer.weights.${symbol}`, 'the optimiser answered a short weight; rebalance targets are long-only');
    const t = w <= 0 ? ZERO : new Decimal(w.toFixed(12)).times(investedFraction).toDecimalPlaces(TARGET_PLACES, Decimal.ROUND_DOWN);
    out[symbol] = t;
  }
  return out;
}
