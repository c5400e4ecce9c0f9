import type { Client } from '@temporalio/client';
import { webhookDeliveryWorkflowId } from '../contracts/daily-risk-contracts';
import { killSwitchWorkflowId, type KillSwitchCommand, type KillSwitchReport } from '../contracts/kill-switch-contracts';
import { resultWithin } from './bounded-wait';
import { TEMPORAL_CALL_DEADLINE_MS } from './order-workflows';

export type KillSwitchRun = { readonly kind: 'done'; readonly report: KillSwitchReport } | { readonly kind: 'running'; readonly workflowId: string };

/** Starts the kill switch's workflow and answers its report within a bounded wait; hands state-change webhooks to a delivery workflow. */
export function createKillSwitchWorkflows(client: Client, taskQueue: string, waitMs: number) {
  const within = <T>(call: () => Promise<T>) => client.connection.withDeadline(Date.now() + TEMPORAL_CALL_DEADLINE_MS, call);
  return {
    async engage(command: KillSwitchCommand): Promise<KillSwitchRun> {
      const workflowId = killSwitchWorkflowId(command.killId);
      const handle = await within(() => client.workflow.start('killSwitchWorkflow', { workflowId, taskQueue, args: [command] }));
      const first = await resultWithin(handle.result() as Promise<KillSwitchReport>, waitMs);
      return first === 'running' ? { kind: 'running', workflowId } : { kind: 'done', report: first };
    },

    /** Delivers webhooks queued with a change the gateway made (a trading state set by an admin). */
    async deliverWebhooks(deliveryIds: readonly string[]): Promise<void> {
      if (deliveryIds.length === 0) return;
      await within(() => client.workflow.start('webhookDeliveryWorkflow', {
        workflowId: webhookDeliveryWorkflowId(`gateway-${deliveryIds[0]}`), taskQueue, args: [{ deliveryIds }], workflowIdConflictPolicy: 'USE_EXISTING',
      }));
    },
  };
}

export type KillSwitchWorkflows = ReturnType<typeof createKillSwitchWorkflows>;
