import { randomUUID } from 'node:crypto';
import { createPortfoliosRepository } from '../../src/adapters/db/portfolios.repository';
import { Money } from '../../src/domain/values/money';
import { migratedTestDatabase, type TestDatabase } from '../support/test-system';

let database: TestDatabase;
beforeAll(async () => {
  database = await migratedTestDatabase('portfolios');
});
afterAll(async () => database?.close());

describe('portfolios on PostgreSQL', () => {
  it('when a portfolio was found once, then later checks answer without a query, and an unknown one is asked every time', async () => {
    const portfolios = createPortfoliosRepository(database.db);
    const id = randomUUID();
    const queries: string[] = [];
    const count = (q: { sql: string }) => queries.push(q.sql);
    database.db.on('query', count);
    try {
      expect(await portfolios.exists(id)).toBe(false);
      expect(await portfolios.exists(id)).toBe(false);
      expect(queries).toHaveLength(2);
      await portfolios.createPortfolio({ id, accountId: 'paper', name: 't', initialCash: Money.of('1000', 'USD'), createdBy: 'test' });
      queries.length = 0;
      expect(await portfolios.exists(id)).toBe(true);
      expect(queries).toHaveLength(1);
      expect(await portfolios.exists(id)).toBe(true);
      expect(await portfolios.exists(id)).toBe(true);
      expect(queries).toHaveLength(1);
    } finally {
      database.db.removeListener('query', count);
    }
  });
});
