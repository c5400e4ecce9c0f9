import type { Instrument } from '../instruments/instrument';
import { quoteAgeSeconds, type Quote } from '../market/quote';
import type { OrderIntent, OrderSide } from '../orders/order';
import { valuePortfolio, type PositionHolding } from '../portfolio/valuation';
import type { TradingSignal } from '../signals/trading-signal';
import { Decimal, ZERO } from '../values/decimal';
import { Money, notional } from '../values/money';
import { price, type Price } from '../values/price';
import type { Quantity } from '../values/quantity';
import { dailyPnl, type DayStartBook } from './daily-pnl';
import type { CloseSeries } from './return-correlation';
import { worstCaseBuyCost, type ExecutionCostEstimate } from './execution-cost-estimate';
import type { AccountLimits, InstrumentLimits, RiskLimits } from './risk-limits';
import type { AccountStatus, TradingState } from './trading-state';

/** An approved order that has not filled yet: it already holds cash and exposure. */
export interface OpenOrderExposure {
  readonly symbol: string;
  readonly side: OrderSide;
  /** What is left to fill. */
  readonly quantity: Quantity;
  readonly price: Price;
}

/** The order as the engine reads it: its terms, the strategy it belongs to and the signal behind it. */
export interface RiskOrder extends OrderIntent {
  readonly strategyId?: string;
  readonly signal?: TradingSignal;
  /** EXIT: a risk-reducing exit (an exit workflow's tranche); the trading-state gate lets it through a halt when it reduces. */
  readonly purpose?: OrderPurpose;
}

export const ORDER_PURPOSES = ['EXIT'] as const;
export type OrderPurpose = (typeof ORDER_PURPOSES)[number];

/** The broker account the portfolio trades through. */
export interface AccountRiskState {
  readonly id: string;
  readonly status: AccountStatus;
  readonly tradingState: TradingState;
  readonly limits: AccountLimits;
}

/** Orders already approved for execution, counted in the database under the portfolio's lock (this order excluded). */
export interface TradingActivity {
  /** In the portfolio, since its trading day began. */
  readonly portfolioTradesToday: number;
  /** In every portfolio of the account, since the UTC day began. */
  readonly accountTradesToday: number;
  /** In the portfolio, within the last `orderRateWindowSeconds`. */
  readonly portfolioOrdersInWindow: number;
  /** Symbols the order's strategy holds or has open orders on (empty without a strategy). */
  readonly strategySymbols: readonly string[];
}

export const NO_TRADING_ACTIVITY: TradingActivity = Object.freeze({ portfolioTradesToday: 0, accountTradesToday: 0, portfolioOrdersInWindow: 0, strategySymbols: [] });

/** What the pre-trade engine is given: the portfolio as it stands under its lock, and the order. */
export interface RiskContextInput {
  readonly order: RiskOrder;
  readonly portfolio: { readonly baseCurrency: string; readonly cash: Money; readonly tradingState: TradingState };
  readonly account: AccountRiskState;
  readonly instrument: Instrument | null;
  /** The order's instrument's own limits. */
  readonly instrumentLimits: InstrumentLimits;
  readonly quote: Quote | null;
  readonly holdings: readonly PositionHolding[];
  /** Marks (last prices) of every held symbol that has a quote. */
  readonly marks: ReadonlyMap<string, Price>;
  readonly openOrders: readonly OpenOrderExposure[];
  readonly limits: RiskLimits;
  readonly activity: TradingActivity;
  /** The books at the start of the trading day; null when the portfolio's day cannot be told (no daily-loss limit). */
  readonly dayStart: DayStartBook | null;
  /** The sector of the order's symbol and of every held one. */
  readonly sectors: ReadonlyMap<string, string>;
  /** Recent daily closes of the order's symbol and of every held one, oldest first. */
  readonly priceHistory: ReadonlyMap<string, CloseSeries>;
  /** Fees and slippage to reserve cash for, on buys (the chosen broker's cost model). */
  readonly costs: ExecutionCostEstimate;
  readonly asOf: Date;
}

/** One symbol's held quantity (signed) and what open orders could still do to it, valued at `price`. */
export interface SymbolExposure {
  readonly held: Decimal;
  readonly pendingBuys: Decimal;
  readonly pendingSells: Decimal;
  readonly price: Price;
}

/** The largest position the symbol can reach, whichever of its open orders fill (only against us). */
export function worstQuantity(e: SymbolExposure): Decimal {
  return Decimal.max(e.held.plus(e.pendingBuys).abs(), e.held.minus(e.pendingSells).abs());
}

/** The order valued: present only when it can be (known instrument in the base currency, fresh quote, sane terms). */
export interface OrderPricing {
  readonly referencePrice: Price;
  readonly notional: Money;
  readonly equity: Money;
  /** Cash less what the open buys may still consume. */
  readonly freeCash: Money;
  /** What this order may consume if it is a buy (zero for a sell). */
  readonly worstCaseCost: Money;
  /** Every symbol's exposure before the order, the order's symbol valued at the reference price. */
  readonly exposureBefore: ReadonlyMap<string, SymbolExposure>;
  /** The same with this order counted as one more open order. */
  readonly exposureAfter: ReadonlyMap<string, SymbolExposure>;
}

