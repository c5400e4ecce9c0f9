import type { AssetClass, Instrument } from '../../domain/instruments/instrument';
import type { Quote } from '../../domain/market/quote';
import type { RiskLimits } from '../../domain/risk/risk-limits';
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
export function toQuote(r: QuoteRow): Quote {
  return { symbol: r.symbol, bid: price(num(r.bid)), ask: price(num(r.ask)), last: price(num(r.last)), asOf: r.as_of };
}

export interface RiskLimitsRow {
  max_order_value: string; max_position_pct_of_equity: string; max_open_positions: number;
  max_gross_leverage: string; allowed_symbols: string[] | null; max_quote_age_seconds: number; allow_short: boolean;
}
export function toRiskLimits(r: RiskLimitsRow): RiskLimits {
  return {
    maxOrderValue: num(r.max_order_value),
    maxPositionPctOfEquity: num(r.max_position_pct_of_equity),
    maxOpenPositions: r.max_open_positions,
    maxGrossLeverage: num(r.max_gross_leverage),
    allowedSymbols: r.allowed_symbols,
    maxQuoteAgeSeconds: r.max_quote_age_seconds,
    allowShort: r.allow_short,
  };
}
export function fromRiskLimits(l: RiskLimits): RiskLimitsRow {
  return {
    max_order_value: l.maxOrderValue.toFixed(),
    max_position_pct_of_equity: l.maxPositionPctOfEquity.toFixed(),
    max_open_positions: l.maxOpenPositions,
    max_gross_leverage: l.maxGrossLeverage.toFixed(),
    allowed_symbols: l.allowedSymbols === null ? null : [...l.allowedSymbols],
    max_quote_age_seconds: l.maxQuoteAgeSeconds,
    allow_short: l.allowShort,
  };
}
