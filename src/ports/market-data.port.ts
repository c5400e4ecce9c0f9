import type { Instrument } from '../domain/instruments/instrument';
import type { DailyClose } from '../domain/market/price-history';
import type { Quote } from '../domain/market/quote';

/** A quote with where it came from ('api', 'demo', a feed's name). */
export interface SourcedQuote {
  readonly quote: Quote;
  readonly source: string;
}

/** What readers of market data need: the paper venue, the risk engine, analytics. */
export interface MarketDataReader {
  /** An active instrument, or null. */
  findInstrument(symbol: string): Promise<Instrument | null>;
  listInstruments(): Promise<Instrument[]>;
  findQuote(symbol: string): Promise<SourcedQuote | null>;
  /** Daily closes from `from` to `to` inclusive (YYYY-MM-DD), oldest first. */
  priceHistory(symbol: string, from: string, to: string): Promise<DailyClose[]>;
}

export interface MarketDataPort extends MarketDataReader {
  /** Creates or replaces an instrument's trading rules (audited); says whether it was new. */
  upsertInstrument(instrument: Instrument, principal: string): Promise<{ created: boolean }>;
  /** Stores the latest quote of a symbol (audited). */
  upsertQuote(quote: Quote, source: string, principal: string): Promise<void>;
}
