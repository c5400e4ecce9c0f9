import { DEMO_PORTFOLIO } from '../../src/domain/market/demo-market';
import { apiClient, KEYS, startTestSystem, waitForOrderStatus, type TestSystem } from '../support/test-system';

/** Sam administers and trades only the portfolios Sam creates (the key names none). */
const SAM_KEY = 'sam-scoped-admin-key-0001';
const FUND_TRADER_KEY = 'demo-fund-trader-key';

let system: TestSystem;
let sam: ReturnType<typeof apiClient>;
let admin: ReturnType<typeof apiClient>;
let fundTrader: ReturnType<typeof apiClient>;
let samsPortfolio: string;
let othersPortfolio: string;
let othersRestingOrder: string;

beforeAll(async () => {
  system = await startTestSystem('scope', { apiKeys: [{ key: SAM_KEY, principal: 'sam', roles: ['viewer', 'trader', 'admin'], portfolios: [] }] });
  sam = apiClient(system.baseUrl, SAM_KEY);
  admin = apiClient(system.baseUrl, KEYS.admin);
  fundTrader = apiClient(system.baseUrl, FUND_TRADER_KEY);
  samsPortfolio = (await sam<{ portfolioId: string }>('POST', '/v1/portfolios', { name: "Sam's", initialCash: '10000' })).body.portfolioId;
  othersPortfolio = (await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'not Sam\'s', initialCash: '10000' })).body.portfolioId;
  await admin('PUT', '/v1/quotes/JPM', { bid: '200.00', ask: '200.10', last: '200.05' });
  othersRestingOrder = (await admin<{ orderId: string }>('POST', '/v1/orders', { portfolioId: othersPortfolio, symbol: 'JPM', side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice: '150.00' })).body.orderId;
  await waitForOrderStatus(system.db, othersRestingOrder, ['WORKING']);
});
afterAll(async () => system?.stop());

describe('access per portfolio', () => {
  it('when a scoped admin creates a portfolio, then it is in the admin\'s scope', async () => {
    expect((await sam('GET', `/v1/portfolios/${samsPortfolio}`)).status).toBe(200);
    expect((await sam('GET', `/v1/portfolios/${samsPortfolio}/risk-limits`)).status).toBe(200);
  });

  const outside: Array<[string, () => Promise<{ status: number }>]> = [
    ['reads the portfolio', () => sam('GET', `/v1/portfolios/${othersPortfolio}`)],
    ['reads its risk limits', () => sam('GET', `/v1/portfolios/${othersPortfolio}/risk-limits`)],
    ['replaces its risk limits', () => sam('PUT', `/v1/portfolios/${othersPortfolio}/risk-limits`, { maxOrderValue: '1', maxPositionPctOfEquity: '0.1', maxOpenPositions: 1, maxGrossLeverage: '1', maxQuoteAgeSeconds: 60 })],
    ['places an order in it', () => sam('POST', '/v1/orders', { portfolioId: othersPortfolio, symbol: 'JPM', side: 'BUY', quantity: '1' })],
    ['lists its orders', () => sam('GET', `/v1/orders?portfolioId=${othersPortfolio}`)],
    ['reads one of its orders', () => sam('GET', `/v1/orders/${othersRestingOrder}`)],
    ['cancels one of its orders', () => sam('POST', `/v1/orders/${othersRestingOrder}/cancel`)],
  ];
  it.each(outside)('when a scoped principal %s outside its scope, then the answer is 404, as for a portfolio that does not exist', async (_name, act) => {
    expect((await act()).status).toBe(404);
  });

  it('when the order outside the scope was asked about, then it is untouched', async () => {
    expect((await admin<{ status: string }>('GET', `/v1/orders/${othersRestingOrder}`)).body.status).toBe('WORKING');
    expect(await system.db('orders').where({ portfolio_id: othersPortfolio })).toHaveLength(1);
  });

  it('when a scoped principal lists portfolios, then it sees only its own', async () => {
    const listed = await sam<{ portfolios: Array<{ portfolioId: string }> }>('GET', '/v1/portfolios');
    expect(listed.body.portfolios.map((p) => p.portfolioId)).toEqual([samsPortfolio]);
  });

  it('when the demo key scoped to the demo fund trades it, then it may, and it sees nothing else', async () => {
    const placed = await fundTrader<{ status: string }>('POST', '/v1/orders', { portfolioId: DEMO_PORTFOLIO.id, symbol: 'JPM', side: 'BUY', quantity: '1' });
    expect(placed.status).toBe(201);
    expect((await fundTrader<{ portfolios: Array<{ portfolioId: string }> }>('GET', '/v1/portfolios')).body.portfolios.map((p) => p.portfolioId)).toEqual([DEMO_PORTFOLIO.id]);
    expect((await fundTrader('GET', `/v1/portfolios/${samsPortfolio}`)).status).toBe(404);
  });

  it('when an order is cancelled, then the audit names who cancelled it', async () => {
    const resting = await sam<{ orderId: string }>('POST', '/v1/orders', { portfolioId: samsPortfolio, symbol: 'JPM', side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice: '150.00' });
    await waitForOrderStatus(system.db, resting.body.orderId, ['WORKING']);
    expect((await sam<{ status: string }>('POST', `/v1/orders/${resting.body.orderId}/cancel`)).body.status).toBe('CANCELLED');
    const audit = await system.db('audit_log').where({ entity_type: 'order', entity_id: resting.body.orderId, action: 'order.cancelled' }).select('principal');
    expect(audit).toEqual([{ principal: 'sam' }]);
  });
});
