import { ParentClosePolicy, proxyActivities, startChild } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { KillSwitchActivities } from '../activities/kill-switch.activities';
import { webhookDeliveryWorkflowId } from '../src/contracts/daily-risk-contracts';
import { NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';
import type { KillSwitchCommand, KillSwitchReport } from '../src/contracts/kill-switch-contracts';
import { webhookDeliveryWorkflow } from './daily-risk.workflow';

/** Orders cancelled at once. */
const CANCEL_CONCURRENCY = 8;

const { engageKillSwitch } = proxyActivities<KillSwitchActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '500 milliseconds', maximumInterval: '10 seconds', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});
// One order's cancel waits up to 20 s for the order to end; a lost attempt is tried again a few times.
const { cancelOrderForKillSwitch } = proxyActivities<KillSwitchActivities>({
  startToCloseTimeout: '45 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 5, nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});

const messageOf = (err: unknown): string => {
  let e: unknown = err;
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(err);
};

/**
 * The kill switch, durably: halt the scope (the states latch at once), announce it, then cancel
 * every open order in it through the order's own workflow, which cancels at the broker and books
 * it. A crash of the gateway or a worker mid-way loses nothing: the workflow carries on.
 */
export async function killSwitchWorkflow(command: KillSwitchCommand): Promise<KillSwitchReport> {
  const engaged = await engageKillSwitch(command);
  if (engaged.deliveryIds.length > 0) {
    try {
      await startChild(webhookDeliveryWorkflow, {
        workflowId: webhookDeliveryWorkflowId(`kill-switch-${command.killId}`), args: [{ deliveryIds: engaged.deliveryIds }], parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  const orders: Array<KillSwitchReport['orders'][number]> = new Array(engaged.openOrders.length);
  let next = 0;
  const lane = async () => {
    while (next < engaged.openOrders.length) {
      const i = next++;
      const { orderId, portfolioId } = engaged.openOrders[i]!;
      try {
        orders[i] = { orderId, portfolioId, outcome: await cancelOrderForKillSwitch({ orderId, requestedBy: command.requestedBy }) };
      } catch (err) {
        orders[i] = { orderId, portfolioId, outcome: 'failed', error: messageOf(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CANCEL_CONCURRENCY, engaged.openOrders.length) }, lane));
  return { scope: command.scope, reason: `kill switch: ${command.reason}`, halted: engaged.halted, orders };
}
