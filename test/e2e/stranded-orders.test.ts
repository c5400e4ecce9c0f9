import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { ApplicationFailure } from '@temporalio/common';
import { createRiskContextRepository } from '../../src/adapters/db/risk-context.repository';
import { orderWorkflowId } from '../../src/contracts/workflow-ids';
import { evaluatePreTradeRisk } from '../../src/domain/risk/pre-trade-engine';
import { NO_COSTS } from '../../src/domain/risk/execution-cost-estimate';
import { apiClient, KEYS, startTestSystem, waitForOrderStatus, type TestSystem } from '../support/test-system';
import { orderToDecide } from '../integration/repository-fixtures';

let system: TestSystem;
let admin: ReturnType<typeof apiClient>;
let trader: ReturnType<typeof apiClient>;

beforeAll(async () => {
  system = await startTestSystem('stranded', { apiKeys: [{ key: 'scoped-admin-key-000001', principal: 'scoped', roles: ['viewer', 'admin'], portfolios: [] }] });
  admin = apiClient(system.baseUrl, KEYS.admin);
  trader = apiClient(system.baseUrl, KEYS.trader);
});
afterAll(async () => system?.stop());

type Report = { reconciled: Array<{ orderId: string; outcome: string }> };
const reconcile = () => admin<Report>('POST', '/v1/admin/reconciliations', { graceSeconds: 0 });

async function restingOrderWithTerminatedWorkflow(portfolioId: string, symbol: string, quantity: string, limitPrice: string): Promise<string> {
  const placed = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol, side: 'BUY', type: 'LIMIT', quantity, limitPrice });
  await waitForOrderStatus(system.db, placed.body.orderId, ['WORKING']);
  await system.client.workflow.getHandle(orderWorkflowId(placed.body.orderId)).terminate('stranded by an operator, for the test');
  return placed.body.orderId;
}

