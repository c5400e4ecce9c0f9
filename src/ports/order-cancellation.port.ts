import type { CancelOrderCommand } from '../contracts/order-contracts';

/** How a cancel sent to an order's workflow ended. */
export type OrderCancellationOutcome =
  | 'cancelled'
  /** No worker answered in time: the request stays queued in the workflow. */
  | 'requested'
  /** The order filled, was rejected or ended before the cancel reached it. */
  | 'already-closed';

/** Cancels an order through its workflow (which cancels at the broker and books it), with a signed command. */
export interface OrderCancellation {
  cancel(orderId: string, command: CancelOrderCommand): Promise<OrderCancellationOutcome>;
}
