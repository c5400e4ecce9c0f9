import type { ExecutionCostEstimate } from '../risk/execution-cost-estimate';
import { Decimal, ZERO } from '../values/decimal';
import { Money } from '../values/money';
import { price as asPrice, type Price } from '../values/price';
import type { Quantity } from '../values/quantity';
import type { LegSide, RebalanceLeg, RebalanceQuote } from './rebalance-types';

/**
 * The expected cost of one leg: fee (rate × notional at the mark, at least the minimum fee),
 * slippage (rate × notional, against us) and, when a quote is given, half the spread × quantity.
 */
export function costedLeg(
  symbol: string,
  side: LegSide,
  qty: Quantity,
  mark: Price,
  quote: RebalanceQuote | undefined,
  costs: ExecutionCostEstimate,
  currency: string,
): RebalanceLeg {
  const notional = Money.of(qty.times(mark), currency);
  const feeByRate = notional.times(costs.feeRate);
  const minFee = Money.of(costs.minFee, currency);
  const fee = feeByRate.gte(minFee) ? feeByRate : minFee;
  const slippage = notional.times(costs.slippageRate);
  const halfSpreadPerUnit = quote === undefined ? ZERO : Decimal.max(ZERO, quote.ask.minus(quote.bid)).div(2);
  const halfSpread = Money.of(halfSpreadPerUnit.times(qty), currency);
  const perUnit = halfSpreadPerUnit.plus(mark.times(costs.slippageRate));
  return {
    symbol,
    side,
    quantity: qty,
    estimatedPrice: asPrice(side === 'BUY' ? mark.plus(perUnit) : mark.minus(perUnit)),
    notional,
    estimatedFee: fee,
    estimatedSlippage: slippage,
    estimatedHalfSpread: halfSpread,
    estimatedCost: fee.plus(slippage).plus(halfSpread),
  };
}

/** What a leg does to cash: a sell brings notional − cost, a buy takes notional + cost. */
export function cashEffect(leg: RebalanceLeg): Money {
  return leg.side === 'SELL' ? leg.notional.minus(leg.estimatedCost) : leg.notional.plus(leg.estimatedCost).neg();
}
