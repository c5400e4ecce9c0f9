import {
  ActivityFailure, allHandlersFinished, ApplicationFailure, condition, continueAsNew, executeChild, ParentClosePolicy, patched, proxyActivities, proxyLocalActivities, setHandler, startChild, upsertSearchAttributes, workflowInfo,
} from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError, type RetryPolicy } from '@temporalio/common';
import type { ExitActivities } from '../activities/exit.activities';
import type { ExitStateDto } from '../src/contracts/exit-contracts';
import {
  amendExitPlanUpdate, awaitExitStartedUpdate, closePositionUpdate, EXIT_MESSAGE_FAILURES, exitStateQuery, pauseExitUpdate, resumeExitUpdate,
  type ExitCommand, type ExitStep, type ExitView, type StartExitCommand,
} from '../src/contracts/exit-workflow-contracts';
import { NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';
import { marketMovedSignal, type OrderProgress, type PlaceOrderCommand } from '../src/contracts/order-contracts';
import { EXIT_STATUS_ATTRIBUTE, PORTFOLIO_ID_ATTRIBUTE, SYMBOL_ATTRIBUTE } from '../src/contracts/search-attributes';
import { orderWorkflowId } from '../src/contracts/workflow-ids';

const retry: RetryPolicy = {
  initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds',
  nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES, ...Object.values(EXIT_MESSAGE_FAILURES)],
};
const { beginExit } = proxyActivities<ExitActivities>({ startToCloseTimeout: '30 seconds', retry });
// A market step, a command and a tranche's outcome are each one short, idempotent read-decide-store in
// PostgreSQL: as local activities they run inside the workflow task that needs them, so a crossing
// quote reaches the order path without the round trip of an activity task.
const { advanceExit, applyExitCommand, recordTrancheOutcome } = proxyLocalActivities<ExitActivities>({ startToCloseTimeout: '10 seconds', retry });

/** How long a closing exit waits before it sends an unfilled rest again. */
const RESEND_DELAY_MS = 2_000;

interface QueuedCommand {
  readonly ticket: number;
  readonly command: ExitCommand;
}

/**
 * One position's exit, for as long as the position lives: it sleeps until a stored quote crosses
 * one of its trigger levels (kept in PostgreSQL, so a quote wakes only the exits it concerns) or its
 * time exit comes, then sends the tranches due as orders through the full order path, and records
 * what filled. People amend, close, pause and resume it through updates. Long lives continue as new.
 */
