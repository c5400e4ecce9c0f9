import { isGrpcDeadlineError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { ORDER_MESSAGE_FAILURES } from '../../contracts/failure-types';
import { cancelOrderUpdate } from '../../contracts/order-contracts';
import { orderWorkflowId } from '../../contracts/workflow-ids';
import type { OrderCancellation } from '../../ports/order-cancellation.port';

const isClosedWorkflow = (err: unknown) => err instanceof Error && (err.name === 'WorkflowNotFoundError' || /already completed|not found/i.test(err.message));

/**
 * Cancels orders through their workflows' signed cancel update, waiting at most `waitMs` for the
 * order to end (then 'requested': the update stays with the workflow). For the worker's own
 * workflows (the kill switch); the gateway has its own, which answers HTTP errors.
 */
export function createOrderCancellation(client: Client, waitMs: number): OrderCancellation {
  return {
    async cancel(orderId, command) {
      try {
        const progress = await client.connection.withDeadline(Date.now() + waitMs, () =>
          client.workflow.getHandle(orderWorkflowId(orderId)).executeUpdate(cancelOrderUpdate, { args: [command] }));
        return progress.status === 'CANCELLED' ? 'cancelled' : 'already-closed';
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === ORDER_MESSAGE_FAILURES.OrderNotCancellable) return 'already-closed';
        if (isClosedWorkflow(err)) return 'already-closed';
        if (isGrpcDeadlineError(err)) return 'requested';
        throw err;
      }
    },
  };
}
