import type { Instrument } from '../domain/instruments/instrument';
import type { DailyClose } from '../domain/market/price-history';
import type { SymbolHistory } from '../domain/market/price-history-import';
import type { Quote } from '../domain/market/quote';

/** A quote with where it came from ('api', 'demo', a feed's name). */
export interface SourcedQuote {
  readonly quote: Quote;
  readonly source: string;
}

/** Loads daily closes (audited). Symbols that are not known instruments are refused, nothing loaded. */
export interface PriceHistoryWriter {
  /** Inserts or replaces each (symbol, date) close in one transaction; answers how many were new and how many replaced. */
  upsertPriceHistory(histories: readonly SymbolHistory[], principal: string): Promise<{ inserted: number; replaced: number }>;
}

export class UnknownInstrumentsError extends Error {
  readonly code = 'UNKNOWN_INSTRUMENTS';
  override readonly name = 'UnknownInstrumentsError';
  constructor(readonly symbols: readonly string[]) {
    super(`not known instruments: ${symbols.join(', ')} (define them with PUT /v1/instruments/:symbol first)`);
  }
}

/** A symbol's market as a venue looks at it before matching: read together, from one snapshot. */
export interface SymbolMarket {
  readonly quote: SourcedQuote | null;
  /** The active instrument, or null. */
  readonly instrument: Instrument | null;
  /** The symbol's latest tick number (0 when it has none): the tick the quote is. */
  readonly latestSeq: number;
}

/** What readers of market data need: the paper venue, the risk engine, analytics. */
export interface MarketDataReader {
  findMarket(symbol: string): Promise<SymbolMarket>;
  /** An active instrument, or null. */
  findInstrument(symbol: string): Promise<Instrument | null>;
  listInstruments(): Promise<Instrument[]>;
  findQuote(symbol: string): Promise<SourcedQuote | null>;
  /** Daily closes from `from` to `to` inclusive (YYYY-MM-DD), oldest first. */
  priceHistory(symbol: string, from: string, to: string): Promise<DailyClose[]>;
}

/** One stored change of a symbol's quote, numbered in the order it was stored. */
export interface QuoteTick {
  readonly seq: number;
  readonly quote: Quote;
}

/** The quote changes as they were stored: what the venue matches against and what wakes orders. */
export interface QuoteTicks {
  /** The symbol's ticks after `afterSeq`, oldest first. */
  ticksSince(symbol: string, afterSeq: number): Promise<QuoteTick[]>;
  /** Ticks stored at least `olderThanMs` ago whose crossed orders have not been woken, oldest first. */
  unwoken(olderThanMs: number, limit: number): Promise<QuoteTick[]>;
  markWoken(seq: number): Promise<void>;
}

export interface MarketDataPort extends MarketDataReader, PriceHistoryWriter {
  /** Creates or replaces an instrument's trading rules (audited); says whether it was new. */
  upsertInstrument(instrument: Instrument, principal: string): Promise<{ created: boolean }>;
  /** Stores the latest quote of a symbol and its tick, together (audited); answers the tick. */
  upsertQuote(quote: Quote, source: string, principal: string): Promise<QuoteTick>;
}
