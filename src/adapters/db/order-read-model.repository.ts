import type { Knex } from 'knex';
import type { OrderFillDto } from '../../contracts/order-contracts';
import type { OrderView } from '../../contracts/order-views';
import { exactView, moneyView } from '../../contracts/wire-format';
import type { OrderReadModel } from '../../ports/orders.port';
import { toProgress, type OrderRow } from './order-rows';
import { num } from './row-mappers';

type FillRow = { id: string; quantity: string; price: string; fee: string; executed_at: Date | string };

function toOrderView(row: OrderRow, fills: readonly FillRow[]): OrderView {
  const progress = toProgress(row);
  return {
    orderId: row.id, portfolioId: row.portfolio_id, clientRequestId: row.client_request_id, workflowId: row.workflow_id,
    symbol: row.symbol, side: row.side, type: row.type, quantity: exactView(num(row.quantity)),
    limitPrice: row.limit_price === null ? null : exactView(num(row.limit_price)), execute: row.execute, status: row.status,
    decision: row.decision, filledQuantity: progress.filledQuantity, averageFillPrice: progress.averageFillPrice,
    fees: moneyView(num(row.fees)), rejectionReason: row.rejection_reason, requestedBy: row.requested_by,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(),
    fills: fills.map((f): OrderFillDto => ({
      fillId: f.id, quantity: exactView(num(f.quantity)), price: exactView(num(f.price)), fee: moneyView(num(f.fee)), executedAt: new Date(f.executed_at).toISOString(),
    })),
  };
}

export function createOrderReadModel(db: Knex): OrderReadModel {
  /** The order and its fills in one round trip (the fills' numerics as text: exact). */
  const findOrder = async (orderId: string): Promise<OrderView | null> => {
    const found = await db('orders as o').where('o.id', orderId).first<(OrderRow & { fills: FillRow[] }) | undefined>('o.*', db.raw(`coalesce((
      select json_agg(json_build_object('id', f.id, 'quantity', f.quantity::text, 'price', f.price::text, 'fee', f.fee::text, 'executed_at', f.executed_at) order by f.executed_at)
      from fills f where f.order_id = o.id), '[]'::json) as fills`));
    return found ? toOrderView(found, found.fills) : null;
  };
  return {
    findOrder,

    async findOrderByClientRequestId(portfolioId, clientRequestId) {
      const row = await db('orders').where({ portfolio_id: portfolioId, client_request_id: clientRequestId }).first<{ id: string } | undefined>('id');
      return row ? findOrder(row.id) : null;
    },

    async listOrders(filter) {
      const q = db('orders').where({ portfolio_id: filter.portfolioId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(filter.limit);
      if (filter.status) q.andWhere({ status: filter.status });
      return (await q.select<OrderRow[]>('*')).map((r) => toOrderView(r, []));
    },

    async restingOrdersCrossedBy({ symbol, bid, ask }) {
      const rows = await db('orders').where({ symbol, type: 'LIMIT' }).whereIn('status', ['APPROVED', 'WORKING'])
        .andWhere((q) => q.where((buy) => buy.where({ side: 'BUY' }).andWhere('limit_price', '>=', ask.toFixed()))
          .orWhere((sell) => sell.where({ side: 'SELL' }).andWhere('limit_price', '<=', bid.toFixed())))
        .select<{ workflow_id: string }[]>('workflow_id');
      return rows.map((r) => r.workflow_id);
    },
  };
}
