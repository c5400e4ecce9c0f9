import type { Knex } from 'knex';
import type { PortfolioSummaryView, PortfolioView } from '../../contracts/portfolio-views';
import { exactView, moneyView } from '../../contracts/wire-format';
import { valuePortfolio } from '../../domain/portfolio/valuation';
import { Money } from '../../domain/values/money';
import { price } from '../../domain/values/price';
import { signedQuantity } from '../../domain/values/quantity';
import { AccountNotFoundError, type PortfolioGrants, type PortfoliosPort } from '../../ports/portfolios.port';
import { appendAudit } from './audit-log.repository';
import { num } from './row-mappers';

type PortfolioRow = { id: string; account_id: string; name: string; base_currency: string; cash: string; created_at: Date };

const toSummary = (r: PortfolioRow): PortfolioSummaryView => ({
  portfolioId: r.id, accountId: r.account_id, name: r.name, baseCurrency: r.base_currency, cash: moneyView(num(r.cash)), createdAt: r.created_at.toISOString(),
});

export function createPortfoliosRepository(db: Knex): PortfoliosPort {
  // Portfolios are never deleted: one seen once exists for good, so the check before every order
  // on it asks the database only the first time.
  const known = new Set<string>();
  return {
    async createPortfolio(input) {
      const cash = input.initialCash;
      await db.transaction(async (trx) => {
        const account = await trx('accounts').where({ id: input.accountId }).first('id');
        if (!account) throw new AccountNotFoundError(input.accountId);
        await trx('portfolios').insert({
          id: input.id, account_id: input.accountId, name: input.name, base_currency: cash.currency, cash: cash.amount.toFixed(), created_by: input.createdBy,
        });
        await trx('ledger_entries').insert({
          portfolio_id: input.id, entry_type: 'DEPOSIT', symbol: null, amount: cash.amount.toFixed(), balance_after: cash.amount.toFixed(), description: 'opening balance',
        });
        // Every limit at its default until someone sets one.
        await trx('risk_limits').insert({ portfolio_id: input.id, updated_by: input.createdBy });
        await trx('portfolio_grants').insert({ principal: input.createdBy, portfolio_id: input.id, granted_by: input.createdBy });
        await appendAudit(trx, { principal: input.createdBy, action: 'portfolio.created', entityType: 'portfolio', entityId: input.id,
          details: { name: input.name, baseCurrency: cash.currency, initialCash: cash.toWire(), accountId: input.accountId } });
      });
    },

    async listPortfolios(limit, only) {
      const q = db('portfolios').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
      if (only) q.whereIn('id', only);
      return (await q.select<PortfolioRow[]>('id', 'account_id', 'name', 'base_currency', 'cash', 'created_at')).map(toSummary);
    },

    async exists(portfolioId) {
      if (known.has(portfolioId)) return true;
      const found = (await db('portfolios').where({ id: portfolioId }).first('id')) !== undefined;
      if (found) known.add(portfolioId);
      return found;
    },

    async findPortfolio(portfolioId): Promise<PortfolioView | null> {
      const p = await db('portfolios').where({ id: portfolioId }).first<PortfolioRow | undefined>();
      if (!p) return null;
      const rows = await db('positions as p').leftJoin('quotes as q', 'q.symbol', 'p.symbol')
        .where('p.portfolio_id', portfolioId).orderBy('p.symbol')
        .select<{ symbol: string; quantity: string; average_cost: string; realized_pnl: string; last: string | null; position_id: string | null }[]>(
          'p.symbol', 'p.quantity', 'p.average_cost', 'p.realized_pnl', 'q.last', 'p.position_id');
      const open = rows.filter((r) => !num(r.quantity).isZero());
      const marks = new Map(open.filter((r) => r.last !== null).map((r) => [r.symbol, price(num(r.last!))]));
      const cash = Money.of(num(p.cash), p.base_currency);
      const valuation = valuePortfolio(cash, open.map((r) => ({ symbol: r.symbol, quantity: signedQuantity(num(r.quantity)), averageCost: price(num(r.average_cost)) })), marks);
      const realizedBySymbol = new Map(rows.map((r) => [r.symbol, num(r.realized_pnl)]));
      const positionIds = new Map(rows.map((r) => [r.symbol, r.position_id]));
      const realized = Money.sum(rows.map((r) => Money.of(num(r.realized_pnl), p.base_currency)), p.base_currency);
      return {
        ...toSummary(p),
        positions: valuation.positions.map((v) => ({
          positionId: positionIds.get(v.symbol) ?? null, symbol: v.symbol, quantity: exactView(v.quantity), averageCost: moneyView(v.averageCost),
          markPrice: v.markPrice ? exactView(v.markPrice) : null,
          marketValue: v.marketValue ? moneyView(v.marketValue) : null,
          unrealizedPnl: v.unrealizedPnl ? moneyView(v.unrealizedPnl) : null,
          realizedPnl: moneyView(realizedBySymbol.get(v.symbol)!),
        })),
        positionsValue: moneyView(valuation.positionsValue), grossExposure: moneyView(valuation.grossExposure),
        equity: moneyView(valuation.equity), unrealizedPnl: moneyView(valuation.unrealizedPnl), realizedPnl: moneyView(realized),
        createdAt: p.created_at.toISOString(),
      };
    },
  };
}

export function createPortfolioGrants(db: Knex): PortfolioGrants {
  return {
    async isGranted(principal, portfolioId) {
      return (await db('portfolio_grants').where({ principal, portfolio_id: portfolioId }).first('portfolio_id')) !== undefined;
    },
    async grantedTo(principal) {
      return (await db('portfolio_grants').where({ principal }).select<{ portfolio_id: string }[]>('portfolio_id')).map((r) => r.portfolio_id);
    },
  };
}
