import type { Knex } from 'knex';
import { Money } from '../../domain/values/money';
import { PortfolioNotFoundError } from '../../ports/risk-context.port';

/**
 * Serialises risk decisions and bookings per portfolio; every transaction that touches a portfolio
 * takes this lock first, so there is one lock order. NO KEY UPDATE, not UPDATE: foreign-key checks
 * of inserted orders and fills take KEY SHARE on the portfolio, which it does not block.
 */
export async function lockPortfolio(trx: Knex.Transaction, portfolioId: string): Promise<{ cash: Money }> {
  const row = await trx('portfolios').where({ id: portfolioId }).forNoKeyUpdate().first<{ cash: string; base_currency: string } | undefined>('cash', 'base_currency');
  if (!row) throw new PortfolioNotFoundError(portfolioId);
  return { cash: Money.of(row.cash, row.base_currency) };
}