export async function exitWorkflow(start: StartExitCommand, carried?: ExitStateDto): Promise<ExitStateDto> {
  let state: ExitStateDto | undefined = carried;
  // A resumed run cannot know what moved while it continued as new: it looks once.
  let woken = carried !== undefined;
  const queue: QueuedCommand[] = [];
  let issued = 0;
  let done = 0;
  const refused = new Map<number, unknown>();

  const view = (): ExitView => ({ positionId: start.positionId, portfolioId: start.portfolioId, symbol: start.symbol, workflowId: workflowInfo().workflowId, state: state! });
  const isClosed = () => state?.status === 'CLOSED';

  setHandler(awaitExitStartedUpdate, async () => {
    await condition(() => state !== undefined);
    return view();
  });
  setHandler(exitStateQuery, () => {
    if (!state) throw ApplicationFailure.nonRetryable('the exit is still starting', EXIT_MESSAGE_FAILURES.ExitCommandRefused);
    return view();
  });
  // The same signal as a resting order's: a stored quote crossed one of this exit's trigger levels.
  setHandler(marketMovedSignal, () => {
    woken = true;
  });
  /** Commands run one at a time in the main loop, between market steps; the caller hears the outcome. */
  const handle = async (command: ExitCommand): Promise<ExitView> => {
    const ticket = ++issued;
    queue.push({ ticket, command });
    await condition(() => done >= ticket);
    const failure = refused.get(ticket);
    if (failure !== undefined) throw failure;
    return view();
  };
  const validator = (command: ExitCommand) => {
    if (isClosed()) throw ApplicationFailure.nonRetryable('the exit has finished: the position is closed', EXIT_MESSAGE_FAILURES.ExitClosed);
    if (command.positionId !== start.positionId) throw ApplicationFailure.nonRetryable(`this is the exit of position ${start.positionId}`, EXIT_MESSAGE_FAILURES.ExitPositionMismatch);
  };
  for (const update of [amendExitPlanUpdate, closePositionUpdate, pauseExitUpdate, resumeExitUpdate]) setHandler(update, handle, { validator });

  const record = (next: ExitStateDto) => {
    if (state?.status !== next.status) upsertSearchAttributes([{ key: EXIT_STATUS_ATTRIBUTE, value: next.status }]);
    state = next;
  };
  /** Sends each tranche due as an order (its id derived from the position and the tranche) and books what it did. */
  const execute = async (step: ExitStep) => {
    record(step.state);
    for (const { trancheId, order } of step.orders) {
      const placed = await executeChild<(c: PlaceOrderCommand) => Promise<OrderProgress>>('orderWorkflow', {
        workflowId: orderWorkflowId(order.orderId), args: [order], taskQueue: workflowInfo().taskQueue,
      });
      record(await recordTrancheOutcome(start, state!, trancheId, placed));
      const tranche = state!.tranches.find((t) => t.id === trancheId);
      // A stop that sold is a stop-out: the portfolio's protection counts it (and may cool it down).
      if ((tranche?.reason === 'STOP_LOSS' || tranche?.reason === 'TRAILING_STOP') && Number(tranche.filledQuantity) > 0 && patched('record-stop-outs')) {
        await startChild('stopOutWorkflow', {
          workflowId: `stop-out-${order.orderId}`, taskQueue: workflowInfo().taskQueue, parentClosePolicy: ParentClosePolicy.ABANDON,
          args: [{ portfolioId: start.portfolioId, symbol: start.symbol, at: new Date(Date.now()).toISOString(), orderId: order.orderId }],
        }).catch((err: unknown) => {
          if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
        });
      }
    }
  };

  upsertSearchAttributes([{ key: PORTFOLIO_ID_ATTRIBUTE, value: start.portfolioId }, { key: SYMBOL_ATTRIBUTE, value: start.symbol }]);
  if (state === undefined) await execute(await beginExit(start));

  while (!isClosed()) {
    const s = state!;
    // A closing tranche that did not fill entirely is sent again (a new id), after a pause rather than in a tight loop.
    const resend = s.status === 'ACTIVE' && s.closing !== null && Number(s.remaining) > 0 ? Date.now() + RESEND_DELAY_MS : null;
    const timeExit = s.status === 'ACTIVE' && s.plan.timeExit !== null ? Date.parse(s.plan.timeExit.notAfter) : null;
    const due = [resend, timeExit].filter((t): t is number => t !== null);
    const wake = () => woken || queue.length > 0;
    const timedOut = due.length === 0 ? (await condition(wake), false) : !(await condition(wake, Math.max(0, Math.min(...due) - Date.now())));
    const next = queue.shift();
    if (next !== undefined) {
      try {
        await execute(await applyExitCommand(start, state!, next.command));
      } catch (err) {
        // The activity's refusal, as the caller should see it (its type and details).
        refused.set(next.ticket, err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : err);
      }
      done = next.ticket;
    } else if (woken || timedOut) {
      woken = false;
      await execute(await advanceExit(start, state!));
    }
    const limit = start.historyEventLimit;
    if (!isClosed() && (workflowInfo().continueAsNewSuggested || (limit !== undefined && workflowInfo().historyLength > limit))) {
      // Handlers only wait for their command's turn: with none queued, nothing is lost by moving on.
      await condition(() => queue.length > 0 || allHandlersFinished());
      if (queue.length === 0) await continueAsNew<typeof exitWorkflow>(start, state);
    }
  }
  // Commands that arrived as the position closed find nothing left to do.
  for (const late of queue.splice(0)) {
    refused.set(late.ticket, ApplicationFailure.nonRetryable('the exit has finished: the position is closed', EXIT_MESSAGE_FAILURES.ExitClosed));
    done = late.ticket;
  }
  await condition(allHandlersFinished);
  return state!;
}
