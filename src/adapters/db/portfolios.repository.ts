import type { Knex } from 'knex';
import { valuePortfolio } from '../../domain/portfolio/valuation';
import type { RiskLimits } from '../../domain/risk/risk-limits';
import { DEFAULT_RISK_LIMITS } from '../../domain/risk/risk-limits';
import { type Decimal, toWire } from '../../domain/values/decimal';
import { appendAudit } from './audit-log';
import { fromRiskLimits, num, toRiskLimits, type RiskLimitsRow } from './row-mappers';

export interface NewPortfolio {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly baseCurrency: string;
  readonly initialCash: Decimal;
  readonly createdBy: string;
}

export interface PositionView {
  readonly symbol: string;
  readonly quantity: string;
  readonly averageCost: string;
  readonly markPrice: string | null;
  readonly marketValue: string | null;
  readonly unrealizedPnl: string | null;
  readonly realizedPnl: string;
}

export interface PortfolioView {
  readonly portfolioId: string;
  readonly accountId: string;
  readonly name: string;
  readonly baseCurrency: string;
  readonly cash: string;
  readonly positions: readonly PositionView[];
  readonly positionsValue: string;
  readonly grossExposure: string;
  readonly equity: string;
  readonly unrealizedPnl: string;
  readonly realizedPnl: string;
  readonly createdAt: string;
}

export class AccountNotFoundError extends Error {
  readonly code = 'ACCOUNT_NOT_FOUND';
  constructor(readonly accountId: string) {
    super(`account ${accountId} does not exist`);
  }
}

const money = (d: Decimal) => toWire(d.toDecimalPlaces(8));

export function createPortfoliosRepository(db: Knex) {
  return {
    /** Creates the portfolio, its opening deposit in the ledger and its default risk limits, together. */
    async createPortfolio(input: NewPortfolio): Promise<void> {
      await db.transaction(async (trx) => {
        const account = await trx('accounts').where({ id: input.accountId }).first('id');
        if (!account) throw new AccountNotFoundError(input.accountId);
        await trx('portfolios').insert({
          id: input.id, account_id: input.accountId, name: input.name, base_currency: input.baseCurrency,
          cash: input.initialCash.toFixed(), created_by: input.createdBy,
        });
        await trx('ledger_entries').insert({
          portfolio_id: input.id, entry_type: 'DEPOSIT', symbol: null, amount: input.initialCash.toFixed(),
          balance_after: input.initialCash.toFixed(), description: 'opening balance',
        });
        await trx('risk_limits').insert({ portfolio_id: input.id, ...fromRiskLimits(DEFAULT_RISK_LIMITS), updated_by: input.createdBy });
        await appendAudit(trx, { principal: input.createdBy, action: 'portfolio.created', entityType: 'portfolio', entityId: input.id,
          details: { name: input.name, baseCurrency: input.baseCurrency, initialCash: toWire(input.initialCash), accountId: input.accountId } });
      });
    },

    /** Portfolios without their positions, newest first: the index a client starts from. */
    async listPortfolios(limit: number): Promise<Array<{ portfolioId: string; accountId: string; name: string; baseCurrency: string; cash: string; createdAt: string }>> {
      const rows = await db('portfolios').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit)
        .select<{ id: string; account_id: string; name: string; base_currency: string; cash: string; created_at: Date }[]>('id', 'account_id', 'name', 'base_currency', 'cash', 'created_at');
      return rows.map((r) => ({ portfolioId: r.id, accountId: r.account_id, name: r.name, baseCurrency: r.base_currency, cash: money(num(r.cash)), createdAt: r.created_at.toISOString() }));
    },

    async exists(portfolioId: string): Promise<boolean> {
      return (await db('portfolios').where({ id: portfolioId }).first('id')) !== undefined;
    },

    /** Cash, positions marked to the latest quotes, and equity. */
    async findPortfolio(portfolioId: string): Promise<PortfolioView | null> {
      const p = await db('portfolios').where({ id: portfolioId })
        .first<{ id: string; account_id: string; name: string; base_currency: string; cash: string; created_at: Date } | undefined>();
      if (!p) return null;
      const rows = await db('positions as p').leftJoin('quotes as q', 'q.symbol', 'p.symbol')
        .where('p.portfolio_id', portfolioId).orderBy('p.symbol')
        .select<{ symbol: string; quantity: string; average_cost: string; realized_pnl: string; last: string | null }[]>(
          'p.symbol', 'p.quantity', 'p.average_cost', 'p.realized_pnl', 'q.last');
      const open = rows.filter((r) => !num(r.quantity).isZero());
      const marks = new Map(open.filter((r) => r.last !== null).map((r) => [r.symbol, num(r.last!)]));
      const valuation = valuePortfolio(num(p.cash), open.map((r) => ({ symbol: r.symbol, quantity: num(r.quantity), averageCost: num(r.average_cost) })), marks);
      const realized = rows.reduce((acc, r) => acc.plus(num(r.realized_pnl)), num(0));
      return {
        portfolioId: p.id, accountId: p.account_id, name: p.name, baseCurrency: p.base_currency, cash: money(valuation.cash),
        positions: valuation.positions.map((v) => ({
          symbol: v.symbol, quantity: toWire(v.quantity), averageCost: money(v.averageCost),
          markPrice: v.markPrice ? toWire(v.markPrice) : null,
          marketValue: v.marketValue ? money(v.marketValue) : null,
          unrealizedPnl: v.unrealizedPnl ? money(v.unrealizedPnl) : null,
          realizedPnl: money(num(rows.find((r) => r.symbol === v.symbol)!.realized_pnl)),
        })),
        positionsValue: money(valuation.positionsValue), grossExposure: money(valuation.grossExposure),
        equity: money(valuation.equity), unrealizedPnl: money(valuation.unrealizedPnl), realizedPnl: money(realized),
        createdAt: p.created_at.toISOString(),
      };
    },

    async findRiskLimits(portfolioId: string): Promise<RiskLimits | null> {
      const row = await db('risk_limits').where({ portfolio_id: portfolioId }).first<RiskLimitsRow | undefined>();
      return row ? toRiskLimits(row) : null;
    },

    async replaceRiskLimits(portfolioId: string, limits: RiskLimits, principal: string): Promise<void> {
      await db.transaction(async (trx) => {
        const before = await trx('risk_limits').where({ portfolio_id: portfolioId }).forUpdate().first<RiskLimitsRow | undefined>();
        const row = { ...fromRiskLimits(limits), updated_by: principal, updated_at: trx.fn.now() };
        await trx('risk_limits').insert({ portfolio_id: portfolioId, ...row }).onConflict('portfolio_id').merge(row);
        await appendAudit(trx, { principal, action: 'risk-limits.replaced', entityType: 'portfolio', entityId: portfolioId,
          details: { before: before ?? null, after: fromRiskLimits(limits) } });
      });
    },
  };
}

export type PortfoliosRepository = ReturnType<typeof createPortfoliosRepository>;
