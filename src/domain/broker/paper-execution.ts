import type { Quote } from '../market/quote';
import type { OrderIntent } from '../orders/order';
import { Decimal } from '../values/decimal';
import { Money, notional } from '../values/money';
import { price, type Price } from '../values/price';
import type { ExecutionCostEstimate } from '../risk/execution-cost-estimate';

/** Costs the paper venue charges, as fractions in basis points (1 bp = 0.0001). */
export interface PaperCostModel {
  readonly feeBps: Decimal;
  readonly slippageBps: Decimal;
  /** Minimum fee per fill, in the instrument's currency. */
  readonly minFee: Decimal;
}

export interface PaperExecution {
  readonly price: Price;
  readonly fee: Money;
}

const BPS = new Decimal('0.0001');

/** What the pre-trade engine reserves for an execution at this venue. */
export function paperCostEstimate(model: PaperCostModel): ExecutionCostEstimate {
  return { feeRate: model.feeBps.times(BPS), minFee: model.minFee, slippageRate: model.slippageBps.times(BPS) };
}

/** A market order is always marketable; a limit order when the book's touch is at or through its limit. */
export function isMarketable(order: OrderIntent, quote: Quote): boolean {
  if (order.type === 'MARKET') return true;
  if (order.limitPrice === undefined) return false;
  return order.side === 'BUY' ? quote.ask.lte(order.limitPrice) : quote.bid.gte(order.limitPrice);
}

/**
 * Fills a marketable order at the touch moved against the trader by the slippage, never through
 * a limit; the price is rounded to the instrument's tick (against the trader) and the fee, in the
 * instrument's currency, to cents.
 */
export function executeAgainstQuote(order: OrderIntent, quote: Quote, model: PaperCostModel, instrument: { tickSize: Price; currency: string }): PaperExecution | null {
  if (!isMarketable(order, quote)) return null;
  const buy = order.side === 'BUY';
  const slippage = model.slippageBps.times(BPS);
  const touch = buy ? quote.ask : quote.bid;
  const slipped = touch.times(buy ? Decimal.add(1, slippage) : Decimal.sub(1, slippage));
  // Tick sizes are positive: the demo market and PUT /v1/instruments create no other kind.
  const ticks = slipped.div(instrument.tickSize);
  let fillPrice = (buy ? ticks.ceil() : ticks.floor()).times(instrument.tickSize);
  if (order.limitPrice !== undefined) fillPrice = buy ? Decimal.min(fillPrice, order.limitPrice) : Decimal.max(fillPrice, order.limitPrice);
  const at = price(fillPrice);
  const fee = Money.max(notional(order.quantity, at, instrument.currency).times(model.feeBps.times(BPS)), Money.of(model.minFee, instrument.currency))
    .toDecimalPlaces(2, Decimal.ROUND_HALF_EVEN);
  return { price: at, fee };
}
