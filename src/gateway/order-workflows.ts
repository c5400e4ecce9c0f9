import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure, TypedSearchAttributes, WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import { ORDER_MESSAGE_FAILURES } from '../contracts/failure-types';
import {
  awaitRiskDecisionUpdate, cancelOrderUpdate, marketMovedSignal, type CancelOrderCommand, type OrderProgress, type PlaceOrderCommand,
} from '../contracts/order-contracts';
import { ORDER_STATUS_ATTRIBUTE, PORTFOLIO_ID_ATTRIBUTE, SYMBOL_ATTRIBUTE } from '../contracts/search-attributes';
import { orderWorkflowId } from '../contracts/workflow-ids';
import { conflict } from './http-errors';

export { orderIdForClientRequest } from '../contracts/order-ids';

export type PlaceOrderResult =
  | { readonly kind: 'placed'; readonly progress: OrderProgress }
  /** The workflow is started but no decision came in time (no worker running?); it will decide later. */
  | { readonly kind: 'pending' }
  /** The order already ran to its end; the caller reads it from the books. */
  | { readonly kind: 'already-closed' };

/** Every call to Temporal that does not wait for a worker has this long. */
export const TEMPORAL_CALL_DEADLINE_MS = 5_000;

/** Starts, signals and updates order workflows: the gateway's whole contact with Temporal for orders. */
export function createOrderWorkflows(client: Client, taskQueue: string, decisionTimeoutMs = 30_000) {
  const within = <T>(ms: number, call: () => Promise<T>) => client.connection.withDeadline(Date.now() + ms, call);
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
        const decided = await withinDeadline(within(decisionTimeoutMs + TEMPORAL_CALL_DEADLINE_MS, () => client.workflow.executeUpdateWithStart(awaitRiskDecisionUpdate, {
          startWorkflowOperation: start,
          updateId: 'risk-decision',
        })), decisionTimeoutMs);
        if (decided !== TIMED_OUT) return { kind: 'placed', progress: decided };
        // The started workflow decides when a worker runs; the caller is answered now. (Not
        // start.workflowHandle(): with no worker it resolves only when the server's poll ends.)
        await within(TEMPORAL_CALL_DEADLINE_MS, () => client.workflow.getHandle(workflowId).describe());
        return { kind: 'pending' };
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError) return { kind: 'already-closed' };
        throw err;
      }
    },

    /** The command an order workflow was started with, from the first event of its history. */
    async startedCommand(orderId: string): Promise<PlaceOrderCommand | null> {
      const history = await within(TEMPORAL_CALL_DEADLINE_MS, () => client.workflow.getHandle(orderWorkflowId(orderId)).fetchHistory());
      const payload = history.events?.[0]?.workflowExecutionStartedEventAttributes?.input?.payloads?.[0];
      return payload ? client.options.loadedDataConverter.payloadConverter.fromPayload<PlaceOrderCommand>(payload) : null;
    },

    /** Whether the order's workflow exists: an order can be started but not yet in the books. */
    async exists(orderId: string): Promise<boolean> {
      try {
        await within(TEMPORAL_CALL_DEADLINE_MS, () => client.workflow.getHandle(orderWorkflowId(orderId)).describe());
        return true;
      } catch (err) {
        if (err instanceof Error && err.name === 'WorkflowNotFoundError') return false;
        throw err;
      }
    },

    /** Cancels a decided order; 'requested' when no worker answered in time (the request stays queued). */
    async cancel(orderId: string, cancel: CancelOrderCommand): Promise<OrderProgress | 'requested'> {
      try {
        const progress = await withinDeadline(
          within(decisionTimeoutMs + TEMPORAL_CALL_DEADLINE_MS, () => client.workflow.getHandle(orderWorkflowId(orderId)).executeUpdate(cancelOrderUpdate, { args: [cancel] })), decisionTimeoutMs);
        if (progress === TIMED_OUT) return 'requested';
        // The order may have filled (or been rejected) before the cancel reached the broker.
        if (progress.status !== 'CANCELLED') throw conflict('ORDER_NOT_CANCELLABLE', `the order ended ${progress.status} before it could be cancelled`, { status: progress.status });
        return progress;
      } catch (err) {
        if (err instanceof WorkflowUpdateFailedError && err.cause instanceof ApplicationFailure && err.cause.type === ORDER_MESSAGE_FAILURES.OrderNotCancellable) {
          throw conflict('ORDER_NOT_CANCELLABLE', err.cause.message);
        }
        if (isClosedWorkflowError(err)) throw conflict('ORDER_NOT_CANCELLABLE', 'the order has already finished');
        throw err;
      }
    },

    /** Tells resting orders that their symbol's market moved; a finished one is skipped. */
    async notifyMarketMoved(workflowIds: readonly string[]): Promise<void> {
      await Promise.all(workflowIds.map(async (id) => {
        try {
          await within(TEMPORAL_CALL_DEADLINE_MS, () => client.workflow.getHandle(id).signal(marketMovedSignal));
        } catch (err) {
          if (!isClosedWorkflowError(err)) throw err;
        }
      }));
    },
  };
}

export type OrderWorkflows = ReturnType<typeof createOrderWorkflows>;

const TIMED_OUT = Symbol('timed out');

/** Waits for work at most `ms`; the work goes on regardless (its late failure is dropped). */
async function withinDeadline<T>(work: Promise<T>, ms: number): Promise<T | typeof TIMED_OUT> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<typeof TIMED_OUT>((resolve) => {
    timer = setTimeout(() => resolve(TIMED_OUT), ms);
  });
  const first = await Promise.race([work, deadline]).finally(() => clearTimeout(timer));
  if (first === TIMED_OUT) work.catch(() => undefined);
  return first;
}

export function isClosedWorkflowError(err: unknown): boolean {
  return err instanceof Error && (err.name === 'WorkflowNotFoundError' || /already completed|not found/i.test(err.message));
}
