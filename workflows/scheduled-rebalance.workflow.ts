import { executeChild, proxyActivities, sleep, uuid4, workflowInfo } from '@temporalio/workflow';
import type { RebalanceActivities } from '../activities/rebalance.activities';
import { NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';
import { rebalanceWorkflowId, type ScheduledRebalanceCommand, type ScheduledTrancheOutcome } from '../src/contracts/rebalance-contracts';
import { rebalanceWorkflow } from './rebalance.workflow';

const { issueScheduledRebalance } = proxyActivities<RebalanceActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '500 milliseconds', backoffCoefficient: 2, maximumInterval: '30 seconds', nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});

/** A tranche that ended otherwise leaves the remaining tranches unplanned: the move is not pushed past a refusal. */
const CONTINUES = new Set(['COMPLETED', 'NO_ACTION_NEEDED']);

/**
 * What a portfolio's rebalance schedule starts: one rebalance (a plan waiting for approval, or
 * automatic under the policy), or with DCA N tranches, each its own rebalance of 1/(remaining) of
 * the remaining move, `intervalSeconds` apart (a durable timer). A tranche that does not complete
 * (rejected, expired, failed, partially executed) stops the rest.
 */
export async function scheduledRebalanceWorkflow(command: ScheduledRebalanceCommand): Promise<ScheduledTrancheOutcome[]> {
  const tranches = command.dca?.tranches ?? 1;
  const outcomes: ScheduledTrancheOutcome[] = [];
  for (let tranche = 1; tranche <= tranches; tranche++) {
    const rebalanceId = uuid4(); // deterministic in a workflow: the same on replay
    const start = await issueScheduledRebalance(command, rebalanceId, tranche);
    const ended = await executeChild(rebalanceWorkflow, { workflowId: rebalanceWorkflowId(rebalanceId), args: [start], taskQueue: workflowInfo().taskQueue });
    outcomes.push({ tranche, rebalanceId, status: ended.status, reason: ended.reason });
    if (tranche === tranches || !CONTINUES.has(ended.status)) break;
    await sleep(command.dca!.intervalSeconds * 1000);
  }
  return outcomes;
}