describe('stranded orders are reconciled', () => {
  it('when a resting order\'s workflow was terminated, then reconciliation cancels it at the venue, frees its cash and audits it', async () => {
    const { body: p } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'stranded', initialCash: '1000' });
    await admin('PUT', `/v1/portfolios/${p.portfolioId}/risk-limits`, { maxOrderValue: '100000', maxPositionPctOfEquity: '1', maxOpenPositions: 10, maxGrossLeverage: '2', maxQuoteAgeSeconds: 300 });
    await admin('PUT', '/v1/quotes/JPM', { bid: '210.00', ask: '210.10', last: '210.05' });
    await admin('PUT', '/v1/quotes/MSFT', { bid: '410.00', ask: '410.10', last: '410.05' });
    // 4 JPM at 200 reserve 800.80 of the 1000: 2 MSFT at 400 do not fit beside them.
    const stranded = await restingOrderWithTerminatedWorkflow(p.portfolioId, 'JPM', '4', '200.00');
    const second = { portfolioId: p.portfolioId, symbol: 'MSFT', side: 'BUY', type: 'LIMIT', quantity: '2', limitPrice: '400.00', execute: false };
    const blocked = await trader<{ decision: { reasons: Array<{ code: string }> } }>('POST', '/v1/orders', second);
    expect(blocked.body.decision.reasons.map((r) => r.code)).toEqual(['INSUFFICIENT_CASH']);

    const report = await reconcile();
    expect(report.status).toBe(200);
    expect(report.body.reconciled).toEqual(expect.arrayContaining([{ orderId: stranded, outcome: 'CANCELLED' }]));
    expect((await admin<{ status: string }>('GET', `/v1/orders/${stranded}`)).body.status).toBe('CANCELLED');
    expect((await system.db('paper_orders').where({ client_order_id: `order-${stranded}-leg1` }).first()).status).toBe('CANCELLED');
    expect(await system.db('audit_log').where({ entity_id: stranded, action: 'order.cancelled' }).select('principal')).toEqual([{ principal: 'demo-admin' }]);
    const freed = await trader<{ decision: { approved: boolean } }>('POST', '/v1/orders', second);
    expect(freed.body.decision.approved).toBe(true);
  });

  it('when the venue filled a stranded order meanwhile, then reconciliation books the fill', async () => {
    const { body: p } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'filled meanwhile', initialCash: '100000' });
    await admin('PUT', '/v1/quotes/XOM', { bid: '110.00', ask: '110.10', last: '110.05' });
    const stranded = await restingOrderWithTerminatedWorkflow(p.portfolioId, 'XOM', '2', '105.00');
    await admin('PUT', '/v1/quotes/XOM', { bid: '104.00', ask: '104.10', last: '104.05' });
    expect((await reconcile()).body.reconciled).toEqual(expect.arrayContaining([{ orderId: stranded, outcome: 'FILLED' }]));
    expect(await system.db('fills').where({ order_id: stranded })).toHaveLength(1);
    expect((await admin<{ positions: Array<{ symbol: string; quantity: string }> }>('GET', `/v1/portfolios/${p.portfolioId}`)).body.positions).toEqual([expect.objectContaining({ symbol: 'XOM', quantity: '2' })]);
  });

  it('when an approved order never reached the venue and its workflow is gone, then reconciliation cancels it in the books', async () => {
    const { body: p } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'unsent', initialCash: '100000' });
    const order = orderToDecide(p.portfolioId, { symbol: 'SPY', quantity: '1' });
    await createRiskContextRepository(system.db).decideUnderLock(order, (s) => evaluatePreTradeRisk({ ...s, costs: NO_COSTS, asOf: new Date() }));
    expect((await reconcile()).body.reconciled).toEqual(expect.arrayContaining([{ orderId: order.orderId, outcome: 'CANCELLED_UNSENT' }]));
    expect((await system.db('orders').where({ id: order.orderId }).first()).status).toBe('CANCELLED');
  });

  it('when an order still has its workflow, then reconciliation leaves it alone', async () => {
    const { body: p } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'alive', initialCash: '100000' });
    await admin('PUT', '/v1/quotes/MSFT', { bid: '400.00', ask: '400.10', last: '400.05' });
    const placed = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId: p.portfolioId, symbol: 'MSFT', side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice: '300.00' });
    await waitForOrderStatus(system.db, placed.body.orderId, ['WORKING']);
    expect((await reconcile()).body.reconciled.map((r) => r.orderId)).not.toContain(placed.body.orderId);
    expect((await system.db('orders').where({ id: placed.body.orderId }).first()).status).toBe('WORKING');
  });

  it('when a trader or an admin scoped to some portfolios asks for a reconciliation, then the answer is 403', async () => {
    expect((await trader('POST', '/v1/admin/reconciliations', {})).status).toBe(403);
    expect((await apiClient(system.baseUrl, 'scoped-admin-key-000001')('POST', '/v1/admin/reconciliations', {})).status).toBe(403);
  });

  it('when a reconciliation is started straight on Temporal without the signature, then it is refused and audited', async () => {
    const workflowId = `reconcile-orders-${randomUUID()}`;
    const handle = await system.client.workflow.start('reconcileOrdersWorkflow', { workflowId, taskQueue: system.taskQueue, args: [{ graceSeconds: 0, requestedBy: 'mallory', issuedAt: new Date().toISOString(), signature: 'A'.repeat(43) }] });
    const failure = await handle.result().then(() => null, (err: unknown) => err);
    expect(failure).toBeInstanceOf(WorkflowFailedError);
    const types: string[] = [];
    for (let e: unknown = failure; e instanceof Error; e = e.cause) if (e instanceof ApplicationFailure && e.type) types.push(e.type);
    expect(types).toContain('CommandRejected');
    expect(await system.db('audit_log').where({ action: 'command.refused', entity_id: workflowId }).select('principal')).toEqual([{ principal: 'mallory' }]);
  });
});