/** The immutable facts every rule reads; built once per decision, never changed by a rule. */
export interface RiskContext extends RiskContextInput {
  /** The order's symbol before the order: held and pending. */
  readonly position: SymbolExposure;
  /** The order only reduces the position, without crossing zero, even if every open order on the other side fills. */
  readonly reducing: boolean;
  /** The order closes the position exactly. */
  readonly closesPosition: boolean;
  readonly quoteAgeSeconds: number | null;
  readonly pricing: OrderPricing | null;
  /** P&L since the trading day began (null without the day's books). */
  readonly dailyPnl: Money | null;
}

/**
 * The price the order is valued at: a buy limit at its limit (the most it can cost); a sell limit
 * at the better of limit and bid (a marketable sell fills at the bid, above its limit); a market
 * order at the side of the book it takes.
 */
function referencePrice(order: OrderIntent, quote: Quote): Price {
  if (order.type === 'LIMIT' && order.limitPrice !== undefined) {
    return order.side === 'BUY' ? order.limitPrice : price(Decimal.max(order.limitPrice, quote.bid));
  }
  return order.side === 'BUY' ? quote.ask : quote.bid;
}

type MutableExposure = { held: Decimal; pendingBuys: Decimal; pendingSells: Decimal; price: Price };

/** Held symbols at their mark (at cost when unquoted, as equity values them), open orders beside them. */
function exposureBefore(input: RiskContextInput, orderSymbolPrice: Price | null): Map<string, SymbolExposure> {
  const book = new Map<string, MutableExposure>();
  const entry = (symbol: string, at: Price) => {
    let e = book.get(symbol);
    if (!e) book.set(symbol, (e = { held: ZERO, pendingBuys: ZERO, pendingSells: ZERO, price: at }));
    return e;
  };
  for (const h of input.holdings) entry(h.symbol, input.marks.get(h.symbol) ?? h.averageCost).held = h.quantity;
  for (const o of input.openOrders) {
    const e = entry(o.symbol, input.marks.get(o.symbol) ?? o.price);
    if (o.side === 'BUY') e.pendingBuys = e.pendingBuys.plus(o.quantity);
    else e.pendingSells = e.pendingSells.plus(o.quantity);
  }
  const own = entry(input.order.symbol, orderSymbolPrice ?? price(ZERO));
  if (orderSymbolPrice !== null) own.price = orderSymbolPrice;
  return new Map([...book].map(([symbol, e]) => [symbol, Object.freeze({ ...e })]));
}

function withOrder(before: ReadonlyMap<string, SymbolExposure>, order: OrderIntent): Map<string, SymbolExposure> {
  const after = new Map(before);
  const own = before.get(order.symbol)!;
  after.set(order.symbol, Object.freeze(order.side === 'BUY'
    ? { ...own, pendingBuys: own.pendingBuys.plus(order.quantity) }
    : { ...own, pendingSells: own.pendingSells.plus(order.quantity) }));
  return after;
}

function canBePriced(input: RiskContextInput, quoteAge: number | null): input is RiskContextInput & { instrument: Instrument; quote: Quote } {
  const { order, instrument, quote, limits, portfolio } = input;
  if (instrument === null || quote === null || quoteAge === null || !Number.isFinite(quoteAge) || quoteAge > limits.maxQuoteAgeSeconds) return false;
  if (instrument.currency !== portfolio.baseCurrency) return false;
  if (!order.quantity.isFinite() || order.quantity.lte(0)) return false;
  return order.type !== 'LIMIT' || (order.limitPrice !== undefined && order.limitPrice.gt(0));
}

/** Derives, once, everything the rules need; no rule computes or changes shared state. */
export function buildRiskContext(input: RiskContextInput): RiskContext {
  const { order, portfolio, costs } = input;
  const quoteAge = input.quote === null ? null : quoteAgeSeconds(input.quote, input.asOf);
  const priceable = canBePriced(input, quoteAge);
  const refPrice = priceable ? referencePrice(order, input.quote!) : null;
  const before = exposureBefore(input, refPrice);
  const position = before.get(order.symbol)!;

  const reducing = order.side === 'SELL'
    ? position.held.gt(0) && order.quantity.lte(position.held.minus(position.pendingSells))
    : position.held.lt(0) && order.quantity.lte(position.held.abs().minus(position.pendingBuys));
  const closesPosition = reducing && order.quantity.eq(position.held.abs());

  const equity = valuePortfolio(portfolio.cash, input.holdings, input.marks).equity;
  let pricing: OrderPricing | null = null;
  if (priceable && refPrice !== null) {
    const currency = portfolio.baseCurrency;
    const orderNotional = notional(order.quantity, refPrice, currency);
    const openBuys = input.openOrders.filter((o) => o.side === 'BUY').map((o) => worstCaseBuyCost(notional(o.quantity, o.price, currency), costs));
    pricing = Object.freeze({
      referencePrice: refPrice,
      notional: orderNotional,
      equity,
      freeCash: portfolio.cash.minus(Money.sum(openBuys, currency)),
      worstCaseCost: order.side === 'BUY' ? worstCaseBuyCost(orderNotional, costs) : Money.zero(currency),
      exposureBefore: before,
      exposureAfter: withOrder(before, order),
    });
  }
  const pnl = input.dayStart === null ? null : dailyPnl(equity, input.dayStart, input.marks, input.holdings);
  return Object.freeze({ ...input, position, reducing, closesPosition, quoteAgeSeconds: quoteAge, pricing, dailyPnl: pnl });
}
