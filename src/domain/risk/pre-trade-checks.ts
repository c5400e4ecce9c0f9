import type { Instrument } from '../instruments/instrument';
import { quoteAgeSeconds, type Quote } from '../market/quote';
import { sideSign, type OrderIntent, type OrderSide } from '../orders/order';
import { valuePortfolio, type PositionHolding } from '../portfolio/valuation';
import { Decimal, ZERO, isMultipleOf, sum, toWire } from '../values/decimal';
import type { RiskDecision, RiskReason, RiskReasonCode } from './risk-decision';
import type { RiskLimits } from './risk-limits';

/** An approved order that has not filled yet: it already holds cash and exposure. */
export interface OpenOrderExposure {
  readonly symbol: string;
  readonly side: OrderSide;
  readonly quantity: Decimal;
  readonly price: Decimal;
}

export interface PreTradeInput {
  readonly order: OrderIntent;
  readonly instrument: Instrument | null;
  readonly quote: Quote | null;
  readonly cash: Decimal;
  readonly holdings: readonly PositionHolding[];
  /** Marks (last prices) of every held symbol that has a quote. */
  readonly marks: ReadonlyMap<string, Decimal>;
  readonly openOrders: readonly OpenOrderExposure[];
  readonly limits: RiskLimits;
  /** Fee as a fraction of notional, to reserve cash for buys. */
  readonly feeRate: Decimal;
  readonly asOf: Date;
}

function reason(code: RiskReasonCode, message: string, limit?: Decimal | number, actual?: Decimal | number): RiskReason {
  const wire = (v: Decimal | number | undefined) => (v === undefined ? undefined : typeof v === 'number' ? String(v) : toWire(v));
  return { code, message, ...(limit !== undefined && { limit: wire(limit) }), ...(actual !== undefined && { actual: wire(actual) }) };
}

/** Order sanity and instrument rules: no market state needed. */
function checkOrderShape(order: OrderIntent, instrument: Instrument | null, limits: RiskLimits): RiskReason[] {
  const reasons: RiskReason[] = [];
  if (!order.quantity.isFinite() || order.quantity.lte(0)) {
    reasons.push(reason('INVALID_QUANTITY', 'quantity must be greater than zero', undefined, order.quantity));
  }
  if (order.type === 'LIMIT' && (order.limitPrice === undefined || order.limitPrice.lte(0))) {
    reasons.push(reason('INVALID_PRICE', 'a limit order needs a limit price greater than zero'));
  }
  if (limits.allowedSymbols !== null && !limits.allowedSymbols.includes(order.symbol)) {
    reasons.push(reason('SYMBOL_NOT_ALLOWED', `${order.symbol} is not on the portfolio's symbol allow-list`));
  }
  if (instrument === null) {
    reasons.push(reason('UNKNOWN_INSTRUMENT', `${order.symbol} is not a known instrument`));
    return reasons;
  }
  if (order.quantity.gt(0) && !isMultipleOf(order.quantity, instrument.lotSize)) {
    reasons.push(reason('LOT_SIZE', `quantity must be a multiple of the lot size ${toWire(instrument.lotSize)}`, instrument.lotSize, order.quantity));
  }
  if (order.limitPrice !== undefined && order.limitPrice.gt(0) && !isMultipleOf(order.limitPrice, instrument.tickSize)) {
    reasons.push(reason('PRICE_TICK_SIZE', `limit price must be a multiple of the tick size ${toWire(instrument.tickSize)}`, instrument.tickSize, order.limitPrice));
  }
  return reasons;
}

/** The price the order is valued at: its limit (the most it can cost), else the side of the book it takes. */
function referencePrice(order: OrderIntent, quote: Quote): Decimal {
  if (order.type === 'LIMIT' && order.limitPrice !== undefined) return order.limitPrice;
  return order.side === 'BUY' ? quote.ask : quote.bid;
}

/**
 * Evaluates one order against the portfolio's limits, counting orders that are approved but not
 * yet filled as if they had filled, so concurrent orders cannot jointly breach a limit.
 * Every failing rule is reported, not only the first.
 */
