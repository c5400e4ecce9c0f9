import type { Knex } from 'knex';
import type { OpenOrderRef, OpenOrders } from '../../ports/reconciliation.port';

export function createOpenOrders(db: Knex): OpenOrders {
  return {
    async untouchedSince(cutoff) {
      const rows = await db('orders').whereIn('status', ['APPROVED', 'WORKING']).where('updated_at', '<', cutoff).orderBy('updated_at')
        .select<{ id: string; workflow_id: string; status: OpenOrderRef['status'] }[]>('id', 'workflow_id', 'status');
      return rows.map((r) => ({ orderId: r.id, workflowId: r.workflow_id, status: r.status }));
    },
  };
}
