import type { Knex } from 'knex';
import { DEMO_INSTRUMENTS, demoPriceHistory, demoQuoteAround } from '../../domain/market/demo-market';
import { fromInstrument } from './row-mappers';

const DEMO_SOURCE = 'demo';
const DEMO_HISTORY_DAYS = 260;

export interface AccountSeed {
  readonly id: string;
  readonly name: string;
  readonly kind: 'paper' | 'live';
  readonly broker: 'paper' | 'ccxt' | 'ib';
}

/** Reference data a fresh installation needs: its accounts and, in development, the demo market. */
export function createReferenceDataRepository(db: Knex) {
  return {
    async ensureAccount(account: AccountSeed): Promise<void> {
      await db('accounts').insert(account).onConflict('id').ignore();
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
          const inserted = await trx('instruments').insert(fromInstrument(instrument)).onConflict('symbol').ignore().returning('symbol');
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
  };
}

export type ReferenceDataRepository = ReturnType<typeof createReferenceDataRepository>;
