import { apiClient, KEYS, startTestSystem, waitForOrderStatus, type TestSystem } from '../support/test-system';

let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem('pending', { worker: false, decisionTimeoutMs: 500 });
});
afterAll(async () => system?.stop());

describe('orders placed while no worker runs', () => {
  it('when no worker answers in time, then POST answers 202 PENDING_RISK and the order is decided and filled once a worker starts', async () => {
    const admin = apiClient(system.baseUrl, KEYS.admin);
    const trader = apiClient(system.baseUrl, KEYS.trader);
    const { body: portfolio } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'pending', initialCash: '50000' });

    const body = { portfolioId: portfolio.portfolioId, symbol: 'AAPL', side: 'BUY', quantity: '2', clientRequestId: 'pending-1' };
    const placed = await trader<{ orderId: string; status: string }>('POST', '/v1/orders', body);
    expect(placed.status).toBe(202);
    expect(placed.body.status).toBe('PENDING_RISK');
    const repeated = await trader<{ orderId: string }>('POST', '/v1/orders', body);
    expect(repeated).toMatchObject({ status: 202, body: { orderId: placed.body.orderId } });
    const reused = await trader<{ error: { code: string } }>('POST', '/v1/orders', { ...body, side: 'SELL', symbol: 'MSFT', quantity: '7' });
    expect(reused).toMatchObject({ status: 409, body: { error: { code: 'IDEMPOTENCY_KEY_REUSED' } } });
    const cancelWhilePending = await trader<{ error: { code: string } }>('POST', `/v1/orders/${placed.body.orderId}/cancel`);
    expect(cancelWhilePending).toMatchObject({ status: 409, body: { error: { code: 'ORDER_NOT_CANCELLABLE' } } });
    const pending = await trader<{ status: string }>('GET', `/v1/orders/${placed.body.orderId}`);
    expect(pending).toMatchObject({ status: 200, body: { status: 'PENDING_RISK' } });

    await system.startWorker();
    expect(await waitForOrderStatus(system.db, placed.body.orderId, ['FILLED'])).toBe('FILLED');
    expect(await system.db('fills').where({ order_id: placed.body.orderId })).toHaveLength(1);
  });
});
