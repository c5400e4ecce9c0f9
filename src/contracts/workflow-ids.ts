/** Workflow ids are built from domain ids, so the same order can never run twice. */
export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}
