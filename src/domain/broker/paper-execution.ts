import type { Quote } from '../market/quote';
import type { OrderIntent } from '../orders/order';
import { Decimal } from '../values/decimal';
import type { ExecutionCostEstimate } from '../risk/execution-cost-estimate';

/** Costs the paper venue charges, as fractions in basis points (1 bp = 0.0001). */
export interface PaperCostModel {
  readonly feeBps: Decimal;
  readonly slippageBps: Decimal;
  /** Minimum fee per fill. */
  readonly minFee: Decimal;
}

export interface PaperExecution {
  readonly price: Decimal;
  readonly fee: Decimal;
}

const BPS = new Decimal('0.0001');

export function feeRate(model: PaperCostModel): Decimal {
  return model.feeBps.times(BPS);
}

/** What the pre-trade engine reserves for an execution at this venue. */
export function paperCostEstimate(model: PaperCostModel): ExecutionCostEstimate {
  return { feeRate: feeRate(model), minFee: model.minFee, slippageRate: model.slippageBps.times(BPS) };
}

/** A market order is always marketable; a limit order when the book's touch is at or through its limit. */
export function isMarketable(order: OrderIntent, quote: Quote): boolean {
  if (order.type === 'MARKET') return true;
  if (order.limitPrice === undefined) return false;
  return order.side === 'BUY' ? quote.ask.lte(order.limitPrice) : quote.bid.gte(order.limitPrice);
}

/**
 * Fills a marketable order at the touch moved against the trader by the slippage, never through
 * a limit; the price is rounded to the instrument's tick (against the trader) and the fee to cents.
 */
export function executeAgainstQuote(order: OrderIntent, quote: Quote, model: PaperCostModel, tickSize: Decimal): PaperExecution | null {
  if (!isMarketable(order, quote)) return null;
  const buy = order.side === 'BUY';
  const touch = buy ? quote.ask : quote.bid;
  const slipped = touch.times(buy ? Decimal.add(1, model.slippageBps.times(BPS)) : Decimal.sub(1, model.slippageBps.times(BPS)));
  // Tick sizes are positive: the demo market and PUT /v1/instruments create no other kind.
  const ticks = slipped.div(tickSize);
  let price = (buy ? ticks.ceil() : ticks.floor()).times(tickSize);
  if (order.limitPrice !== undefined) price = buy ? Decimal.min(price, order.limitPrice) : Decimal.max(price, order.limitPrice);
  const fee = Decimal.max(order.quantity.times(price).times(feeRate(model)), model.minFee).toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
  return { price, fee };
}
