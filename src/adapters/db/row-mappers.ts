import type { AssetClass, Instrument } from '../../domain/instruments/instrument';
import type { Quote } from '../../domain/market/quote';
import {
  NO_ACCOUNT_LIMITS, NO_INSTRUMENT_LIMITS, resolveRiskLimits, RISK_LIMIT_KINDS, type RiskLimitKind,
  type AccountLimits, type InstrumentLimits, type RiskLimits, type RiskLimitSettings,
} from '../../domain/risk/risk-limits';
import { Decimal } from '../../domain/values/decimal';
import { Money } from '../../domain/values/money';
import { price } from '../../domain/values/price';
import { quantity } from '../../domain/values/quantity';

/** pg returns numeric columns as strings: exact, and turned into decimals here. */
export const num = (value: string | number): Decimal => new Decimal(value);

export interface InstrumentRow {
  symbol: string; name: string; asset_class: string; currency: string;
  tick_size: string; lot_size: string; min_notional: string; sector: string;
}
/** The select list of an instruments row with numerics as text (for json aggregation too). */
export const INSTRUMENT_SELECT = 'symbol, name, asset_class, currency, tick_size::text as tick_size, lot_size::text as lot_size, min_notional::text as min_notional, sector';
export function toInstrument(r: InstrumentRow): Instrument {
  return {
    symbol: r.symbol, name: r.name, assetClass: r.asset_class as AssetClass, currency: r.currency,
    tickSize: price(num(r.tick_size)), lotSize: quantity(num(r.lot_size)), minNotional: Money.of(num(r.min_notional), r.currency), sector: r.sector,
  };
}
export function fromInstrument(i: Instrument) {
  return {
    symbol: i.symbol, name: i.name, asset_class: i.assetClass, currency: i.currency, tick_size: i.tickSize.toFixed(),
    lot_size: i.lotSize.toFixed(), min_notional: i.minNotional.amount.toFixed(), sector: i.sector,
  };
}

export interface QuoteRow { symbol: string; bid: string; ask: string; last: string; as_of: Date; source: string }
/** A quotes row as json aggregation returns it: the time as text. */
export type QuoteJson = Omit<QuoteRow, 'as_of'> & { as_of: string };
/** The select list of a quotes row with numerics as text (for json aggregation too). */
export const QUOTE_SELECT = 'symbol, bid::text as bid, ask::text as ask, last::text as last, as_of, source';
export function toQuote(r: QuoteRow): Quote {
  return { symbol: r.symbol, bid: price(num(r.bid)), ask: price(num(r.ask)), last: price(num(r.last)), asOf: r.as_of };
}
export const fromQuoteJson = (q: QuoteJson): Quote => toQuote({ ...q, as_of: new Date(q.as_of) });

/** Every portfolio limit, its column (the key in snake case) and its kind: the one map the reads, the writes and the snapshot SQL use. */
export const RISK_LIMIT_COLUMNS: ReadonlyArray<readonly [keyof RiskLimits, string, RiskLimitKind]> = (Object.entries(RISK_LIMIT_KINDS) as Array<[keyof RiskLimits, RiskLimitKind]>)
  .map(([key, kind]) => [key, key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`), kind] as const);

/** A risk_limits row as read: numerics as text, so they stay exact; null where the portfolio sets nothing. */
export type RiskLimitsRow = Record<string, string | number | boolean | string[] | null>;

/** The select list of a risk_limits row with numerics as text (for json aggregation too). */
export const RISK_LIMITS_SELECT = RISK_LIMIT_COLUMNS.map(([, column, kind]) => (kind === 'decimal' ? `${column}::text as ${column}` : column)).join(', ');

export function toRiskLimitSettings(r: RiskLimitsRow): RiskLimitSettings {
  const settings: Record<string, unknown> = {};
  for (const [key, column, kind] of RISK_LIMIT_COLUMNS) {
    const value = r[column];
    settings[key] = value === null || value === undefined ? null : kind === 'decimal' ? num(value as string) : value;
  }
  return settings as RiskLimitSettings;
}

export const toRiskLimits = (r: RiskLimitsRow): RiskLimits => resolveRiskLimits(toRiskLimitSettings(r));

/** The row of these settings: every column written, null where unset. */
export function fromRiskLimitSettings(l: RiskLimitSettings): Record<string, string | number | boolean | string[] | null> {
  const row: Record<string, string | number | boolean | string[] | null> = {};
  for (const [key, column, kind] of RISK_LIMIT_COLUMNS) {
    const value = l[key];
    row[column] = value === null || value === undefined ? null
      : kind === 'decimal' ? (value as Decimal).toFixed() : kind === 'symbols' ? [...(value as readonly string[])] : (value as string | number | boolean);
  }
  return row;
}

export interface AccountLimitsRow { max_order_value: string | null; max_order_quantity: string | null; max_daily_trades: number | null; allowed_symbols: string[] | null }
export function toAccountLimits(r: AccountLimitsRow | null | undefined): AccountLimits {
  if (!r) return NO_ACCOUNT_LIMITS;
  return {
    maxOrderValue: r.max_order_value === null ? null : num(r.max_order_value), maxOrderQuantity: r.max_order_quantity === null ? null : num(r.max_order_quantity),
    maxDailyTrades: r.max_daily_trades, allowedSymbols: r.allowed_symbols,
  };
}
export const fromAccountLimits = (l: AccountLimits): AccountLimitsRow => ({
  max_order_value: l.maxOrderValue?.toFixed() ?? null, max_order_quantity: l.maxOrderQuantity?.toFixed() ?? null,
  max_daily_trades: l.maxDailyTrades, allowed_symbols: l.allowedSymbols === null ? null : [...l.allowedSymbols],
});

export interface InstrumentLimitsRow { max_order_value: string | null; max_order_quantity: string | null; price_collar_pct: string | null }
export function toInstrumentLimits(r: InstrumentLimitsRow | null | undefined): InstrumentLimits {
  if (!r) return NO_INSTRUMENT_LIMITS;
  return {
    maxOrderValue: r.max_order_value === null ? null : num(r.max_order_value), maxOrderQuantity: r.max_order_quantity === null ? null : num(r.max_order_quantity),
    priceCollarPct: r.price_collar_pct === null ? null : num(r.price_collar_pct),
  };
}
export const fromInstrumentLimits = (l: InstrumentLimits): InstrumentLimitsRow => ({
  max_order_value: l.maxOrderValue?.toFixed() ?? null, max_order_quantity: l.maxOrderQuantity?.toFixed() ?? null, price_collar_pct: l.priceCollarPct?.toFixed() ?? null,
});
