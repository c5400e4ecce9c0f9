import type { Knex } from 'knex';
import { toWire } from '../../domain/values/decimal';
import { price } from '../../domain/values/price';
import { UnknownInstrumentsError, type MarketDataPort, type QuoteTick, type QuoteTicks } from '../../ports/market-data.port';
import { appendAudit } from './audit-log.repository';
import { fromInstrument, fromQuoteJson, INSTRUMENT_SELECT, num, QUOTE_SELECT, toInstrument, toQuote, type InstrumentRow, type QuoteJson, type QuoteRow } from './row-mappers';

/** A symbol's quote, active instrument and latest tick in one statement, so one snapshot: the quote is the latest tick's. */
const FIND_MARKET_SQL = `
  select (select row_to_json(q) from (select ${QUOTE_SELECT} from quotes where symbol = :symbol) q) as quote,
    (select row_to_json(i) from (select ${INSTRUMENT_SELECT} from instruments where symbol = :symbol and active) i) as instrument,
    (select coalesce(max(seq), 0) from quote_ticks where symbol = :symbol) as latest_seq`;

/**
 * The last `count` daily closes of each symbol, oldest first, as floats (for statistics on return
 * series: correlations, analytics), one index-driven read for all of them; a symbol without closes
 * answers an empty list.
 */
export async function readRecentCloses(db: Knex | Knex.Transaction, symbols: readonly string[], count: number): Promise<Map<string, Array<{ date: string; close: number }>>> {
  const closes = new Map<string, Array<{ date: string; close: number }>>(symbols.map((symbol) => [symbol, []]));
  if (symbols.length === 0) return closes;
  const { rows } = await db.raw<{ rows: Array<{ symbol: string; date: string; close: string }> }>(`
    select s.symbol, c.date::text as date, c.close::text as close
    from unnest(?::text[]) as s(symbol)
    cross join lateral (select date, close from price_history p where p.symbol = s.symbol order by date desc limit ?) c
    order by s.symbol, c.date`, [[...symbols], count]);
  for (const r of rows) closes.get(r.symbol)!.push({ date: r.date, close: Number(r.close) });
  return closes;
}

