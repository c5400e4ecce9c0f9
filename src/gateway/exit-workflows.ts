import { WithStartWorkflowOperation, WorkflowExecutionAlreadyStartedError, WorkflowNotFoundError, WorkflowUpdateFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import {
  amendExitPlanUpdate, awaitExitStartedUpdate, closePositionUpdate, EXIT_MESSAGE_FAILURES, exitStateQuery, pauseExitUpdate, resumeExitUpdate,
  type ExitCommand, type ExitView, type StartExitCommand,
} from '../contracts/exit-workflow-contracts';
import { exitWorkflowId } from '../contracts/workflow-ids';
import { conflict, HttpError, notFound } from './http-errors';
import { isClosedWorkflowError, TEMPORAL_CALL_DEADLINE_MS } from './order-workflows';

/** A command the exit workflow refused, as the client's error. */
function toClientError(err: unknown, positionId: string): unknown {
  if (err instanceof WorkflowNotFoundError) return notFound('exit plan', positionId);
  if (isClosedWorkflowError(err)) return conflict('EXIT_CLOSED', 'the exit has finished: the position is closed');
  if (!(err instanceof WorkflowUpdateFailedError) || !(err.cause instanceof ApplicationFailure)) return err;
  const cause = err.cause;
  switch (cause.type) {
    case EXIT_MESSAGE_FAILURES.ExitClosed:
      return conflict('EXIT_CLOSED', cause.message);
    case EXIT_MESSAGE_FAILURES.ExitCommandRefused: {
      const details = cause.details?.[0] as { field?: string; rule?: string } | undefined;
      if (details?.field !== undefined) return new HttpError(422, 'EXIT_AMENDMENT_REFUSED', cause.message, [{ field: details.field, rule: details.rule ?? cause.message }]);
      return new HttpError(422, 'EXIT_COMMAND_REFUSED', cause.message);
    }
    case 'CommandRejected':
      return new HttpError(403, 'COMMAND_REJECTED', cause.message);
    default:
      return err;
  }
}

const UPDATES = { amend: amendExitPlanUpdate, close: closePositionUpdate, pause: pauseExitUpdate, resume: resumeExitUpdate } as const;

/** Starts positions' exit workflows and carries people's commands into them. */
export function createExitWorkflows(client: Client, taskQueue: string, waitMs: number) {
  const within = <T>(call: () => Promise<T>) => client.connection.withDeadline(Date.now() + Math.max(waitMs, TEMPORAL_CALL_DEADLINE_MS), call);
  return {
    /** Starts the exit and answers once its plan is stored; 409 when the position already has one running. */
    async start(command: StartExitCommand): Promise<ExitView> {
      const start = new WithStartWorkflowOperation('exitWorkflow', {
        workflowId: exitWorkflowId(command.positionId), taskQueue, args: [command], workflowIdConflictPolicy: 'FAIL',
      });
      try {
        return await within(() => client.workflow.executeUpdateWithStart(awaitExitStartedUpdate, { startWorkflowOperation: start }));
      } catch (err) {
        if (err instanceof WorkflowExecutionAlreadyStartedError || (err instanceof Error && err.cause instanceof WorkflowExecutionAlreadyStartedError)) {
          throw conflict('EXIT_EXISTS', `position ${command.positionId} already has an exit workflow: amend it with PATCH /v1/positions/${command.positionId}/exit-plan`);
        }
        throw toClientError(err, command.positionId);
      }
    },
    /** The running exit's state, or null when none runs. */
    async current(positionId: string): Promise<ExitView | null> {
      try {
        const handle = client.workflow.getHandle(exitWorkflowId(positionId));
        const described = await within(() => handle.describe());
        if (described.status.name !== 'RUNNING') return null;
        return await within(() => handle.query(exitStateQuery));
      } catch (err) {
        if (err instanceof WorkflowNotFoundError) return null;
        throw err;
      }
    },
    async command(command: ExitCommand): Promise<ExitView> {
      try {
        return await within(() => client.workflow.getHandle(exitWorkflowId(command.positionId)).executeUpdate(UPDATES[command.action], { args: [command] }));
      } catch (err) {
        throw toClientError(err, command.positionId);
      }
    },
  };
}

export type ExitWorkflows = ReturnType<typeof createExitWorkflows>;
