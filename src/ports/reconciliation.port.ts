/** An order that still holds risk (APPROVED or WORKING). */
export interface OpenOrderRef {
  readonly orderId: string;
  readonly workflowId: string;
  readonly status: 'APPROVED' | 'WORKING';
}

/** Orders that may be stranded: open in the books, untouched for a while. */
export interface OpenOrders {
  untouchedSince(cutoff: Date): Promise<OpenOrderRef[]>;
}

/** Whether a workflow still runs: a closed (or forgotten) one will never move its order again. */
export interface WorkflowStatus {
  isRunning(workflowId: string): Promise<boolean>;
}
