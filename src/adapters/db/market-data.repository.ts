import type { Knex } from 'knex';
import type { Instrument } from '../../domain/instruments/instrument';
import { DEMO_INSTRUMENTS, demoPriceHistory, demoQuoteAround } from '../../domain/market/demo-market';
import type { Quote } from '../../domain/market/quote';
import { toWire } from '../../domain/values/decimal';
import { appendAudit } from './audit-log';
import { toInstrument, toQuote, type InstrumentRow, type QuoteRow } from './row-mappers';

export interface QuoteView {
  readonly symbol: string;
  readonly bid: string;
  readonly ask: string;
  readonly last: string;
  readonly asOf: string;
  readonly source: string;
}

const DEMO_SOURCE = 'demo';
const DEMO_HISTORY_DAYS = 260;

export function toQuoteView(q: Quote, source: string): QuoteView {
  return { symbol: q.symbol, bid: toWire(q.bid), ask: toWire(q.ask), last: toWire(q.last), asOf: q.asOf.toISOString(), source };
}

export function createMarketDataRepository(db: Knex) {
  return {
    async findInstrument(symbol: string): Promise<Instrument | null> {
      const row = await db('instruments').where({ symbol }).first<InstrumentRow | undefined>();
      return row ? toInstrument(row) : null;
    },

    /** Creates or replaces an instrument's trading rules (audited); returns whether it was new. */
    async upsertInstrument(instrument: Instrument, principal: string): Promise<{ created: boolean }> {
      return db.transaction(async (trx) => {
        const before = await trx('instruments').where({ symbol: instrument.symbol }).forUpdate().first<InstrumentRow | undefined>();
        const row = {
          name: instrument.name, asset_class: instrument.assetClass, currency: instrument.currency, tick_size: instrument.tickSize.toFixed(),
          lot_size: instrument.lotSize.toFixed(), min_notional: instrument.minNotional.toFixed(), sector: instrument.sector, active: true,
        };
        await trx('instruments').insert({ symbol: instrument.symbol, ...row }).onConflict('symbol').merge(row);
        await appendAudit(trx, { principal, action: before ? 'instrument.replaced' : 'instrument.created', entityType: 'instrument', entityId: instrument.symbol,
          details: { before: before ?? null, after: row } });
        return { created: before === undefined };
      });
    },

    async listInstruments(): Promise<Instrument[]> {
      return (await db('instruments').where({ active: true }).orderBy('symbol').select<InstrumentRow[]>('*')).map(toInstrument);
    },

    async findQuote(symbol: string): Promise<QuoteView | null> {
      const row = await db('quotes').where({ symbol }).first<QuoteRow | undefined>();
      return row ? toQuoteView(toQuote(row), row.source) : null;
    },

    async upsertQuote(quote: Quote, source: string, principal: string): Promise<QuoteView> {
      const row = { bid: quote.bid.toFixed(), ask: quote.ask.toFixed(), last: quote.last.toFixed(), as_of: quote.asOf, source, updated_at: db.fn.now() };
      await db.transaction(async (trx) => {
        await trx('quotes').insert({ symbol: quote.symbol, ...row }).onConflict('symbol').merge(row);
        await appendAudit(trx, { principal, action: 'quote.set', entityType: 'instrument', entityId: quote.symbol,
          details: { bid: toWire(quote.bid), ask: toWire(quote.ask), last: toWire(quote.last), asOf: quote.asOf.toISOString() } });
      });
      return toQuoteView(quote, source);
    },

    /**
     * Loads the deterministic demo market on first start (instruments, a year of daily closes and a
     * quote at the last close), and re-stamps demo quotes at every start so they are not stale.
     * Quotes set by a user are never touched.
     */
    async loadDemoMarket(asOf: Date): Promise<{ instrumentsAdded: number }> {
      return db.transaction(async (trx) => {
        let added = 0;
        for (const instrument of DEMO_INSTRUMENTS) {
          const inserted = await trx('instruments').insert({
            symbol: instrument.symbol, name: instrument.name, asset_class: instrument.assetClass, currency: instrument.currency,
            tick_size: instrument.tickSize.toFixed(), lot_size: instrument.lotSize.toFixed(), min_notional: instrument.minNotional.toFixed(),
            sector: instrument.sector,
          }).onConflict('symbol').ignore().returning('symbol');
          if (inserted.length === 0) continue;
          added += 1;
          const history = demoPriceHistory(instrument, asOf, DEMO_HISTORY_DAYS);
          await trx.batchInsert('price_history', history.map((h) => ({ symbol: instrument.symbol, date: h.date, close: h.close.toFixed() })), 500);
          const last = history[history.length - 1]!.close;
          const { bid, ask } = demoQuoteAround(last, instrument.tickSize);
          await trx('quotes').insert({ symbol: instrument.symbol, bid: bid.toFixed(), ask: ask.toFixed(), last: last.toFixed(), as_of: asOf, source: DEMO_SOURCE })
            .onConflict('symbol').ignore();
        }
        await trx('quotes').where({ source: DEMO_SOURCE }).update({ as_of: asOf, updated_at: trx.fn.now() });
        return { instrumentsAdded: added };
      });
    },

    /** The demo feed's heartbeat: demo quotes stay current (prices unchanged); user quotes are never touched. */
    async refreshDemoQuotes(asOf: Date): Promise<number> {
      return db('quotes').where({ source: DEMO_SOURCE }).update({ as_of: asOf, updated_at: db.fn.now() });
    },

    /** The default paper account every development install trades through. */
    async ensureAccount(account: { id: string; name: string; kind: 'paper' | 'live'; broker: 'paper' | 'ccxt' | 'ib' }): Promise<void> {
      await db('accounts').insert(account).onConflict('id').ignore();
    },
  };
}

export type MarketDataRepository = ReturnType<typeof createMarketDataRepository>;
