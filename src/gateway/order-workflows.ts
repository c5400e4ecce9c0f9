import { createHash } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { TypedSearchAttributes, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import {
  awaitRiskDecisionUpdate, cancelOrderUpdate, marketMovedSignal, type OrderProgress, type PlaceOrderCommand,
} from '../contracts/order-contracts';
import { ORDER_STATUS_ATTRIBUTE, PORTFOLIO_ID_ATTRIBUTE, SYMBOL_ATTRIBUTE } from '../contracts/search-attributes';
import { orderWorkflowId } from '../contracts/workflow-ids';
import { conflict } from './http-errors';

/** The same portfolio and client request id always name the same order (a UUID-shaped digest). */
export function orderIdForClientRequest(portfolioId: string, clientRequestId: string): string {
  const h = createHash('sha256').update(`${portfolioId}\u0000${clientRequestId}`).digest('hex');
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-8${h.slice(13, 16)}-${((parseInt(h.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${h.slice(18, 20)}-${h.slice(20, 32)}`;
}

export type PlaceOrderResult =
  | { readonly kind: 'placed'; readonly progress: OrderProgress }
  /** The workflow is started but no decision came in time (no worker running?); it will decide later. */
  | { readonly kind: 'pending' }
  /** The order already ran to its end; the caller reads it from the books. */
  | { readonly kind: 'already-closed' };

/** Starts, signals and updates order workflows: the gateway's whole contact with Temporal for orders. */
export function createOrderWorkflows(client: Client, taskQueue: string, decisionTimeoutMs = 30_000) {
  return {
    /**
     * Starts the order workflow and waits for its risk decision in one call (update-with-start),
     * so the decision is in the workflow's history. A running workflow with the same id answers
     * the same update id with the same decision instead of deciding twice.
     */
    async place(command: PlaceOrderCommand): Promise<PlaceOrderResult> {
      const workflowId = orderWorkflowId(command.orderId);
      const start = new WithStartWorkflowOperation('orderWorkflow', {
        workflowId,
        taskQueue,
        args: [command],
        workflowIdConflictPolicy: 'USE_EXISTING',
        workflowIdReusePolicy: 'REJECT_DUPLICATE',
        typedSearchAttributes: new TypedSearchAttributes([
          { key: PORTFOLIO_ID_ATTRIBUTE, value: command.portfolioId },
          { key: SYMBOL_ATTRIBUTE, value: command.symbol },
          { key: ORDER_STATUS_ATTRIBUTE, value: 'PENDING_RISK' },
        ]),
      });
      try {
        const decided = client.workflow.executeUpdateWithStart(awaitRiskDecisionUpdate, {
          startWorkflowOperation: start,
          updateId: 'risk-decision',
        }).then((progress): PlaceOrderResult => ({ kind: 'placed', progress }));
        // The caller gets an answer in bounded time; the started workflow decides when a worker runs.
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<PlaceOrderResult | 'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), decisionTimeoutMs);
        });
        const first = await Promise.race([decided, timeout]).finally(() => clearTimeout(timer));
        if (first !== 'timeout') return first;
        decided.catch(() => undefined);
        await start.workflowHandle();
        return { kind: 'pending' };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { kind: 'already-closed' };
        throw err;
      }
    },

    /** Whether the order's workflow exists: an order can be started but not yet in the books. */
    async exists(orderId: string): Promise<boolean> {
      try {
        await client.workflow.getHandle(orderWorkflowId(orderId)).describe();
        return true;
      } catch (err) {
        if (err instanceof Error && err.name === 'WorkflowNotFoundError') return false;
        throw err;
      }
    },

    async cancel(orderId: string, requestedBy: string): Promise<OrderProgress> {
      try {
        return await client.workflow.getHandle(orderWorkflowId(orderId)).executeUpdate(cancelOrderUpdate, { args: [{ requestedBy }] });
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError) throw conflict('ORDER_NOT_CANCELLABLE', err.cause?.message ?? err.message);
        if (isClosedWorkflowError(err)) throw conflict('ORDER_NOT_CANCELLABLE', 'the order has already finished');
        throw err;
      }
    },

    /** Tells resting orders that their symbol's market moved; a finished one is skipped. */
    async notifyMarketMoved(workflowIds: readonly string[]): Promise<void> {
      await Promise.all(workflowIds.map(async (id) => {
        try {
          await client.workflow.getHandle(id).signal(marketMovedSignal);
        } catch (err) {
          if (!isClosedWorkflowError(err)) throw err;
        }
      }));
    },
  };
}

export type OrderWorkflows = ReturnType<typeof createOrderWorkflows>;

function isClosedWorkflowError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'WorkflowNotFoundError' || /already completed|not found/i.test(err.message));
}