export function evaluatePreTradeRisk(input: PreTradeInput): RiskDecision {
  const { order, instrument, quote, limits, asOf } = input;
  const reasons = checkOrderShape(order, instrument, limits);
  const decide = (extra: RiskReason[], refs: { referencePrice?: Decimal; estimatedNotional?: Decimal } = {}): RiskDecision => {
    const all = [...reasons, ...extra];
    return { approved: all.length === 0, reasons: all, evaluatedAt: asOf, ...refs };
  };
  if (instrument === null) return decide([]);

  if (quote === null) return decide([reason('QUOTE_MISSING', `no quote for ${order.symbol}`)]);
  const age = quoteAgeSeconds(quote, asOf);
  if (age > limits.maxQuoteAgeSeconds) {
    return decide([reason('QUOTE_STALE', `the ${order.symbol} quote is ${Math.floor(age)} s old`, limits.maxQuoteAgeSeconds, Math.floor(age))]);
  }
  if (order.quantity.lte(0) || (order.type === 'LIMIT' && (order.limitPrice === undefined || order.limitPrice.lte(0)))) return decide([]);

  const price = referencePrice(order, quote);
  const notional = order.quantity.times(price);
  const refs = { referencePrice: price, estimatedNotional: notional };
  const extra: RiskReason[] = [];

  if (notional.lt(instrument.minNotional)) {
    extra.push(reason('MIN_NOTIONAL', `order value ${toWire(notional)} is below the minimum ${toWire(instrument.minNotional)}`, instrument.minNotional, notional));
  }
  if (notional.gt(limits.maxOrderValue)) {
    extra.push(reason('MAX_ORDER_VALUE', `order value ${toWire(notional)} exceeds the limit ${toWire(limits.maxOrderValue)}`, limits.maxOrderValue, notional));
  }

  // Project the book as if every open order and this one had filled.
  const projected = new Map<string, Decimal>(input.holdings.map((h) => [h.symbol, h.quantity]));
  const prices = new Map<string, Decimal>(input.marks);
  let cashAfter = input.cash;
  const pending = [...input.openOrders, { symbol: order.symbol, side: order.side, quantity: order.quantity, price }];
  for (const o of pending) {
    projected.set(o.symbol, (projected.get(o.symbol) ?? ZERO).plus(o.quantity.times(sideSign(o.side))));
    if (!prices.has(o.symbol)) prices.set(o.symbol, o.price);
    const gross = o.quantity.times(o.price);
    const fee = gross.times(input.feeRate);
    cashAfter = o.side === 'BUY' ? cashAfter.minus(gross).minus(fee) : cashAfter.plus(gross).minus(fee);
  }
  prices.set(order.symbol, price);

  if (order.side === 'BUY' && cashAfter.lt(0)) {
    extra.push(reason('INSUFFICIENT_CASH', `the order needs ${toWire(cashAfter.neg())} more cash than is available`, ZERO, cashAfter));
  }
  const quantityAfter = projected.get(order.symbol) ?? ZERO;
  if (order.side === 'SELL' && !limits.allowShort && quantityAfter.lt(0)) {
    extra.push(reason('INSUFFICIENT_POSITION', `selling ${toWire(order.quantity)} would leave a short position of ${toWire(quantityAfter)}`, ZERO, quantityAfter));
  }

  const equity = valuePortfolio(input.cash, input.holdings, input.marks).equity;
  const positionValue = quantityAfter.times(price).abs();
  const grossAfter = sum([...projected].map(([symbol, qty]) => qty.times(prices.get(symbol) ?? ZERO).abs()));
  if (equity.lte(0)) {
    extra.push(reason('MAX_GROSS_LEVERAGE', 'the portfolio has no positive equity', limits.maxGrossLeverage, equity));
  } else {
    const positionPct = positionValue.div(equity);
    if (positionPct.gt(limits.maxPositionPctOfEquity)) {
      extra.push(reason('MAX_POSITION_PCT_OF_EQUITY', `the ${order.symbol} position would be ${toWire(positionPct.toSignificantDigits(6))} of equity`, limits.maxPositionPctOfEquity, positionPct.toSignificantDigits(6)));
    }
    const leverage = grossAfter.div(equity);
    if (leverage.gt(limits.maxGrossLeverage)) {
      extra.push(reason('MAX_GROSS_LEVERAGE', `gross leverage would be ${toWire(leverage.toSignificantDigits(6))}`, limits.maxGrossLeverage, leverage.toSignificantDigits(6)));
    }
  }

  const heldBefore = input.holdings.some((h) => h.symbol === order.symbol && !h.quantity.isZero())
    || input.openOrders.some((o) => o.symbol === order.symbol);
  if (!heldBefore && !quantityAfter.isZero()) {
    const openPositions = [...projected.values()].filter((q) => !q.isZero()).length;
    if (openPositions > limits.maxOpenPositions) {
      extra.push(reason('MAX_OPEN_POSITIONS', `the order would open position ${openPositions}`, limits.maxOpenPositions, openPositions));
    }
  }
  return decide(extra, refs);
}
