import type { DailyCloses } from '../market/aligned-returns';
import { PERIODS_PER_YEAR, simpleReturns, standardDeviation } from '../statistics/return-series';
import { RebalancePlanError } from './rebalance-plan-error';
import type { AdjustmentBasis, RebalancePosition, RebalanceTargetSource, TargetAdjustment } from './rebalance-types';

/** What a request asks for: the rule, not the figures (those are measured from the stored closes). */
export type AdjustmentSpec =
  | { readonly type: 'momentum-tilt'; readonly lookbackDays: number; readonly strength: number }
  | { readonly type: 'mean-reversion-tilt'; readonly lookbackDays: number; readonly strength: number }
  | { readonly type: 'risk-parity'; readonly lookbackDays: number };

export type { DailyCloses };

/** Figures are rounded to this many decimal places: what the plan shows is exactly what tilted it. */
const INPUT_PLACES = 10;
const rounded = (x: number): number => Number(x.toFixed(INPUT_PLACES));

/**
 * Measures what an adjustment needs from each symbol's last `lookbackDays + 1` stored closes:
 * - tilts: the trailing return, last close / the close `lookbackDays` trading days earlier − 1;
 * - risk parity: the annualised volatility, the sample standard deviation of the daily simple
 *   returns over those closes times √252.
 * Pure: the caller reads the closes. Too few closes for a symbol, or a non-positive close, is a
 * RebalancePlanError naming `adjustment.lookbackDays` (with the symbol and the rule).
 */
export function measureTargetAdjustment(spec: AdjustmentSpec, symbols: readonly string[], closes: ReadonlyMap<string, DailyCloses>): TargetAdjustment {
  const { lookbackDays } = spec;
  if (!Number.isInteger(lookbackDays) || lookbackDays < 2) throw new RebalancePlanError('REBALANCE_SETTING_INVALID', 'adjustment.lookbackDays', 'must be a whole number of at least 2');
  const figures: Record<string, number> = {};
  const window: Record<string, { from: string; to: string }> = {};
  for (const symbol of [...new Set(symbols)].sort()) {
    const used = (closes.get(symbol) ?? []).slice(-(lookbackDays + 1));
    if (used.length < lookbackDays + 1) {
      throw new RebalancePlanError('REBALANCE_HISTORY_TOO_SHORT', 'adjustment.lookbackDays',
        `${symbol} has ${used.length} stored daily closes: a lookback of ${lookbackDays} days needs ${lookbackDays + 1} (load closes with POST /v1/price-history, or shorten the lookback)`);
    }
    if (used.some((c) => !(c.close > 0) || !Number.isFinite(c.close))) throw new RebalancePlanError('REBALANCE_VALUE_NOT_FINITE', 'adjustment.lookbackDays', `${symbol} has a stored close that is not a positive number in the lookback`);
    const prices = used.map((c) => c.close);
    if (spec.type === 'risk-parity') {
      const volatility = rounded(standardDeviation(simpleReturns(prices)) * Math.sqrt(PERIODS_PER_YEAR));
      if (!(volatility > 0)) throw new RebalancePlanError('REBALANCE_SETTING_INVALID', 'adjustment.lookbackDays', `${symbol}'s closes did not move over the lookback: risk parity needs a positive volatility`);
      figures[symbol] = volatility;
    } else {
      figures[symbol] = rounded(simpleReturns([prices[0]!, prices[prices.length - 1]!])[0]!);
    }
    window[symbol] = { from: used[0]!.date, to: used[used.length - 1]!.date };
  }
  const basis: AdjustmentBasis = { lookbackDays, closes: window };
  return spec.type === 'risk-parity'
    ? { type: 'risk-parity', volatilities: figures, basis }
    : { type: spec.type, returns: figures, strength: spec.strength, basis };
}

/**
 * The symbols an adjustment measures: those with a positive target (only they take part). Strategy
 * bands give targets to the held positions, so those held long.
 */
export function symbolsToAdjust(source: RebalanceTargetSource, positions: readonly RebalancePosition[]): string[] {
  const positive = (weights: Readonly<Record<string, { gt(n: number): boolean }>>) => Object.keys(weights).filter((s) => weights[s]!.gt(0));
  if (source.type === 'strategy-bands') return positions.filter((p) => p.quantity.gt(0)).map((p) => p.symbol).sort();
  if (source.type === 'asset-bands') return Object.keys(source.bands).filter((s) => source.bands[s]!.target.gt(0)).sort();
  return positive(source.weights).sort();
}
