/** Workflow ids are built from domain ids, so the same order can never run twice. */
export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

/** Client order id sent to the broker: derived from the workflow id and the leg, never random. */
export function brokerClientOrderId(workflowId: string, leg: number): string {
  return `${workflowId}-leg${leg}`;
}
