import type { Knex } from 'knex';
import { valuePortfolio } from '../../domain/portfolio/valuation';
import { Money } from '../../domain/values/money';
import { price } from '../../domain/values/price';
import { signedQuantity } from '../../domain/values/quantity';
import type { AnalyticsInputs } from '../../ports/analytics-inputs.port';
import { readRecentCloses } from './market-data.repository';
import { num } from './row-mappers';

export function createAnalyticsInputs(db: Knex): AnalyticsInputs {
  return {
    async portfolioMarketData(portfolioId, lookbackDays) {
      const portfolio = await db('portfolios').where({ id: portfolioId }).first<{ cash: string; base_currency: string } | undefined>('cash', 'base_currency');
      if (!portfolio) return null;
      const rows = await db('positions as p').join('instruments as i', 'i.symbol', 'p.symbol').leftJoin('quotes as q', 'q.symbol', 'p.symbol')
        .where('p.portfolio_id', portfolioId).whereNot('p.quantity', 0).orderBy('p.symbol')
        .select<Array<{ symbol: string; quantity: string; average_cost: string; last: string | null; sector: string; strategy_id: string | null }>>('p.symbol', 'p.quantity', 'p.average_cost', 'q.last', 'i.sector', 'p.strategy_id');
      const holdings = rows.map((r) => ({ symbol: r.symbol, quantity: signedQuantity(num(r.quantity)), averageCost: price(num(r.average_cost)) }));
      const valuation = valuePortfolio(Money.of(num(portfolio.cash), portfolio.base_currency), holdings,
        new Map(rows.filter((r) => r.last !== null).map((r) => [r.symbol, price(num(r.last!))])));
      const closes = await readRecentCloses(db, rows.map((r) => r.symbol), lookbackDays + 1);
      return {
        equity: valuation.equity.amount.toNumber(),
        holdings: valuation.positions.map((p, i) => ({
          symbol: p.symbol, sector: rows[i]!.sector, strategy: rows[i]!.strategy_id,
          // Carried at cost when unquoted, as equity values it.
          marketValue: (p.marketValue ?? Money.of(p.quantity.times(p.averageCost), portfolio.base_currency)).amount.toNumber(),
        })),
        closes,
      };
    },
  };
}
