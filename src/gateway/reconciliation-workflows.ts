import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { ReconcileOrdersRequest, ReconciliationReport } from '../contracts/reconciliation-contracts';
import { reconciliationWorkflowId } from '../contracts/reconciliation-contracts';
import { resultWithin } from './bounded-wait';
import { TEMPORAL_CALL_DEADLINE_MS } from './order-workflows';

export type ReconciliationOutcome = { readonly kind: 'done'; readonly workflowId: string; readonly report: ReconciliationReport } | { readonly kind: 'running'; readonly workflowId: string };

/** Starts a reconciliation run and waits for its report, at most `waitMs`. */
export function createReconciliationWorkflows(client: Client, taskQueue: string, waitMs: number) {
  return {
    async run(request: ReconcileOrdersRequest): Promise<ReconciliationOutcome> {
      const workflowId = reconciliationWorkflowId(randomUUID());
      const handle = await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () =>
        client.workflow.start('reconcileOrdersWorkflow', { workflowId, taskQueue, args: [request] }));
      const first = await resultWithin(handle.result() as Promise<ReconciliationReport>, waitMs);
      return first === 'running' ? { kind: 'running', workflowId } : { kind: 'done', workflowId, report: first };
    },
  };
}

export type ReconciliationWorkflows = ReturnType<typeof createReconciliationWorkflows>;
