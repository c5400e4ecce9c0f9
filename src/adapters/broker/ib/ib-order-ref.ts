import type { OrderKey } from '../../../ports/broker.port';

/**
 * IB's `orderRef` is free text and not unique at IB: recovery matches it across open orders and
 * executions, so it is the readable key itself.
 */
export function ibOrderRef(key: OrderKey): string {
  return `${key.workflowId}-leg${key.leg}`;
}
