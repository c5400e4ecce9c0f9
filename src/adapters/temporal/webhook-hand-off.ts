import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { webhookDeliveryWorkflowId } from '../../contracts/daily-risk-contracts';
import type { WebhookHandOff } from '../../ports/webhooks.port';

/**
 * Starts one delivery workflow for the deliveries, named after the first (never started twice for
 * it). `callDeadlineMs` bounds the call where a person waits for the answer (the gateway).
 */
export function createWebhookHandOff(client: Client, taskQueue: string, { callDeadlineMs }: { readonly callDeadlineMs?: number } = {}): WebhookHandOff {
  return {
    async deliver(deliveryIds) {
      if (deliveryIds.length === 0) return;
      const start = () => client.workflow.start('webhookDeliveryWorkflow', {
        workflowId: webhookDeliveryWorkflowId(`outbox-${deliveryIds[0]}`), taskQueue, args: [{ deliveryIds: [...deliveryIds] }], workflowIdReusePolicy: 'REJECT_DUPLICATE',
      });
      try {
        await (callDeadlineMs === undefined ? start() : client.connection.withDeadline(Date.now() + callDeadlineMs, start));
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },
  };
}
