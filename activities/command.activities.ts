import { Context } from '@temporalio/activity';
import type { CancelOrderCommand } from '../src/contracts/order-contracts';
import { failFast } from './activity-failures';
import { createCommandAcceptance, currentExecution, type CommandAcceptanceDeps } from './command-acceptance';

export type CommandActivityDeps = CommandAcceptanceDeps;

/** Command activities: what a workflow asks before it acts on a message from outside. */
export function createCommandActivities(deps: CommandActivityDeps) {
  const acceptance = createCommandAcceptance(deps);
  return {
    /** Accepts a cancel only with the gateway's signature, for this order's workflow, fresh; else refuses it (audited). */
    async verifyCancelOrder(request: CancelOrderCommand & { readonly orderId: string }): Promise<void> {
      return failFast(() => acceptance.acceptCancelOrder(request.orderId, request, currentExecution(Context.current().info)));
    },
  };
}

export type CommandActivities = ReturnType<typeof createCommandActivities>;
