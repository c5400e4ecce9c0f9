import type { Instrument } from '../instruments/instrument';
import { quoteAgeSeconds, type Quote } from '../market/quote';
import type { OrderIntent, OrderSide } from '../orders/order';
import { valuePortfolio, type PositionHolding } from '../portfolio/valuation';
import { Decimal, ZERO, isMultipleOf, sum, toWire } from '../values/decimal';
import type { RiskDecision, RiskReason, RiskReasonCode } from './risk-decision';
import type { RiskLimits } from './risk-limits';
import { worstCaseBuyCost, type ExecutionCostEstimate } from './execution-cost-estimate';

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
  /** Fees and slippage to reserve cash for, on buys. */
  readonly costs: ExecutionCostEstimate;
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

/**
 * The price the order is valued at: a buy limit at its limit (the most it can cost); a sell limit
 * at the better of limit and bid (a marketable sell fills at the bid, above its limit); a market
 * order at the side of the book it takes.
 */
function referencePrice(order: OrderIntent, quote: Quote): Decimal {
  if (order.type === 'LIMIT' && order.limitPrice !== undefined) {
    return order.side === 'BUY' ? order.limitPrice : Decimal.max(order.limitPrice, quote.bid);
  }
  return order.side === 'BUY' ? quote.ask : quote.bid;
}

/** One symbol's held quantity and what open orders could still do to it. */
interface SymbolBook {
  held: Decimal;
  pendingBuys: Decimal;
  pendingSells: Decimal;
  price: Decimal;
}

/** The largest position the symbol can reach, whichever of its open orders fill (only against us). */
const worstQuantity = (b: SymbolBook) => Decimal.max(b.held.plus(b.pendingBuys).abs(), b.held.minus(b.pendingSells).abs());

function buildBooks(input: PreTradeInput, orderPrice: Decimal): Map<string, SymbolBook> {
  const books = new Map<string, SymbolBook>();
  const book = (symbol: string, price: Decimal) => {
    let b = books.get(symbol);
    if (!b) books.set(symbol, (b = { held: ZERO, pendingBuys: ZERO, pendingSells: ZERO, price }));
    return b;
  };
  // Held symbols are valued at their mark, or at cost when unquoted (as equity values them).
  for (const h of input.holdings) book(h.symbol, input.marks.get(h.symbol) ?? h.averageCost).held = h.quantity;
  for (const o of input.openOrders) {
    const b = book(o.symbol, input.marks.get(o.symbol) ?? o.price);
    if (o.side === 'BUY') b.pendingBuys = b.pendingBuys.plus(o.quantity);
    else b.pendingSells = b.pendingSells.plus(o.quantity);
  }
  book(input.order.symbol, orderPrice).price = orderPrice;
  return books;
}

/**
 * Evaluates one order against the portfolio's limits. Orders approved but not yet filled count
 * only against the portfolio: pending buys hold cash and exposure, pending sells hold the shares
 * they sell, and neither is credited before it fills; so concurrent orders cannot jointly breach
 * a limit. An order that only reduces a position is never stopped by an exposure limit.
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
  const books = buildBooks(input, price);
  const own = books.get(order.symbol)!;
  const worstBefore = worstQuantity(own);

  // Reduces the position without crossing zero, even if every open order on the other side fills.
  const reducing = order.side === 'SELL'
    ? own.held.gt(0) && order.quantity.lte(own.held.minus(own.pendingSells))
    : own.held.lt(0) && order.quantity.lte(own.held.abs().minus(own.pendingBuys));
  const closesPosition = reducing && order.quantity.eq(own.held.abs());

  if (notional.lt(instrument.minNotional) && !closesPosition) {
    extra.push(reason('MIN_NOTIONAL', `order value ${toWire(notional)} is below the minimum ${toWire(instrument.minNotional)}`, instrument.minNotional, notional));
  }
  if (notional.gt(limits.maxOrderValue)) {
    extra.push(reason('MAX_ORDER_VALUE', `order value ${toWire(notional)} exceeds the limit ${toWire(limits.maxOrderValue)}`, limits.maxOrderValue, notional));
  }

  if (order.side === 'BUY') {
    const reserved = sum(input.openOrders.filter((o) => o.side === 'BUY').map((o) => worstCaseBuyCost(o.quantity.times(o.price), input.costs)));
    const cashAfter = input.cash.minus(reserved).minus(worstCaseBuyCost(notional, input.costs));
    if (cashAfter.lt(0)) {
      extra.push(reason('INSUFFICIENT_CASH', `the order needs ${toWire(cashAfter.neg())} more cash than is free (cash less open buys, fees and slippage)`, ZERO, cashAfter));
    }
    own.pendingBuys = own.pendingBuys.plus(order.quantity);
  } else {
    const free = own.held.minus(own.pendingSells);
    if (!limits.allowShort && order.quantity.gt(free)) {
      extra.push(reason('INSUFFICIENT_POSITION', `only ${toWire(Decimal.max(free, ZERO))} ${order.symbol} are free to sell (held less open sells)`, Decimal.max(free, ZERO), order.quantity));
    }
    own.pendingSells = own.pendingSells.plus(order.quantity);
  }

  if (!reducing) {
    const equity = valuePortfolio(input.cash, input.holdings, input.marks).equity;
    if (equity.lte(0)) {
      extra.push(reason('MAX_GROSS_LEVERAGE', 'the portfolio has no positive equity: only orders that reduce a position are accepted', limits.maxGrossLeverage, equity));
    } else {
      const positionPct = worstQuantity(own).times(price).div(equity);
      if (positionPct.gt(limits.maxPositionPctOfEquity)) {
        extra.push(reason('MAX_POSITION_PCT_OF_EQUITY', `the ${order.symbol} position could reach ${toWire(positionPct.toSignificantDigits(6))} of equity`, limits.maxPositionPctOfEquity, positionPct.toSignificantDigits(6)));
      }
      const gross = sum([...books.values()].map((b) => worstQuantity(b).times(b.price)));
      const leverage = gross.div(equity);
      if (leverage.gt(limits.maxGrossLeverage)) {
        extra.push(reason('MAX_GROSS_LEVERAGE', `gross leverage could reach ${toWire(leverage.toSignificantDigits(6))}`, limits.maxGrossLeverage, leverage.toSignificantDigits(6)));
      }
    }
    if (worstBefore.isZero()) {
      const openPositions = [...books.values()].filter((b) => !worstQuantity(b).isZero()).length;
      if (openPositions > limits.maxOpenPositions) {
        extra.push(reason('MAX_OPEN_POSITIONS', `the order would open position ${openPositions}`, limits.maxOpenPositions, openPositions));
      }
    }
  }
  return decide(extra, refs);
}
