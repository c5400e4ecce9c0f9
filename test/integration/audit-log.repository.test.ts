import { createAuditLog } from '../../src/adapters/db/audit-log.repository';
import { createMarketDataRepository } from '../../src/adapters/db/market-data.repository';
import { Money } from '../../src/domain/values/money';
import { price } from '../../src/domain/values/price';
import { quantity } from '../../src/domain/values/quantity';
import { migratedTestDatabase, type TestDatabase } from '../support/test-system';

let database: TestDatabase;
beforeAll(async () => {
  database = await migratedTestDatabase('audit');
});
afterAll(async () => database?.close());

describe('audit log and market data on PostgreSQL', () => {
  it('when an instrument is defined, replaced and quoted, then its audit history tells who did what, in order', async () => {
    const marketData = createMarketDataRepository(database.db);
    const instrument = { symbol: 'SOL-USD', name: 'Solana', assetClass: 'CRYPTO' as const, currency: 'USD', tickSize: price('0.01'), lotSize: quantity('0.01'), minNotional: Money.of('5', 'USD'), sector: 'Crypto' };
    expect(await marketData.upsertInstrument(instrument, 'alice')).toEqual({ created: true });
    expect(await marketData.upsertInstrument({ ...instrument, name: 'Solana (SOL)' }, 'bob')).toEqual({ created: false });
    await marketData.upsertQuote({ symbol: 'SOL-USD', bid: price('150.00'), ask: price('150.10'), last: price('150.05'), asOf: new Date() }, 'api', 'carol');
    await createAuditLog(database.db).record({ principal: 'dave', action: 'instrument.reviewed', entityType: 'instrument', entityId: 'SOL-USD' });

    const history = await createAuditLog(database.db).entriesFor('instrument', 'SOL-USD');
    expect(history.map((e) => [e.principal, e.action])).toEqual([
      ['alice', 'instrument.created'], ['bob', 'instrument.replaced'], ['carol', 'quote.set'], ['dave', 'instrument.reviewed'],
    ]);
    expect((await marketData.findInstrument('SOL-USD'))?.minNotional.toString()).toBe('5 USD');
    expect((await marketData.findQuote('SOL-USD'))).toMatchObject({ source: 'api' });
  });

  it('when price history is asked for a range, then the demo closes come oldest first as prices', async () => {
    const closes = await createMarketDataRepository(database.db).priceHistory('AAPL', '1900-01-01', '2999-12-31');
    expect(closes).toHaveLength(260);
    expect(closes[0]!.date < closes[259]!.date).toBe(true);
    expect(closes.every((c) => /^\d{4}-\d{2}-\d{2}$/.test(c.date) && c.close.gt(0))).toBe(true);
  });
});
