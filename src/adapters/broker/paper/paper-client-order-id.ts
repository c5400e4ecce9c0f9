import type { OrderKey } from '../../../ports/broker.port';

/** The paper venue takes free text: the key as it reads, `order-<orderId>-leg1`. */
export function paperClientOrderId(key: OrderKey): string {
  return `${key.workflowId}-leg${key.leg}`;
}
