import { randomUUID } from 'node:crypto';
import { WithStartWorkflowOperation, WorkflowFailedError, type Client } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import type { BrokerOrderReportDto } from '../../src/contracts/broker-contracts';
import { FAILURE_TYPES } from '../../src/contracts/failure-types';
import {
  awaitRiskDecisionUpdate, cancelOrderUpdate, marketMovedSignal, type OrderProgress, type PlaceOrderCommand,
} from '../../src/contracts/order-contracts';
import { orderWorkflowId } from '../../src/contracts/workflow-ids';
import type { OrderStatus } from '../../src/domain/orders/order';
import { CallLog, gate, mockActivities, waitUntil, withMockedWorker } from '../support/workflow-harness';

const command = (over: Partial<PlaceOrderCommand> = {}): PlaceOrderCommand => ({
  orderId: randomUUID(), portfolioId: randomUUID(), clientRequestId: null, symbol: 'AAPL', side: 'BUY', type: 'MARKET',
  quantity: '10', limitPrice: null, execute: true, requestedBy: 'trader-1', issuedAt: new Date().toISOString(), signature: 'checked-by-the-mocked-activity', ...over,
});

const progress = (orderId: string, status: OrderStatus, over: Partial<OrderProgress> = {}): OrderProgress => ({
  orderId, status, filledQuantity: '0', averageFillPrice: null, rejectionReason: null,
  decision: status === 'DENIED' ? { approved: false, reasons: [{ code: 'MAX_ORDER_VALUE', message: 'too big' }], referencePrice: '100', estimatedNotional: '1000', evaluatedAt: new Date(0).toISOString() }
    : { approved: true, reasons: [], referencePrice: '100', estimatedNotional: '1000', evaluatedAt: new Date(0).toISOString() },
  ...over,
});

const report = (status: BrokerOrderReportDto['status'], filled = false): BrokerOrderReportDto => ({
  clientOrderId: 'venue-id', brokerOrderId: 'b-1', status, rejectReason: null,
  executions: filled ? [{ executionId: 'x-1', quantity: '10', price: '100', fee: '1', feeCurrency: 'USD', executedAt: new Date(0).toISOString() }] : [],
});

/** What the gateway does: start the order workflow and wait for its risk decision. */
async function place(client: Client, taskQueue: string, cmd: PlaceOrderCommand): Promise<OrderProgress> {
  const start = new WithStartWorkflowOperation('orderWorkflow', {
    workflowId: orderWorkflowId(cmd.orderId), taskQueue, args: [cmd], workflowIdConflictPolicy: 'USE_EXISTING',
  });
  return client.workflow.executeUpdateWithStart(awaitRiskDecisionUpdate, { startWorkflowOperation: start, updateId: 'risk-decision' });
}

/** The check at submission clears the order, the broker answers and the books show it `status` (filled with executions). */
const sent = (orderId: string, status: OrderStatus, filled = false) =>
  ({ kind: 'SENT' as const, progress: progress(orderId, status, filled ? { filledQuantity: '10', averageFillPrice: '100' } : {}) });

/** Books what the broker reports: the report's status, filled when it carries executions. */
const booksFollowingTheBroker = (orderId: string) => async (_id: string, r: BrokerOrderReportDto) =>
  progress(orderId, r.status, r.executions.length > 0 ? { filledQuantity: '10', averageFillPrice: '100' } : {});

