import type { Client } from '@temporalio/client';
import type { WorkflowStatus } from '../../ports/reconciliation.port';

export function createWorkflowStatus(client: Client): WorkflowStatus {
  return {
    async isRunning(workflowId) {
      try {
        return (await client.workflow.getHandle(workflowId).describe()).status.name === 'RUNNING';
      } catch (err) {
        // Never started, or its history is past retention: nothing will move the order again.
        if (err instanceof Error && err.name === 'WorkflowNotFoundError') return false;
        throw err;
      }
    },
  };
}
