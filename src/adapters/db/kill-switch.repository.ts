import type { Knex } from 'knex';
import { OPEN_ORDER_STATUSES } from '../../domain/orders/order';
import type { KillSwitchReads } from '../../ports/daily-risk.port';

export function createKillSwitchReads(db: Knex): KillSwitchReads {
  return {
    async openOrders(scope) {
      const q = db('orders as o').whereIn('o.status', [...OPEN_ORDER_STATUSES]).orderBy('o.created_at').select<Array<{ orderId: string; portfolioId: string }>>('o.id as orderId', 'o.portfolio_id as portfolioId');
      if ('portfolioId' in scope) q.where('o.portfolio_id', scope.portfolioId);
      else if ('accountId' in scope) q.join('portfolios as p', 'p.id', 'o.portfolio_id').where('p.account_id', scope.accountId);
      return q;
    },
    async accountIds() {
      return db('accounts').orderBy('id').pluck('id');
    },
  };
}