export function createMarketDataRepository(db: Knex): MarketDataPort {
  return {
    async findInstrument(symbol) {
      const row = await db('instruments').where({ symbol, active: true }).first<InstrumentRow | undefined>();
      return row ? toInstrument(row) : null;
    },

    async listInstruments() {
      return (await db('instruments').where({ active: true }).orderBy('symbol').select<InstrumentRow[]>('*')).map(toInstrument);
    },

    async findMarket(symbol) {
      const { rows: [row] } = await db.raw<{ rows: Array<{ quote: QuoteJson | null; instrument: InstrumentRow | null; latest_seq: string }> }>(FIND_MARKET_SQL, { symbol });
      const { quote, instrument, latest_seq: latestSeq } = row!;
      return {
        quote: quote ? { quote: fromQuoteJson(quote), source: quote.source } : null,
        instrument: instrument ? toInstrument(instrument) : null,
        latestSeq: Number(latestSeq),
      };
    },

    async findQuote(symbol) {
      const row = await db('quotes').where({ symbol }).first<QuoteRow | undefined>();
      return row ? { quote: toQuote(row), source: row.source } : null;
    },

    async priceHistory(symbol, from, to) {
      const rows = await db('price_history').where({ symbol }).whereBetween('date', [from, to]).orderBy('date')
        .select<{ date: string; close: string }[]>(db.raw("to_char(date, 'YYYY-MM-DD') as date"), 'close');
      return rows.map((r) => ({ date: r.date, close: price(num(r.close)) }));
    },

    async upsertInstrument(instrument, principal) {
      return db.transaction(async (trx) => {
        const before = await trx('instruments').where({ symbol: instrument.symbol }).forUpdate().first<InstrumentRow | undefined>();
        const { symbol: _symbol, ...row } = { ...fromInstrument(instrument), active: true };
        await trx('instruments').insert({ symbol: instrument.symbol, ...row }).onConflict('symbol').merge(row);
        await appendAudit(trx, { principal, action: before ? 'instrument.replaced' : 'instrument.created', entityType: 'instrument', entityId: instrument.symbol,
          details: { before: before ?? null, after: row } });
        return { created: before === undefined };
      });
    },

    async upsertPriceHistory(histories, principal) {
      return db.transaction(async (trx) => {
        const symbols = histories.map((h) => h.symbol);
        const known = new Set((await trx('instruments').whereIn('symbol', symbols).select<{ symbol: string }[]>('symbol')).map((r) => r.symbol));
        const unknown = symbols.filter((s) => !known.has(s));
        if (unknown.length > 0) throw new UnknownInstrumentsError(unknown);
        let inserted = 0;
        let replaced = 0;
        for (const h of histories) {
          for (let i = 0; i < h.closes.length; i += 1000) {
            const rows = h.closes.slice(i, i + 1000).map((c) => ({ symbol: h.symbol, date: c.date, close: c.close.toFixed() }));
            // xmax = 0 on a freshly inserted row: tells a new close from a replaced one.
            const written = await trx('price_history').insert(rows).onConflict(['symbol', 'date']).merge(['close'])
              .returning<Array<{ inserted: boolean }>>(trx.raw('(xmax = 0) as inserted'));
            for (const w of written) if (w.inserted) inserted++; else replaced++;
          }
        }
        await appendAudit(trx, { principal, action: 'price-history.imported', entityType: 'price-history', entityId: symbols.join(',').slice(0, 200),
          details: { symbols: histories.map((h) => ({ symbol: h.symbol, rows: h.closes.length, from: h.closes[0]?.date, to: h.closes[h.closes.length - 1]?.date })), inserted, replaced } });
        return { inserted, replaced };
      });
    },

    async upsertQuote(quote, source, principal) {
      const row = { bid: quote.bid.toFixed(), ask: quote.ask.toFixed(), last: quote.last.toFixed(), as_of: quote.asOf, source, updated_at: db.fn.now() };
      return db.transaction(async (trx) => {
        await trx('quotes').insert({ symbol: quote.symbol, ...row }).onConflict('symbol').merge(row);
        const [tick] = await trx('quote_ticks').insert({ symbol: quote.symbol, bid: row.bid, ask: row.ask, last: row.last, as_of: quote.asOf, source }).returning<{ seq: string }[]>('seq');
        await appendAudit(trx, { principal, action: 'quote.set', entityType: 'instrument', entityId: quote.symbol,
          details: { bid: toWire(quote.bid), ask: toWire(quote.ask), last: toWire(quote.last), asOf: quote.asOf.toISOString() } });
        return { seq: Number(tick!.seq), quote };
      });
    },
  };
}

type TickRow = { seq: string; symbol: string; bid: string; ask: string; last: string; as_of: Date };
const toTick = (r: TickRow): QuoteTick => ({ seq: Number(r.seq), quote: { symbol: r.symbol, bid: price(num(r.bid)), ask: price(num(r.ask)), last: price(num(r.last)), asOf: r.as_of } });

export function createQuoteTicks(db: Knex): QuoteTicks {
  return {
    async ticksSince(symbol, afterSeq) {
      return (await db('quote_ticks').where({ symbol }).andWhere('seq', '>', afterSeq).orderBy('seq').select<TickRow[]>('seq', 'symbol', 'bid', 'ask', 'last', 'as_of')).map(toTick);
    },
    async unwoken(olderThanMs, limit) {
      return (await db('quote_ticks').whereNull('woken_at').andWhere('created_at', '<', db.raw(`now() - make_interval(secs => ?)`, [olderThanMs / 1000]))
        .orderBy('seq').limit(limit).select<TickRow[]>('seq', 'symbol', 'bid', 'ask', 'last', 'as_of')).map(toTick);
    },
    async markWoken(seq) {
      await db('quote_ticks').where({ seq }).update({ woken_at: db.fn.now() });
    },
  };
}