describe('order workflow with mock activities', () => {
  it('when the risk decision denies the order, then the update answers DENIED and the broker is never called', async () => {
    const cmd = command();
    const log = new CallLog();
    const activities = mockActivities({ assessOrder: log.record('assessOrder', async () => progress(cmd.orderId, 'DENIED')) });
    await withMockedWorker(activities, async ({ client, taskQueue }) => {
      expect((await place(client, taskQueue, cmd)).status).toBe('DENIED');
      expect((await client.workflow.getHandle(orderWorkflowId(cmd.orderId)).result()).status).toBe('DENIED');
    });
    expect(log.names()).toEqual(['assessOrder']);
  });

  it('when the quote has moved outside the collar by submission, then the order ends REJECTED and the broker is never called', async () => {
    const cmd = command();
    const log = new CallLog();
    const activities = mockActivities({
      assessOrder: log.record('assessOrder', async () => progress(cmd.orderId, 'APPROVED')),
      checkSubmitAndBook: log.record('checkSubmitAndBook', async () => ({
        kind: 'STOPPED' as const, progress: progress(cmd.orderId, 'REJECTED', { rejectionReason: 'PRICE_COLLAR: the expected fill is 0.08 beyond the mid at submission' }),
      })),
    });
    const result = await withMockedWorker(activities, async ({ client, taskQueue }) => {
      expect((await place(client, taskQueue, cmd)).status).toBe('APPROVED');
      return client.workflow.getHandle(orderWorkflowId(cmd.orderId)).result();
    });
    expect(result).toMatchObject({ status: 'REJECTED', rejectionReason: expect.stringContaining('PRICE_COLLAR') });
    expect(log.names()).toEqual(['assessOrder', 'checkSubmitAndBook']);
  });

  it('when the order is approved, then the caller has the decision before the check at submission and the broker are done', async () => {
    const cmd = command();
    const log = new CallLog();
    const submission = gate();
    const activities = mockActivities({
      assessOrder: log.record('assessOrder', async () => progress(cmd.orderId, 'APPROVED')),
      checkSubmitAndBook: log.record('checkSubmitAndBook', async () => {
        await submission.wait();
        return sent(cmd.orderId, 'FILLED', true);
      }),
    });
    const result = await withMockedWorker(activities, async ({ client, taskQueue }) => {
      // The answer cannot wait for the submission: the submission waits for the answer.
      expect((await place(client, taskQueue, cmd)).status).toBe('APPROVED');
      submission.open();
      return client.workflow.getHandle(orderWorkflowId(cmd.orderId)).result();
    });
    expect(result.status).toBe('FILLED');
    expect(log.names()).toEqual(['assessOrder', 'checkSubmitAndBook']);
  });

  it('when the order is approved and fills at once, then it is submitted under its order key and booked in that step, and ends FILLED', async () => {
    const cmd = command();
    const log = new CallLog();
    const activities = mockActivities({
      assessOrder: log.record('assessOrder', async () => progress(cmd.orderId, 'APPROVED')),
      checkSubmitAndBook: log.record('checkSubmitAndBook', async () => sent(cmd.orderId, 'FILLED', true)),
    });
    const result = await withMockedWorker(activities, async ({ client, taskQueue }) => {
      await place(client, taskQueue, cmd);
      return client.workflow.getHandle(orderWorkflowId(cmd.orderId)).result();
    });
    expect(result).toMatchObject({ status: 'FILLED', filledQuantity: '10' });
    expect(log.names()).toEqual(['assessOrder', 'checkSubmitAndBook']);
    expect(log.calls[1]?.args).toEqual([cmd.orderId, expect.objectContaining({ orderKey: { workflowId: orderWorkflowId(cmd.orderId), leg: 1 }, quantity: '10' })]);
  });

  it('when a limit order rests, then only a market-moved signal makes it look again, and it ends FILLED when the broker fills it', async () => {
    const cmd = command({ type: 'LIMIT', limitPrice: '99' });
    const log = new CallLog();
    let fills = false;
    const activities = mockActivities({
      assessOrder: log.record('assessOrder', async () => progress(cmd.orderId, 'APPROVED')),
      checkSubmitAndBook: log.record('checkSubmitAndBook', async () => sent(cmd.orderId, 'WORKING')),
      refreshBrokerOrder: log.record('refreshBrokerOrder', async () => report(fills ? 'FILLED' : 'WORKING', fills)),
      bookBrokerReport: log.record('bookBrokerReport', booksFollowingTheBroker(cmd.orderId)),
    });
    const result = await withMockedWorker(activities, async ({ client, taskQueue }) => {
      await place(client, taskQueue, cmd);
      const handle = client.workflow.getHandle(orderWorkflowId(cmd.orderId));
      await handle.signal(marketMovedSignal);
      await waitUntil(() => log.names().filter((n) => n === 'bookBrokerReport').length === 1);
      fills = true;
      await handle.signal(marketMovedSignal);
      return handle.result();
    });
    expect(result.status).toBe('FILLED');
    expect(log.names()).toEqual(['assessOrder', 'checkSubmitAndBook', 'refreshBrokerOrder', 'bookBrokerReport', 'refreshBrokerOrder', 'bookBrokerReport']);
  });

  it('when a resting order is cancelled, then the broker cancels it under its order key, it ends CANCELLED, and a later cancel finds it finished', async () => {
    const cmd = command({ type: 'LIMIT', limitPrice: '90' });
    const log = new CallLog();
    const activities = mockActivities({
      assessOrder: log.record('assessOrder', async () => progress(cmd.orderId, 'APPROVED')),
      checkSubmitAndBook: log.record('checkSubmitAndBook', async () => sent(cmd.orderId, 'WORKING')),
      cancelBrokerOrder: log.record('cancelBrokerOrder', async () => report('CANCELLED')),
      verifyCancelOrder: log.record('verifyCancelOrder', async () => undefined),
      bookBrokerReport: log.record('bookBrokerReport', booksFollowingTheBroker(cmd.orderId)),
    });
    await withMockedWorker(activities, async ({ client, taskQueue }) => {
      await place(client, taskQueue, cmd);
      const handle = client.workflow.getHandle(orderWorkflowId(cmd.orderId));
      await waitUntil(() => log.names().includes('checkSubmitAndBook'));
      const cancel = { requestedBy: 'trader-1', issuedAt: new Date().toISOString(), signature: 'checked-by-the-mocked-activity' };
      expect((await handle.executeUpdate(cancelOrderUpdate, { args: [cancel] })).status).toBe('CANCELLED');
      await expect(handle.executeUpdate(cancelOrderUpdate, { args: [cancel] })).rejects.toThrow(/already completed/);
    });
    expect(log.calls.find((c) => c.name === 'cancelBrokerOrder')?.args[0]).toEqual({ workflowId: orderWorkflowId(cmd.orderId), leg: 1 });
    expect(log.calls.find((c) => c.name === 'verifyCancelOrder')?.args[0]).toMatchObject({ orderId: cmd.orderId, requestedBy: 'trader-1' });
  });

  it('when the decision can never be made (an invalid command), then the workflow fails at once with that type, without retries', async () => {
    const cmd = command({ quantity: '-5' });
    const log = new CallLog();
    // Thrown as retryable: only the workflow's list of non-retryable failure types stops the retries.
    const activities = mockActivities({
      assessOrder: log.record('assessOrder', async () => {
        throw ApplicationFailure.create({ type: FAILURE_TYPES.InvalidCommand, message: 'a quantity is never negative', nonRetryable: false });
      }),
    });
    const failure = await withMockedWorker(activities, async ({ client, taskQueue }) => {
      await expect(place(client, taskQueue, cmd)).rejects.toThrow();
      return client.workflow.getHandle(orderWorkflowId(cmd.orderId)).result().catch((err: unknown) => err);
    });
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    expect(failureTypes(failure)).toContain(FAILURE_TYPES.InvalidCommand);
    expect(log.names()).toEqual(['assessOrder']);
  });

  it('when the broker call fails for a moment, then it is retried and the order still fills once', async () => {
    const cmd = command();
    const log = new CallLog();
    let attempts = 0;
    const activities = mockActivities({
      assessOrder: log.record('assessOrder', async () => progress(cmd.orderId, 'APPROVED')),
      checkSubmitAndBook: log.record('checkSubmitAndBook', async () => {
        attempts += 1;
        if (attempts === 1) throw new Error('connection reset');
        return sent(cmd.orderId, 'FILLED', true);
      }),
    });
    const result = await withMockedWorker(activities, async ({ client, taskQueue }) => {
      await place(client, taskQueue, cmd);
      return client.workflow.getHandle(orderWorkflowId(cmd.orderId)).result();
    });
    expect(result.status).toBe('FILLED');
    expect(log.names()).toEqual(['assessOrder', 'checkSubmitAndBook', 'checkSubmitAndBook']);
  });
});

/** The types of the application failures along an error's cause chain. */
function failureTypes(err: unknown): string[] {
  const types: string[] = [];
  for (let e = err; e instanceof Error; e = e.cause) if (e instanceof ApplicationFailure && e.type) types.push(e.type);
  return types;
}
