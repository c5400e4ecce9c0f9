import { TASK_QUEUES } from './task-queues';

/** What a reconciliation run is asked to do. */
export interface ReconcileOrdersRequest {
  /** An open order untouched this long, whose workflow has ended, is stranded. */
  readonly graceSeconds: number;
  /** Who asked: an admin's name, or `reconciliation` for the schedule. Audited. */
  readonly requestedBy: string;
  readonly issuedAt: string;
  /** The gateway's (or, for the schedule, the worker's) signature over the other fields. */
  readonly signature: string;
}

export type ReconciledOutcome =
  /** The venue had filled it: the fills are booked. */
  | 'FILLED'
  /** Resting at the venue: cancelled there and in the books. */
  | 'CANCELLED'
  /** The venue never received it: cancelled in the books. */
  | 'CANCELLED_UNSENT'
  /** The venue had ended it otherwise (rejected, cancelled): booked as the venue says. */
  | 'BOOKED_AS_REPORTED';

export interface ReconciliationReport {
  readonly examined: number;
  readonly reconciled: ReadonlyArray<{ readonly orderId: string; readonly outcome: ReconciledOutcome }>;
}

/** The stranded orders a run found: open in the books, their workflow ended. */
export interface StrandedOrder {
  readonly orderId: string;
  readonly workflowId: string;
}

/**
 * `reconcile-orders` for the default order queue; a deployment on another queue (sharing the
 * namespace) gets its own schedule, `reconcile-orders@<queue>`.
 */
export function reconciliationScheduleId(taskQueue: string): string {
  return taskQueue === TASK_QUEUES.orders ? 'reconcile-orders' : `reconcile-orders@${taskQueue}`;
}

export function reconciliationWorkflowId(runName: string): string {
  return `reconcile-orders-${runName}`;
}
