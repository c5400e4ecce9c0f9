import { proxyActivities } from '@temporalio/workflow';
import type { BooksActivities } from '../activities/books.activities';
import type { BrokerActivities } from '../activities/broker.activities';
import type { ReconciliationActivities } from '../activities/reconciliation.activities';
import { NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';
import type { ReconcileOrdersRequest, ReconciledOutcome, ReconciliationReport } from '../src/contracts/reconciliation-contracts';
import type { OrderKey } from '../src/ports/broker.port';

const { findStrandedOrders, refreshBrokerOrder, cancelBrokerOrder, bookBrokerReport, closeUnsentOrder } = proxyActivities<
  ReconciliationActivities & BrokerActivities & BooksActivities
>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 10, nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});

/**
 * Frees what no workflow will move again: every open order whose workflow ended is asked about at
 * its venue; what the venue filled is booked, what still rests is cancelled there, an order the
 * venue never received is cancelled in the books. Each reservation is freed and audited.
 */
export async function reconcileOrdersWorkflow(request: ReconcileOrdersRequest): Promise<ReconciliationReport> {
  const stranded = await findStrandedOrders(request);
  const reconciled: Array<{ orderId: string; outcome: ReconciledOutcome }> = [];
  for (const { orderId, workflowId } of stranded) {
    const orderKey: OrderKey = { workflowId, leg: 1 };
    const report = await refreshBrokerOrder(orderKey);
    if (report === null) {
      await closeUnsentOrder(orderId, 'its workflow ended before the order reached the venue (reconciled)', request.requestedBy);
      reconciled.push({ orderId, outcome: 'CANCELLED_UNSENT' });
      continue;
    }
    const booked = await bookBrokerReport(orderId, report, request.requestedBy);
    if (booked.status === 'WORKING' || booked.status === 'APPROVED') {
      await bookBrokerReport(orderId, await cancelBrokerOrder(orderKey), request.requestedBy);
      reconciled.push({ orderId, outcome: 'CANCELLED' });
    } else {
      reconciled.push({ orderId, outcome: booked.status === 'FILLED' ? 'FILLED' : 'BOOKED_AS_REPORTED' });
    }
  }
  return { examined: stranded.length, reconciled };
}
