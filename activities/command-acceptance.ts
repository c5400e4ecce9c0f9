import { cancelOrderSignedFields, placeOrderSignedFields, reconcileOrdersSignedFields } from '../src/contracts/command-signatures';
import type { ReconcileOrdersRequest } from '../src/contracts/reconciliation-contracts';
import type { CancelOrderCommand, PlaceOrderCommand } from '../src/contracts/order-contracts';
import { orderWorkflowId } from '../src/contracts/workflow-ids';
import type { AuditLog } from '../src/ports/audit.port';
import type { Clock } from '../src/ports/clock.port';
import type { CommandKind, CommandVerifier } from '../src/ports/command-signature.port';

/** A command to something already running (a cancel, an exit's amendment) is acted on when it arrives; one older than this is a replay. */
export const COMMAND_MAX_AGE_MS = 10 * 60_000;

/** The workflow execution an activity runs for (from its activity info). */
export interface WorkflowExecutionRef {
  readonly workflowId: string;
  readonly runId: string;
}

/** The execution of the running activity; an activity outside a workflow belongs to none (and is refused). */
export function currentExecution(info: { readonly workflowExecution?: WorkflowExecutionRef | undefined }): WorkflowExecutionRef {
  return info.workflowExecution ?? { workflowId: '(none)', runId: '(none)' };
}

export class CommandRejectedError extends Error {
  readonly code = 'COMMAND_REJECTED';
  override readonly name = 'CommandRejectedError';
  constructor(readonly kind: CommandKind, readonly reason: string) {
    super(`${kind} command refused: ${reason}`);
  }
}

/**
 * Refuses a command: audited as `command.refused` on the entity it reached, in the name it claims
 * ('(none)' when it claims none), with its kind, the reason and the workflow it reached; answers the
 * error to throw (non-retryable once failFast carries it out of the activity).
 */
export async function refuseCommand(
  audit: AuditLog, kind: CommandKind, entity: { readonly type: string; readonly id: string }, claimedBy: unknown, reason: string, execution: WorkflowExecutionRef,
): Promise<CommandRejectedError> {
  await audit.record({
    principal: typeof claimedBy === 'string' && claimedBy !== '' ? claimedBy : '(none)', action: 'command.refused', entityType: entity.type, entityId: entity.id,
    details: { kind, reason, workflowId: execution.workflowId, runId: execution.runId },
  });
  return new CommandRejectedError(kind, reason);
}

export interface CommandAcceptanceDeps {
  readonly verifier: CommandVerifier;
  readonly audit: AuditLog;
  readonly clock: Clock;
}

/**
 * Accepts a command from outside only with the gateway's valid signature, bound to the workflow it
 * runs in, and not replayed. Every refusal is audited, in the name the command claims.
 */
export function createCommandAcceptance({ verifier, audit, clock }: CommandAcceptanceDeps) {
  const refuse = (kind: CommandKind, orderId: unknown, claimedBy: unknown, reason: string, execution: WorkflowExecutionRef) =>
    refuseCommand(audit, kind, { type: 'order', id: typeof orderId === 'string' ? orderId : '(none)' }, claimedBy, reason, execution);

  const boundElsewhere = (orderId: unknown, execution: WorkflowExecutionRef) =>
    typeof orderId !== 'string' || orderWorkflowId(orderId) !== execution.workflowId;

  return {
    async acceptPlaceOrder(command: PlaceOrderCommand, execution: WorkflowExecutionRef): Promise<void> {
      if (!verifier.verify('place-order', placeOrderSignedFields(command), command.signature)) {
        throw await refuse('place-order', command.orderId, command.requestedBy, 'the signature is missing or does not match the command', execution);
      }
      if (boundElsewhere(command.orderId, execution)) {
        throw await refuse('place-order', command.orderId, command.requestedBy, `the command is for ${orderWorkflowId(String(command.orderId))}, not ${execution.workflowId}`, execution);
      }
    },

    /** The same order presented by another run (a replay): refused and audited. */
    async refuseReplay(command: PlaceOrderCommand, execution: WorkflowExecutionRef, recordedRunId: string): Promise<CommandRejectedError> {
      return refuse('place-order', command.orderId, command.requestedBy, `the order was recorded by run ${recordedRunId}: the command is replayed`, execution);
    },

    /**
     * A reconciliation request needs only the signature: it acts on nothing but orders no running
     * workflow owns, so a replayed one merely reconciles again.
     */
    async acceptReconciliation(request: ReconcileOrdersRequest, execution: WorkflowExecutionRef): Promise<void> {
      if (!verifier.verify('reconcile-orders', reconcileOrdersSignedFields(request), request.signature)) {
        throw await refuse('reconcile-orders', execution.workflowId, request.requestedBy, 'the signature is missing or does not match the request', execution);
      }
    },

    async acceptCancelOrder(orderId: string, cancel: CancelOrderCommand, execution: WorkflowExecutionRef): Promise<void> {
      if (!verifier.verify('cancel-order', cancelOrderSignedFields(orderId, cancel), cancel.signature)) {
        throw await refuse('cancel-order', orderId, cancel.requestedBy, 'the signature is missing or does not match the cancel', execution);
      }
      if (boundElsewhere(orderId, execution)) {
        throw await refuse('cancel-order', orderId, cancel.requestedBy, `the cancel is for ${orderWorkflowId(orderId)}, not ${execution.workflowId}`, execution);
      }
      const age = clock.now().getTime() - new Date(cancel.issuedAt).getTime();
      if (!(age <= COMMAND_MAX_AGE_MS)) {
        throw await refuse('cancel-order', orderId, cancel.requestedBy, `the cancel was issued at ${cancel.issuedAt}, more than ${COMMAND_MAX_AGE_MS / 60_000} minutes ago: a replay`, execution);
      }
    },
  };
}

export type CommandAcceptance = ReturnType<typeof createCommandAcceptance>;
