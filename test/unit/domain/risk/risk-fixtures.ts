import type { Instrument } from '../../../../src/domain/instruments/instrument';
import type { Quote } from '../../../../src/domain/market/quote';
import type { OrderIntent } from '../../../../src/domain/orders/order';
import type { PositionHolding } from '../../../../src/domain/portfolio/valuation';
import type { OpenOrderExposure, RiskContextInput } from '../../../../src/domain/risk/risk-context';
import { NO_TRADING_ACTIVITY, type AccountRiskState } from '../../../../src/domain/risk/risk-context';
import { DEFAULT_RISK_LIMITS, NO_ACCOUNT_LIMITS, NO_INSTRUMENT_LIMITS, type RiskLimits } from '../../../../src/domain/risk/risk-limits';
import { Decimal } from '../../../../src/domain/values/decimal';
import { Money } from '../../../../src/domain/values/money';
import { price } from '../../../../src/domain/values/price';
import { quantity, signedQuantity } from '../../../../src/domain/values/quantity';

export const d = (v: string | number) => new Decimal(v);
export const usd = (v: string | number) => Money.of(d(v), 'USD');
export const asOf = new Date('2026-11-20T15:00:00Z');
export const AAPL: Instrument = {
  symbol: 'AAPL', name: 'Apple', assetClass: 'EQUITY', currency: 'USD', tickSize: price('0.01'), lotSize: quantity('1'), minNotional: usd(10), sector: 'Technology',
};
export const quote = (over: Partial<Quote> = {}): Quote => ({ symbol: 'AAPL', bid: price('99.99'), ask: price('100.01'), last: price('100'), asOf, ...over });

export const holding = (symbol: string, qty: number, cost: number): PositionHolding => ({ symbol, quantity: signedQuantity(d(qty)), averageCost: price(d(cost)) });
export const marks = (entries: Record<string, number>) => new Map(Object.entries(entries).map(([s, p]) => [s, price(d(p))]));
export const openOrder = (symbol: string, side: 'BUY' | 'SELL', qty: number, at: number): OpenOrderExposure => ({ symbol, side, quantity: quantity(d(qty)), price: price(d(at)) });
export const limits = (over: Partial<RiskLimits> = {}): RiskLimits => ({ ...DEFAULT_RISK_LIMITS, ...over });

export const ACTIVE_ACCOUNT: AccountRiskState = { id: 'paper', status: 'ACTIVE', tradingState: 'ACTIVE', limits: NO_ACCOUNT_LIMITS };

export interface OrderOverrides {
  readonly side?: OrderIntent['side'];
  readonly type?: OrderIntent['type'];
  readonly quantity?: number | string;
  readonly limitPrice?: number | string;
  readonly purpose?: 'EXIT';
}

/** An AAPL market buy of 10 in a portfolio of 100 000 USD cash, default limits, 1 bp fees: every rule passes. */
export function riskInput(over: Partial<Omit<RiskContextInput, 'portfolio'>> & { cash?: number | string; tradingState?: RiskContextInput['portfolio']['tradingState'] } = {}, order: OrderOverrides = {}): RiskContextInput {
  const { cash = 100000, tradingState = 'ACTIVE', ...rest } = over;
  return {
    order: {
      symbol: 'AAPL', side: order.side ?? 'BUY', type: order.type ?? 'MARKET', quantity: quantity(d(order.quantity ?? 10)),
      ...(order.limitPrice !== undefined && { limitPrice: price(d(order.limitPrice)) }),
      ...(order.purpose !== undefined && { purpose: order.purpose }),
    },
    portfolio: { baseCurrency: 'USD', cash: usd(cash), tradingState },
    instrument: AAPL,
    quote: quote(),
    holdings: [],
    marks: new Map(),
    openOrders: [],
    limits: DEFAULT_RISK_LIMITS,
    account: ACTIVE_ACCOUNT,
    instrumentLimits: NO_INSTRUMENT_LIMITS,
    activity: NO_TRADING_ACTIVITY,
    dayStart: null,
    sectors: new Map([['AAPL', 'Technology']]),
    priceHistory: new Map(),
    costs: { feeRate: d('0.0001'), minFee: d(0), slippageRate: d(0) },
    asOf,
    ...rest,
  };
}
