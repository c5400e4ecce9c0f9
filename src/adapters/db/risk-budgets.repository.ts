import type { Knex } from 'knex';
import type { RiskBudgetsStore, StoredRiskBudget } from '../../ports/risk-budgets.port';
import { appendAudit } from './audit-log.repository';

type Row = {
  id: string; name: string; portfolio_id: string | null; entity_type: StoredRiskBudget['entityType']; lookback_days: number | null;
  definition: Record<string, unknown>; created_by: string; created_at: Date;
};
const toBudget = (r: Row): StoredRiskBudget => ({
  id: r.id, name: r.name, portfolioId: r.portfolio_id, entityType: r.entity_type, lookbackDays: r.lookback_days,
  definition: r.definition, createdBy: r.created_by, createdAt: r.created_at,
});

export function createRiskBudgetsRepository(db: Knex): RiskBudgetsStore {
  return {
    async create(budget) {
      return db.transaction(async (trx) => {
        const [row] = await trx('risk_budgets').insert({
          id: budget.id, name: budget.name, portfolio_id: budget.portfolioId, entity_type: budget.entityType, lookback_days: budget.lookbackDays,
          definition: JSON.stringify(budget.definition), created_by: budget.createdBy,
        }).returning<Row[]>('*');
        await appendAudit(trx, { principal: budget.createdBy, action: 'risk-budget.created', entityType: 'risk-budget', entityId: budget.id,
          details: { name: budget.name, portfolioId: budget.portfolioId, entityType: budget.entityType, definition: budget.definition } });
        return toBudget(row!);
      });
    },
    async find(id) {
      const row = await db('risk_budgets').where({ id }).first<Row | undefined>();
      return row ? toBudget(row) : null;
    },
    async list(portfolios) {
      const q = db('risk_budgets').orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(500);
      if (portfolios !== 'all') q.where((w) => w.whereNull('portfolio_id').orWhereIn('portfolio_id', portfolios));
      return (await q.select<Row[]>('*')).map(toBudget);
    },
  };
}
