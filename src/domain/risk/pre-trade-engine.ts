import { buildRiskContext, type RiskContext, type RiskContextInput } from './risk-context';
import type { RiskDecision } from './risk-decision';
import { cashForBuy, positionForSell } from './rules/buying-power.rules';
import { maxGrossLeverage, maxOpenPositions, maxPositionShareOfEquity, positiveEquity } from './rules/exposure.rules';
import { instrumentInBaseCurrency, knownInstrument, limitPriceOnTick, minimumNotional, wholeLots } from './rules/instrument.rules';
import { freshQuote } from './rules/market-data.rules';
import { limitPriceGiven, positiveQuantity } from './rules/order-shape.rules';
import { maxOrderValue } from './rules/order-value.rules';
import type { PreTradeRule } from './rules/pre-trade-rule';
import { symbolAllowed } from './rules/symbol-allow-list.rules';
import { tradingStateGate } from './rules/trading-state.rules';

/** The controls in the order their reasons are reported. Each is independent of the others. */
export const PRE_TRADE_RULES: readonly PreTradeRule[] = [
  positiveQuantity, limitPriceGiven,
  symbolAllowed,
  knownInstrument, instrumentInBaseCurrency, wholeLots, limitPriceOnTick,
  freshQuote,
  minimumNotional,
  maxOrderValue,
  cashForBuy, positionForSell,
  positiveEquity, maxPositionShareOfEquity, maxGrossLeverage, maxOpenPositions,
];

/** Decides from a built context: the trading-state gate first (a closed gate answers alone), then every rule. */
export function decide(context: RiskContext, rules: readonly PreTradeRule[] = PRE_TRADE_RULES): RiskDecision {
  const gate = tradingStateGate(context);
  const reasons = gate.length > 0 ? gate : rules.flatMap((rule) => rule(context));
  return {
    approved: reasons.length === 0,
    reasons,
    evaluatedAt: context.asOf,
    ...(context.pricing !== null && { referencePrice: context.pricing.referencePrice, estimatedNotional: context.pricing.notional }),
  };
}

/**
 * Evaluates one order against the portfolio's limits. Orders approved but not yet filled count
 * only against the portfolio: pending buys hold cash and exposure, pending sells hold the shares
 * they sell, and neither is credited before it fills; so concurrent orders cannot jointly breach
 * a limit. Every failing rule is reported, not only the first.
 */
export function evaluatePreTradeRisk(input: RiskContextInput): RiskDecision {
  return decide(buildRiskContext(input));
}
