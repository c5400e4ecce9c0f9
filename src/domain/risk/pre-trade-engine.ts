import { buildRiskContext, type RiskContext, type RiskContextInput } from './risk-context';
import type { RiskDecision } from './risk-decision';
import { accountActive } from './rules/account.rules';
import { cashForBuy, positionForSell } from './rules/buying-power.rules';
import { correlationNotes, maxCorrelation, maxSectorExposure } from './rules/concentration.rules';
import { maxDailyLoss } from './rules/daily-loss.rules';
import { maxGrossLeverage, maxOpenPositions, maxPositionShareOfEquity, positiveEquity } from './rules/exposure.rules';
import { instrumentInBaseCurrency, knownInstrument, limitPriceOnTick, minimumNotional, wholeLots } from './rules/instrument.rules';
import { freshQuote } from './rules/market-data.rules';
import { limitPriceGiven, positiveQuantity } from './rules/order-shape.rules';
import { maxOrderQuantity, maxOrderValue } from './rules/order-size.rules';
import type { PreTradeRule } from './rules/pre-trade-rule';
import { priceCollar } from './rules/price-collar.rules';
import { assessSignal, signalChecks } from './rules/signal.rules';
import { maxOpenPositionsPerStrategy } from './rules/strategy.rules';
import { symbolAllowed } from './rules/symbol-allow-list.rules';
import { maxDailyTrades, maxOrderRate } from './rules/trading-activity.rules';
import { tradingStateGate } from './rules/trading-state.rules';

/** The controls in the order their reasons are reported, after the trading-state gate. Each is independent of the others. */
export const PRE_TRADE_RULES: readonly PreTradeRule[] = [
  accountActive,
  positiveQuantity, limitPriceGiven,
  symbolAllowed,
  knownInstrument, instrumentInBaseCurrency, wholeLots, limitPriceOnTick,
  freshQuote, priceCollar,
  minimumNotional,
  maxOrderValue, maxOrderQuantity,
  cashForBuy, positionForSell,
  positiveEquity, maxPositionShareOfEquity, maxGrossLeverage, maxOpenPositions, maxOpenPositionsPerStrategy,
  maxSectorExposure, maxCorrelation,
  maxDailyLoss, maxDailyTrades, maxOrderRate,
  signalChecks,
];

/** Decides from a built context: the trading-state gate first, then every rule; a denial lists every failed one. */
export function decide(context: RiskContext, rules: readonly PreTradeRule[] = PRE_TRADE_RULES): RiskDecision {
  const reasons = [...tradingStateGate(context), ...rules.flatMap((rule) => rule(context))];
  const notes = correlationNotes(context);
  const signal = assessSignal(context);
  return {
    approved: reasons.length === 0,
    reasons,
    evaluatedAt: context.asOf,
    ...(context.pricing !== null && { referencePrice: context.pricing.referencePrice, estimatedNotional: context.pricing.notional }),
    ...(notes.length > 0 && { notes }),
    ...(signal !== undefined && { signal }),
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
