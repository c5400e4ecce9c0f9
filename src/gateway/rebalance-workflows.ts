import { WithStartWorkflowOperation, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  awaitPlanUpdate, decideRebalanceUpdate, REBALANCE_MESSAGE_FAILURES, rebalanceWorkflowId,
  type RebalanceDecisionCommand, type RebalanceState, type StartRebalanceCommand,
} from '../contracts/rebalance-contracts';
import { conflict, HttpError } from './http-errors';
import { isClosedWorkflowError, TEMPORAL_CALL_DEADLINE_MS } from './order-workflows';

/** A decision the workflow refused, as the client's error. */
function toClientError(err: unknown, rebalanceId: string): unknown {
  // The route found the rebalance in the books: a workflow that is gone has ended (expired, completed) meanwhile.
  if (isClosedWorkflowError(err)) return conflict('REBALANCE_NOT_PENDING', `rebalance ${rebalanceId} has already ended`);
  if (!(err instanceof WorkflowUpdateFailedError)) return err;
  const cause = err.cause;
  if (!(cause instanceof ApplicationFailure)) return err;
  switch (cause.type) {
    case REBALANCE_MESSAGE_FAILURES.SelfApproval:
      return new HttpError(403, 'SELF_APPROVAL', cause.message);
    case REBALANCE_MESSAGE_FAILURES.PlanVersionMismatch:
      return conflict('PLAN_VERSION_MISMATCH', cause.message);
    case REBALANCE_MESSAGE_FAILURES.AlreadyApproved:
      return conflict('ALREADY_APPROVED', cause.message);
    case REBALANCE_MESSAGE_FAILURES.RebalanceNotPending:
      return conflict('REBALANCE_NOT_PENDING', cause.message);
    case 'CommandRejected':
      return new HttpError(403, 'COMMAND_REJECTED', cause.message);
    default:
      return err;
  }
}

/** Starts rebalances and carries approvers' decisions into them. */
export function createRebalanceWorkflows(client: Client, taskQueue: string, waitMs: number) {
  const within = <T>(call: () => Promise<T>) => client.connection.withDeadline(Date.now() + Math.max(waitMs, TEMPORAL_CALL_DEADLINE_MS), call);
  return {
    /** Starts the rebalance and answers once its plan is made. */
    async start(command: StartRebalanceCommand): Promise<RebalanceState> {
      const start = new WithStartWorkflowOperation('rebalanceWorkflow', {
        workflowId: rebalanceWorkflowId(command.rebalanceId), taskQueue, args: [command], workflowIdConflictPolicy: 'USE_EXISTING',
      });
      return within(() => client.workflow.executeUpdateWithStart(awaitPlanUpdate, { startWorkflowOperation: start, updateId: 'await-plan' }));
    },
    /** Approves or rejects: the workflow's validator answers at once (403 four eyes, 409 stale version or closed plan). */
    async decide(decision: RebalanceDecisionCommand): Promise<RebalanceState> {
      try {
        return await within(() => client.workflow.getHandle(rebalanceWorkflowId(decision.rebalanceId)).executeUpdate(decideRebalanceUpdate, { args: [decision] }));
      } catch (err) {
        throw toClientError(err, decision.rebalanceId);
      }
    },
  };
}

export type RebalanceWorkflows = ReturnType<typeof createRebalanceWorkflows>;
