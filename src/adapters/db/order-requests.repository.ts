import type { Knex } from 'knex';
import type { OrderRequestClaims } from '../../ports/orders.port';

export function createOrderRequestClaims(db: Knex): OrderRequestClaims {
  return {
    async claim(portfolioId, clientRequestId, orderId) {
      const inserted = await db('order_requests').insert({ portfolio_id: portfolioId, client_request_id: clientRequestId, order_id: orderId })
        .onConflict(['portfolio_id', 'client_request_id']).ignore().returning('order_id');
      return inserted.length > 0 ? 'first' : 'repeat';
    },
  };
}
