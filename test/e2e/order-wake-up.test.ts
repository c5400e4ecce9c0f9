import { orderWorkflowId } from '../../src/contracts/workflow-ids';
import { price } from '../../src/domain/values/price';
import { apiClient, KEYS, startTestSystem, waitForOrderStatus, type TestSystem } from '../support/test-system';

let system: TestSystem;
let admin: ReturnType<typeof apiClient>;
let trader: ReturnType<typeof apiClient>;
let portfolioId: string;

beforeAll(async () => {
  system = await startTestSystem('wake-up');
  admin = apiClient(system.baseUrl, KEYS.admin);
  trader = apiClient(system.baseUrl, KEYS.trader);
  portfolioId = (await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'wake-up', initialCash: '1000000' })).body.portfolioId;
  await admin('PUT', `/v1/portfolios/${portfolioId}/risk-limits`, { maxOrderValue: '1000000', maxPositionPctOfEquity: '1', maxOpenPositions: 20, maxGrossLeverage: '1', maxQuoteAgeSeconds: 300 });
});
afterAll(async () => system?.stop());

async function restingBuy(symbol: string, limitPrice: string): Promise<string> {
  const placed = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol, side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice });
  await waitForOrderStatus(system.db, placed.body.orderId, ['WORKING']);
  return placed.body.orderId;
}

const signalsReceived = async (orderId: string) => (await system.client.workflow.getHandle(orderWorkflowId(orderId)).fetchHistory()).events
  ?.filter((e) => e.workflowExecutionSignaledEventAttributes).length ?? 0;

describe('resting orders are always woken', () => {
  it('when a crossing quote is stored but nobody wakes the order (the gateway died in between), then a worker wakes it from the stored tick', async () => {
    await admin('PUT', '/v1/quotes/AAPL', { bid: '200.00', ask: '200.10', last: '200.05' });
    const orderId = await restingBuy('AAPL', '190.00');
    // What the gateway committed before dying: the quote and its tick, no signal.
    const tick = await system.deps.marketData.upsertQuote({ symbol: 'AAPL', bid: price('189.00'), ask: price('189.50'), last: price('189.25'), asOf: new Date() }, 'api', 'demo-admin');
    expect(await waitForOrderStatus(system.db, orderId, ['FILLED'], 20_000)).toBe('FILLED');
    expect((await system.db('fills').where({ order_id: orderId }).first()).price).toMatch(/^189\.5/);
    expect((await system.db('quote_ticks').where({ seq: tick.seq }).first()).woken_at).not.toBeNull();
  });

  it('when a crossing quote moves back while the worker is down, then the order still fills at the crossing quote once the worker returns', async () => {
    await admin('PUT', '/v1/quotes/JPM', { bid: '200.00', ask: '200.10', last: '200.05' });
    const orderId = await restingBuy('JPM', '195.00');
    await system.stopWorker();
    await admin('PUT', '/v1/quotes/JPM', { bid: '194.00', ask: '194.50', last: '194.25' });
    await admin('PUT', '/v1/quotes/JPM', { bid: '201.00', ask: '201.10', last: '201.05' });
    await system.startWorker();
    expect(await waitForOrderStatus(system.db, orderId, ['FILLED'], 20_000)).toBe('FILLED');
    expect((await system.db('fills').where({ order_id: orderId }).first()).price).toMatch(/^194\.5/);
  });

  it('when a quote crosses one resting order and not another, then only the crossed one is woken', async () => {
    await admin('PUT', '/v1/quotes/XOM', { bid: '110.00', ask: '110.10', last: '110.05' });
    const crossed = await restingBuy('XOM', '105.00');
    const notCrossed = await restingBuy('XOM', '95.00');
    await admin('PUT', '/v1/quotes/XOM', { bid: '100.00', ask: '100.10', last: '100.05' });
    await waitForOrderStatus(system.db, crossed, ['FILLED']);
    expect(await signalsReceived(crossed)).toBe(1);
    expect(await signalsReceived(notCrossed)).toBe(0);
    expect((await system.db('orders').where({ id: notCrossed }).first()).status).toBe('WORKING');
  });
});
