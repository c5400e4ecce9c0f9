import { Context } from '@temporalio/activity';
import type { ReconcileOrdersRequest, StrandedOrder } from '../src/contracts/reconciliation-contracts';
import type { OpenOrders, WorkflowStatus } from '../src/ports/reconciliation.port';
import { failFast } from './activity-failures';
import { createCommandAcceptance, currentExecution, type CommandAcceptanceDeps } from './command-acceptance';

export interface ReconciliationActivityDeps extends CommandAcceptanceDeps {
  readonly openOrders: OpenOrders;
  readonly workflowStatus: WorkflowStatus;
}

/** Reconciliation activities: finding what no workflow will ever move again. */
export function createReconciliationActivities(deps: ReconciliationActivityDeps) {
  const { openOrders, workflowStatus, clock } = deps;
  const acceptance = createCommandAcceptance(deps);
  return {
    /** Accepts the signed request, then finds open orders untouched for its grace whose workflow ended (or never started). */
    async findStrandedOrders(request: ReconcileOrdersRequest): Promise<StrandedOrder[]> {
      return failFast(async () => {
        await acceptance.acceptReconciliation(request, currentExecution(Context.current().info));
        const candidates = await openOrders.untouchedSince(new Date(clock.now().getTime() - request.graceSeconds * 1000));
        const stranded: StrandedOrder[] = [];
        for (const order of candidates) {
          if (!(await workflowStatus.isRunning(order.workflowId))) stranded.push({ orderId: order.orderId, workflowId: order.workflowId });
        }
        return stranded;
      });
    },
  };
}

export type ReconciliationActivities = ReturnType<typeof createReconciliationActivities>;
