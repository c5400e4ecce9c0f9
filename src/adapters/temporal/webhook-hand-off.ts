import { WorkflowExecutionAlreadyStartedError, type Client } from '@temporalio/client';
import { webhookDeliveryWorkflowId } from '../../contracts/daily-risk-contracts';

/** Hands queued deliveries to a delivery workflow of their own; one already handed (by another worker) is left to it. */
export function createWebhookHandOff(client: Client, taskQueue: string) {
  return {
    async deliver(deliveryId: string): Promise<void> {
      try {
        await client.workflow.start('webhookDeliveryWorkflow', {
          workflowId: webhookDeliveryWorkflowId(`outbox-${deliveryId}`), taskQueue, args: [{ deliveryIds: [deliveryId] }], workflowIdReusePolicy: 'REJECT_DUPLICATE',
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    },
  };
}

export type WebhookHandOff = ReturnType<typeof createWebhookHandOff>;
