import type { AssetClass, Instrument } from '../domain/instruments/instrument';
import type { Quote } from '../domain/market/quote';
import { toWire } from '../domain/values/decimal';

export interface QuoteView {
  readonly symbol: string;
  readonly bid: string;
  readonly ask: string;
  readonly last: string;
  readonly asOf: string;
  readonly source: string;
}

export interface InstrumentView {
  readonly symbol: string;
  readonly name: string;
  readonly assetClass: AssetClass;
  readonly currency: string;
  readonly sector: string;
  readonly tickSize: string;
  readonly lotSize: string;
  readonly minNotional: string;
}

export function toQuoteView(q: Quote, source: string): QuoteView {
  return { symbol: q.symbol, bid: toWire(q.bid), ask: toWire(q.ask), last: toWire(q.last), asOf: q.asOf.toISOString(), source };
}

export function toInstrumentView(i: Instrument): InstrumentView {
  return {
    symbol: i.symbol, name: i.name, assetClass: i.assetClass, currency: i.currency, sector: i.sector,
    tickSize: toWire(i.tickSize), lotSize: toWire(i.lotSize), minNotional: i.minNotional.toWire(),
  };
}
