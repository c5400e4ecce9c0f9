import { ScheduleOverlapPolicy, type Client, type ScheduleOptions } from '@temporalio/client';
import { upsertSchedule } from '../adapters/temporal/upsert-schedule';
import { reconcileOrdersSignedFields } from '../contracts/command-signatures';
import { reconciliationScheduleId, type ReconcileOrdersRequest } from '../contracts/reconciliation-contracts';
import type { CommandSigner } from '../ports/command-signature.port';

/** An open order untouched this long, whose workflow ended, is reconciled by the schedule. */
export const SCHEDULED_GRACE_SECONDS = 60;

/**
 * Creates the deployment's reconciliation Schedule (`reconcile-orders`), or brings it up to date: every `intervalMinutes`, one
 * run at a time (a run still going skips the next), signed as `reconciliation`.
 */
export async function ensureReconciliationSchedule(client: Client, options: { taskQueue: string; intervalMinutes: number; signer: CommandSigner; now: Date }): Promise<'created' | 'updated'> {
  const unsigned = { graceSeconds: SCHEDULED_GRACE_SECONDS, requestedBy: 'reconciliation', issuedAt: options.now.toISOString() };
  const request: ReconcileOrdersRequest = { ...unsigned, signature: options.signer.sign('reconcile-orders', reconcileOrdersSignedFields(unsigned)) };
  const scheduleId = reconciliationScheduleId(options.taskQueue);
  const schedule: ScheduleOptions = {
    scheduleId,
    spec: { intervals: [{ every: `${options.intervalMinutes} minutes` }] },
    action: { type: 'startWorkflow', workflowType: 'reconcileOrdersWorkflow', taskQueue: options.taskQueue, args: [request] },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: `${options.intervalMinutes} minutes` },
  };
  return upsertSchedule(client, schedule);
}
