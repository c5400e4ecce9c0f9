import type { Client } from '@temporalio/client';
import { dailyRiskWorkflowId, type DailyRiskCommand, type DailyRiskReport } from '../contracts/daily-risk-contracts';
import { resultWithin } from './bounded-wait';
import { TEMPORAL_CALL_DEADLINE_MS } from './order-workflows';

export type DailyRiskRun = { readonly kind: 'done'; readonly report: DailyRiskReport } | { readonly kind: 'running'; readonly workflowId: string };

/** Starts daily risk runs (run now, backfill) and answers their report within a bounded wait. */
export function createDailyRiskWorkflows(client: Client, taskQueue: string, waitMs: number) {
  return {
    async run(command: DailyRiskCommand): Promise<DailyRiskRun> {
      const workflowId = dailyRiskWorkflowId(command.runId);
      const handle = await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () =>
        client.workflow.start('dailyRiskWorkflow', { workflowId, taskQueue, args: [command] }));
      const first = await resultWithin(handle.result() as Promise<DailyRiskReport>, waitMs);
      return first === 'running' ? { kind: 'running', workflowId } : { kind: 'done', report: first };
    },
  };
}

export type DailyRiskWorkflows = ReturnType<typeof createDailyRiskWorkflows>;
