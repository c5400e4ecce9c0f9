import {
  allHandlersFinished, ApplicationFailure, condition, continueAsNew, ParentClosePolicy, patched, proxyActivities, proxyLocalActivities, setHandler, startChild,
  upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { StartExitCommand } from '../src/contracts/exit-workflow-contracts';
import type { BooksActivities } from '../activities/books.activities';
import type { BrokerActivities } from '../activities/broker.activities';
import type { CommandActivities } from '../activities/command.activities';
import type { ExitActivities } from '../activities/exit.activities';
import type { RiskActivities } from '../activities/risk.activities';
import type { BrokerOrderReportDto } from '../src/contracts/broker-contracts';
import { NON_RETRYABLE_FAILURE_TYPES, ORDER_MESSAGE_FAILURES } from '../src/contracts/failure-types';
import {
  awaitRiskDecisionUpdate, cancelOrderUpdate, marketMovedSignal, ORDER_WORKFLOW_REVISION, orderProgressQuery,
  type OrderProgress, type PlaceOrderCommand,
} from '../src/contracts/order-contracts';
import { ORDER_STATUS_ATTRIBUTE } from '../src/contracts/search-attributes';
import { exitWorkflowId } from '../src/contracts/workflow-ids';
import { isFinalOrderStatus } from '../src/domain/orders/order';
import type { OrderKey } from '../src/ports/broker.port';

// The risk decision and the booking are each one short, idempotent database transaction: as local
// activities they run inside the workflow task that needs them, without the dispatch of an activity
// task and the extra workflow task it costs (a rerun after a lost task is harmless).
const { assessOrder, confirmAtSubmission, bookBrokerReport: bookInWorkflowTask, verifyCancelOrder } = proxyLocalActivities<RiskActivities & BooksActivities & CommandActivities>({
  startToCloseTimeout: '10 seconds',
  retry: { initialInterval: '200 milliseconds', backoffCoefficient: 2, maximumInterval: '10 seconds', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});

// The venue can be slow or away: its calls are activity tasks with their own timeouts and retries.
const { checkSubmitAndBook, submitOrderToBroker, refreshBrokerOrder, cancelBrokerOrder, bookBrokerReport, prepareExitForOrder } = proxyActivities<BrokerActivities & BooksActivities & ExitActivities>({
  // Database and paper-venue work takes milliseconds; a lost attempt (a killed worker) is retried soon.
  startToCloseTimeout: '10 seconds',
  retry: {
    initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds',
    // Errors that the same call would meet again; infrastructure faults are retried without end.
    nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES],
  },
});

/** Set when the workflow continued as new while its order rests at the broker. */
export interface RestingOrderState {
  readonly progress: OrderProgress;
}

/**
 * One order, end to end: pre-trade risk decision (answered to the caller through an update), then
 * the broker, then the books. A resting limit order waits durably for the market to move or for a
 * cancel; the workflow never polls.
 */
export async function orderWorkflow(command: PlaceOrderCommand, resting?: RestingOrderState): Promise<OrderProgress> {
  const orderKey: OrderKey = { workflowId: workflowInfo().workflowId, leg: 1 };
  // Today's steps: the collar checked in the step that sends the order, bookings in the workflow
  // task, verified cancels, fills handed to exit workflows. A command issued for this revision runs
  // them without a patch marker (and its search-attribute upsert); any other asks one patch, which
  // stands for every change before it too. Orders started before replay the older patches where
  // they recorded them.
  const checksAtSubmissionStep = (command.workflowRevision ?? 0) >= ORDER_WORKFLOW_REVISION || patched('collar-check-with-submission');
  // Orders started before the booking became a local activity book through an activity task.
  // `actor`: who asked for what the report shows (the canceller), for the audit; else the system.
  const book = (report: BrokerOrderReportDto, actor?: string) =>
    checksAtSubmissionStep || patched('book-in-workflow-task') ? bookInWorkflowTask(command.orderId, report, actor) : bookBrokerReport(command.orderId, report, actor);
  let progress: OrderProgress | undefined = resting?.progress;
  // A resumed run cannot know what moved while it continued as new: it looks once.
  let marketMoved = resting !== undefined;
  let cancelRequestedBy: string | undefined;

  const isFinal = () => progress !== undefined && isFinalOrderStatus(progress.status);
  const record = (next: OrderProgress) => {
    if (progress?.status !== next.status) upsertSearchAttributes([{ key: ORDER_STATUS_ATTRIBUTE, value: next.status }]);
    progress = next;
  };

  setHandler(orderProgressQuery, () => {
    if (!progress) throw ApplicationFailure.nonRetryable('the order is still being assessed', ORDER_MESSAGE_FAILURES.OrderPending);
    return progress;
  });
  setHandler(awaitRiskDecisionUpdate, async () => {
    await condition(() => progress !== undefined);
    return progress!;
  });
  setHandler(marketMovedSignal, () => {
    marketMoved = true;
  });
  setHandler(cancelOrderUpdate, async (cancel) => {
    // Only a cancel the gateway signed, for this order, just issued: anything else fails the update, not the order.
    if (checksAtSubmissionStep || patched('verify-cancel')) await verifyCancelOrder({ ...cancel, orderId: command.orderId });
    cancelRequestedBy ??= cancel.requestedBy;
    await condition(isFinal);
    return progress!;
  }, {
    validator: (_request) => {
      if (progress === undefined) throw ApplicationFailure.nonRetryable('the order is still being assessed', ORDER_MESSAGE_FAILURES.OrderNotCancellable);
      if (isFinal()) throw ApplicationFailure.nonRetryable(`the order is already ${progress.status}`, ORDER_MESSAGE_FAILURES.OrderNotCancellable);
    },
  });

  if (!resting) {
    record(await assessOrder(command));
    if (progress!.status !== 'APPROVED') return progress!; // DENIED, or VALIDATED (validate only)
    const submission = {
      orderKey, symbol: command.symbol, side: command.side, type: command.type, quantity: command.quantity, limitPrice: command.limitPrice,
    };
    if (checksAtSubmissionStep) {
      // The quote may have moved since the decision: the price collar again, in the step that sends
      // the order and books what the broker answers, so the caller's answer waits for none of it.
      const sent = await checkSubmitAndBook(command.orderId, submission);
      record(sent.progress);
      if (sent.kind === 'STOPPED') return progress!; // REJECTED at submission
    } else {
      // Orders started before: the check at submission was a local activity of the decision's task.
      if (patched('price-collar-at-submission')) {
        record(await confirmAtSubmission(command.orderId));
        if (progress!.status !== 'APPROVED') return progress!; // REJECTED at submission
      }
      record(await book(await submitOrderToBroker(submission)));
    }
  }

  // The order rests at the broker: wait for the market to move or for a cancel.
  while (!isFinal()) {
    await condition(() => marketMoved || cancelRequestedBy !== undefined);
    let report: BrokerOrderReportDto | null;
    if (cancelRequestedBy !== undefined) {
      report = await cancelBrokerOrder(orderKey);
    } else {
      marketMoved = false;
      report = await refreshBrokerOrder(orderKey);
    }
    if (report !== null) record(await book(report, cancelRequestedBy));
    if (!isFinal() && workflowInfo().continueAsNewSuggested && cancelRequestedBy === undefined) {
      await condition(allHandlersFinished);
      await continueAsNew<typeof orderWorkflow>(command, { progress: progress! });
    }
  }
  // An order that carries an exit plan hands the position it built to that position's exit workflow,
  // which outlives the order; a position that already has one keeps it.
  if (command.exitPlan !== undefined && Number(progress!.filledQuantity) > 0 && (checksAtSubmissionStep || patched('exit-plan-on-fill'))) {
    const exit = await prepareExitForOrder(command);
    if (exit !== null) {
      try {
        await startChild<(s: StartExitCommand) => Promise<unknown>>('exitWorkflow', {
          workflowId: exitWorkflowId(exit.positionId), args: [exit], taskQueue: workflowInfo().taskQueue, parentClosePolicy: ParentClosePolicy.ABANDON,
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }
  }
  return progress!;
}
