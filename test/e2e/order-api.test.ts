import { execFile } from 'node:child_process';
import path from 'node:path';
import { promisify } from 'node:util';
import { Decimal } from '../../src/domain/values/decimal';
import { apiClient, KEYS, startTestSystem, temporalAddress, waitForOrderStatus, type TestSystem } from '../support/test-system';

const run = promisify(execFile);
let system: TestSystem;
let api: ReturnType<typeof apiClient>;
let trader: ReturnType<typeof apiClient>;

beforeAll(async () => {
  system = await startTestSystem('e2e-orders');
  api = apiClient(system.baseUrl, KEYS.admin);
  trader = apiClient(system.baseUrl, KEYS.trader);
});
afterAll(async () => system?.stop());

async function newPortfolio(initialCash = '100000'): Promise<string> {
  const res = await api<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'e2e', initialCash });
  expect(res.status).toBe(201);
  return res.body.portfolioId;
}

describe('order API end to end (HTTP → gateway → Temporal → worker → Postgres)', () => {
  it('when a portfolio buys within its limits, then the order fills and cash and position move by exactly quantity × price + fee', async () => {
    const portfolioId = await newPortfolio();
    await api('PUT', '/v1/quotes/AAPL', { bid: '199.98', ask: '200.02', last: '200.00' });
    const placed = await trader<{ orderId: string; status: string; decision: { approved: boolean } }>('POST', '/v1/orders', {
      portfolioId, symbol: 'AAPL', side: 'BUY', quantity: '10',
    });
    expect(placed.status).toBe(201);
    expect(placed.body.decision.approved).toBe(true);
    expect(['APPROVED', 'FILLED']).toContain(placed.body.status);

    expect(await waitForOrderStatus(system.db, placed.body.orderId, ['FILLED'])).toBe('FILLED');
    const order = await api<{ status: string; fills: Array<{ quantity: string; price: string; fee: string }> }>('GET', `/v1/orders/${placed.body.orderId}`);
    expect(order.body.status).toBe('FILLED');
    expect(order.body.fills).toHaveLength(1);
    const [fill] = order.body.fills;
    expect(fill).toMatchObject({ quantity: '10', price: '200.02', fee: '2' });

    const portfolio = await api<{ cash: string; positions: Array<{ symbol: string; quantity: string; averageCost: string }> }>('GET', `/v1/portfolios/${portfolioId}`);
    const expectedCash = new Decimal('100000').minus(new Decimal(fill!.quantity).times(fill!.price)).minus(fill!.fee);
    expect(portfolio.body.cash).toBe(expectedCash.toFixed());
    expect(portfolio.body.positions).toEqual([expect.objectContaining({ symbol: 'AAPL', quantity: '10', averageCost: '200.02' })]);
    const ledger = await system.db('ledger_entries').where({ portfolio_id: portfolioId }).orderBy('id').select('entry_type', 'amount');
    expect(ledger.map((l: { entry_type: string }) => l.entry_type)).toEqual(['DEPOSIT', 'TRADE_CASH', 'FEE', 'TRADE_POSITION']);
  });

  it('when an order is over a limit, then it is DENIED with the reason code and the broker is never called', async () => {
    const portfolioId = await newPortfolio();
    await api('PUT', `/v1/portfolios/${portfolioId}/risk-limits`, {
      maxOrderValue: '1000', maxPositionPctOfEquity: '0.5', maxOpenPositions: 5, maxGrossLeverage: '1', maxQuoteAgeSeconds: 300,
    });
    const placed = await trader<{ orderId: string; status: string; decision: { approved: boolean; reasons: Array<{ code: string }> } }>('POST', '/v1/orders', {
      portfolioId, symbol: 'MSFT', side: 'BUY', quantity: '100',
    });
    expect(placed.status).toBe(201);
    expect(placed.body.status).toBe('DENIED');
    expect(placed.body.decision.reasons.map((r) => r.code)).toEqual(['MAX_ORDER_VALUE']);
    const venueOrders = await system.db('paper_orders').where('client_order_id', 'like', `order-${placed.body.orderId}%`);
    expect(venueOrders).toHaveLength(0);
    const fills = await system.db('fills').where({ order_id: placed.body.orderId });
    expect(fills).toHaveLength(0);
    // The answer comes from the decision, not from a read of the books: it is the order as GET shows it.
    expect((await api('GET', `/v1/orders/${placed.body.orderId}`)).body).toEqual(placed.body);
  });

  it('when execute is false, then the order is validated only and never reaches the broker', async () => {
    const portfolioId = await newPortfolio();
    const placed = await trader<{ orderId: string; status: string }>('POST', '/v1/orders', { portfolioId, symbol: 'JPM', side: 'BUY', quantity: '1', execute: false });
    expect(placed.body.status).toBe('VALIDATED');
    expect(await system.db('paper_orders').where('client_order_id', 'like', `order-${placed.body.orderId}%`)).toHaveLength(0);
    const limit = await trader<{ orderId: string; limitPrice: string; quantity: string }>('POST', '/v1/orders', {
      portfolioId, symbol: 'JPM', side: 'BUY', type: 'LIMIT', limitPrice: '150.500', quantity: '2.0', execute: false,
    });
    expect(limit.body).toMatchObject({ limitPrice: '150.5', quantity: '2' });
    expect((await api('GET', `/v1/orders/${limit.body.orderId}`)).body).toEqual(limit.body);
  });

  it('when the same clientRequestId is sent twice, then the same order comes back and only one exists', async () => {
    const portfolioId = await newPortfolio();
    const body = { portfolioId, symbol: 'XOM', side: 'BUY', quantity: '5', clientRequestId: 'strategy-7:signal-42' };
    const [a, b] = await Promise.all([trader<{ orderId: string }>('POST', '/v1/orders', body), trader<{ orderId: string }>('POST', '/v1/orders', body)]);
    expect(a.body.orderId).toBe(b.body.orderId);
    await waitForOrderStatus(system.db, a.body.orderId, ['FILLED']);
    const again = await trader<{ orderId: string; status: string }>('POST', '/v1/orders', body);
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ orderId: a.body.orderId, status: 'FILLED' });
    expect(await system.db('orders').where({ portfolio_id: portfolioId })).toHaveLength(1);
    expect(await system.db('fills').where({ order_id: a.body.orderId })).toHaveLength(1);
    const changed = await trader<{ error: { code: string } }>('POST', '/v1/orders', { ...body, quantity: '6' });
    expect(changed.status).toBe(409);
    expect(changed.body.error.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  it('when a limit order is not marketable, then it rests until a quote crosses it, and a resting order can be cancelled', async () => {
    const portfolioId = await newPortfolio();
    await api('PUT', '/v1/quotes/SPY', { bid: '500.00', ask: '500.10', last: '500.05' });
    const resting = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol: 'SPY', side: 'BUY', type: 'LIMIT', quantity: '2', limitPrice: '495.00' });
    const toCancel = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol: 'SPY', side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice: '490.00' });
    await waitForOrderStatus(system.db, resting.body.orderId, ['WORKING']);
    await waitForOrderStatus(system.db, toCancel.body.orderId, ['WORKING']);

    await api('PUT', '/v1/quotes/SPY', { bid: '494.00', ask: '494.90', last: '494.50' });
    expect(await waitForOrderStatus(system.db, resting.body.orderId, ['FILLED'])).toBe('FILLED');
    const fill = await system.db('fills').where({ order_id: resting.body.orderId }).first();
    expect(new Decimal(fill.price).toFixed()).toBe('494.9');

    const cancelled = await trader<{ status: string }>('POST', `/v1/orders/${toCancel.body.orderId}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    const again = await trader<{ status: string }>('POST', `/v1/orders/${toCancel.body.orderId}/cancel`);
    expect(again).toMatchObject({ status: 200, body: { status: 'CANCELLED' } });
    const filled = await trader<{ error: { code: string } }>('POST', `/v1/orders/${resting.body.orderId}/cancel`);
    expect(filled).toMatchObject({ status: 409, body: { error: { code: 'ORDER_NOT_CANCELLABLE' } } });
  });

  const malformed: Array<[string, unknown, string]> = [
    ['quantity is a number', { symbol: 'AAPL', side: 'BUY', quantity: 10 }, 'quantity'],
    ['quantity is negative', { symbol: 'AAPL', side: 'BUY', quantity: '-1' }, 'quantity'],
    ['side is unknown', { symbol: 'AAPL', side: 'HOLD', quantity: '1' }, 'side'],
    ['a limit order has no limit price', { symbol: 'AAPL', side: 'BUY', type: 'LIMIT', quantity: '1' }, 'limitPrice'],
    ['an unknown field is sent', { symbol: 'AAPL', side: 'BUY', quantity: '1', leverage: 10 }, 'body'],
    ['quantity has too many digits', { symbol: 'AAPL', side: 'BUY', type: 'LIMIT', quantity: '100000000000000', limitPrice: '10000000000000' }, 'quantity'],
  ];
  it.each(malformed)('when %s, then the answer is 400 naming the field', async (_name, body, field) => {
    const portfolioId = await newPortfolio();
    const res = await trader<{ error: { code: string; message: string; details: Array<{ field: string }> } }>('POST', '/v1/orders', { portfolioId, ...(body as object) });
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('VALIDATION_FAILED');
    expect(res.body.error.message).toContain(field === 'body' ? 'leverage' : field);
  });

  it('when the body is not JSON, then the answer is 400 MALFORMED_JSON without a stack trace', async () => {
    const res = await trader<{ error: { code: string } }>('POST', '/v1/orders', '{"portfolioId":');
    expect(res.status).toBe(400);
    expect(res.body.error.code).toBe('MALFORMED_JSON');
    expect(JSON.stringify(res.body)).not.toMatch(/at .*\.ts:\d+/);
  });

  it.each([
    ['no key', null],
    ['an unknown key', 'not-a-real-key-at-all'],
  ])('when a request carries %s, then the answer is 401', async (_name, key) => {
    const res = await apiClient(system.baseUrl, key)<{ error: { code: string } }>('GET', '/v1/orders?portfolioId=00000000-0000-4000-8000-000000000000');
    expect(res.status).toBe(401);
    expect(res.body.error.code).toBe('UNAUTHENTICATED');
  });

  it('when a viewer tries to trade, then the answer is 403', async () => {
    const portfolioId = await newPortfolio();
    const res = await apiClient(system.baseUrl, KEYS.viewer)('POST', '/v1/orders', { portfolioId, symbol: 'AAPL', side: 'BUY', quantity: '1' });
    expect(res.status).toBe(403);
  });

  it('when ids are unknown, then the answer is 404', async () => {
    const missing = '00000000-0000-4000-8000-000000000000';
    expect((await api('GET', `/v1/portfolios/${missing}`)).status).toBe(404);
    expect((await api('GET', `/v1/orders/${missing}`)).status).toBe(404);
    expect((await trader('POST', '/v1/orders', { portfolioId: missing, symbol: 'AAPL', side: 'BUY', quantity: '1' })).status).toBe(404);
    expect((await api('PUT', '/v1/quotes/NOPE', { last: '1' })).status).toBe(404);
  });

  it('when orders are placed, then the portfolio lists them and Temporal lists their workflows with search attributes', async () => {
    const portfolioId = await newPortfolio();
    const placed = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol: 'AAPL', side: 'BUY', quantity: '1' });
    await waitForOrderStatus(system.db, placed.body.orderId, ['FILLED']);
    const list = await api<{ orders: Array<{ orderId: string }> }>('GET', `/v1/orders?portfolioId=${portfolioId}`);
    expect(list.body.orders.map((o) => o.orderId)).toEqual([placed.body.orderId]);
    const portfolios = await api<{ portfolios: Array<{ portfolioId: string }> }>('GET', '/v1/portfolios?limit=500');
    expect(portfolios.body.portfolios.map((p) => p.portfolioId)).toContain(portfolioId);

    const cli = process.env.RISKFLOW_TEST_TEMPORAL_CLI ?? path.resolve(__dirname, '../../.tools/bin/temporal');
    let listed: Array<{ execution: { workflowId: string } }> = [];
    for (let attempt = 0; attempt < 50 && listed.length === 0; attempt++) {
      const { stdout } = await run(cli, ['workflow', 'list', '--address', temporalAddress(), '--query', `PortfolioId = "${portfolioId}" AND OrderStatus = "FILLED" AND Symbol = "AAPL"`, '--output', 'json']);
      listed = stdout.trim() ? JSON.parse(stdout) : [];
      if (listed.length === 0) await new Promise((r) => setTimeout(r, 200));
    }
    expect(listed.map((w) => w.execution.workflowId)).toEqual([`order-${placed.body.orderId}`]);
  });

  it('when an admin defines an instrument and quotes it, then it can be traded at once', async () => {
    const portfolioId = await newPortfolio();
    const defined = await api('PUT', '/v1/instruments/ETH-USD', { name: 'Ether', assetClass: 'CRYPTO', currency: 'USD', tickSize: '0.01', lotSize: '0.001', minNotional: '5', sector: 'Crypto' });
    expect(defined.status).toBe(201);
    expect((await api('PUT', '/v1/instruments/ETH-USD', { name: 'Ether', assetClass: 'CRYPTO', currency: 'USD', tickSize: '0.01', lotSize: '0.001', minNotional: '5', sector: 'Crypto' })).status).toBe(200);
    const invalid = await api<{ error: { message: string } }>('PUT', '/v1/instruments/ETH-USD', { name: 'Ether', assetClass: 'STOCK', currency: 'usd', tickSize: '0', lotSize: '1', sector: 'Crypto' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.error.message).toEqual(expect.stringContaining('assetClass'));
    expect(invalid.body.error.message).toEqual(expect.stringContaining('tickSize'));
    await api('PUT', '/v1/quotes/ETH-USD', { bid: '3000.00', ask: '3000.50', last: '3000.25' });
    const placed = await trader<{ orderId: string; decision: { approved: boolean } }>('POST', '/v1/orders', { portfolioId, symbol: 'ETH-USD', side: 'BUY', quantity: '0.5' });
    expect(placed.body.decision.approved).toBe(true);
    expect(await waitForOrderStatus(system.db, placed.body.orderId, ['FILLED'])).toBe('FILLED');
    expect((await trader('PUT', '/v1/instruments/DOGE', { name: 'x', assetClass: 'CRYPTO', currency: 'USD', tickSize: '1', lotSize: '1', sector: 'x' })).status).toBe(403);
  });

  it('when health is asked, then Temporal, the database and the worker are up', async () => {
    const res = await apiClient(system.baseUrl, null)<{ status: string }>('GET', '/health');
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('ok');
  });
});
