/** Workflow ids are built from domain ids, so the same order can never run twice. */
export function orderWorkflowId(orderId: string): string {
  return `order-${orderId}`;
}

/** One exit workflow per position: the same position can never have two. */
export function exitWorkflowId(positionId: string): string {
  return `exit-${positionId}`;
}
