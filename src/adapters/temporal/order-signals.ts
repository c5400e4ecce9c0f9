import type { Client } from '@temporalio/client';
import { marketMovedSignal } from '../../contracts/order-contracts';

/** Tells order workflows that their market moved; one that has finished is skipped. */
export function createOrderSignals(client: Client) {
  return {
    async marketMoved(workflowIds: readonly string[]): Promise<void> {
      await Promise.all(workflowIds.map(async (id) => {
        try {
          await client.workflow.getHandle(id).signal(marketMovedSignal);
        } catch (err) {
          if (!(err instanceof Error && (err.name === 'WorkflowNotFoundError' || /already completed|not found/i.test(err.message)))) throw err;
        }
      }));
    },
  };
}

export type OrderSignals = ReturnType<typeof createOrderSignals>;
