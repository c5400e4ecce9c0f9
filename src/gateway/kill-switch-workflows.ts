import type { Client } from '@temporalio/client';
import { killSwitchWorkflowId, type KillSwitchCommand, type KillSwitchReport } from '../contracts/kill-switch-contracts';
import { resultWithin } from './bounded-wait';
import { TEMPORAL_CALL_DEADLINE_MS } from './order-workflows';

export type KillSwitchRun = { readonly kind: 'done'; readonly report: KillSwitchReport } | { readonly kind: 'running'; readonly workflowId: string };

/** Starts the kill switch's workflow and answers its report within a bounded wait. */
export function createKillSwitchWorkflows(client: Client, taskQueue: string, waitMs: number) {
  return {
    async engage(command: KillSwitchCommand): Promise<KillSwitchRun> {
      const workflowId = killSwitchWorkflowId(command.killId);
      const handle = await client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, () => client.workflow.start('killSwitchWorkflow', { workflowId, taskQueue, args: [command] }));
      const first = await resultWithin(handle.result() as Promise<KillSwitchReport>, waitMs);
      return first === 'running' ? { kind: 'running', workflowId } : { kind: 'done', report: first };
    },
  };
}

export type KillSwitchWorkflows = ReturnType<typeof createKillSwitchWorkflows>;
