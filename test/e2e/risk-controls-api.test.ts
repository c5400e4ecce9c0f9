import { apiClient, KEYS, startTestSystem, type TestSystem } from '../support/test-system';

/** Limits, trading states and account status through the API, as an admin sets them and an order meets them. */
const SCOPED_ADMIN_KEY = 'scoped-admin-key';
let system: TestSystem;
let admin: ReturnType<typeof apiClient>;
let trader: ReturnType<typeof apiClient>;
let viewer: ReturnType<typeof apiClient>;
let scopedAdmin: ReturnType<typeof apiClient>;

beforeAll(async () => {
  system = await startTestSystem('e2e-risk-controls', {
    apiKeys: [{ key: SCOPED_ADMIN_KEY, principal: 'pat', roles: ['viewer', 'trader', 'admin'], portfolios: [] }],
  });
  admin = apiClient(system.baseUrl, KEYS.admin);
  trader = apiClient(system.baseUrl, KEYS.trader);
  viewer = apiClient(system.baseUrl, KEYS.viewer);
  scopedAdmin = apiClient(system.baseUrl, SCOPED_ADMIN_KEY);
  await admin('PUT', '/v1/quotes/AAPL', { bid: '99.99', ask: '100.01', last: '100' });
}, 60_000);
afterAll(async () => system?.stop());

async function newPortfolio(accountId = 'paper'): Promise<string> {
  const res = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'controls', initialCash: '100000', accountId });
  expect(res.status).toBe(201);
  return res.body.portfolioId;
}
type Decided = { decision: { approved: boolean; reasons: Array<{ code: string; scope?: string }> } };
const buy = (portfolioId: string, over: Record<string, unknown> = {}) => trader<Decided>('POST', '/v1/orders', { portfolioId, symbol: 'AAPL', side: 'BUY', quantity: '1', ...over });
const codes = (r: { body: Decided }) => r.body.decision.reasons.map((x) => x.code);

describe('trading state', () => {
  it('when an admin halts a portfolio with a reason, then GET shows it, orders are denied, the change is audited, and ACTIVE trades again', async () => {
    const id = await newPortfolio();
    const set = await admin('POST', `/v1/portfolios/${id}/trading-state`, { state: 'HALTED', reason: 'broker outage' });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ portfolioId: id, state: 'HALTED', reason: 'broker outage', changedBy: 'demo-admin' });
    expect((await viewer('GET', `/v1/portfolios/${id}/trading-state`)).body).toMatchObject({ state: 'HALTED', reason: 'broker outage' });
    expect(codes(await buy(id))).toEqual(['TRADING_HALTED']);
    const audit = await system.db('audit_log').where({ action: 'trading-state.changed', entity_id: id }).first<{ details: Record<string, unknown> }>();
    expect(audit?.details).toMatchObject({ before: 'ACTIVE', after: 'HALTED', reason: 'broker outage' });
    await admin('POST', `/v1/portfolios/${id}/trading-state`, { state: 'ACTIVE', reason: 'outage over' });
    expect((await buy(id)).body.decision.approved).toBe(true);
  });

  it('when the account is REDUCING, then a buy is denied with the account named', async () => {
    await system.db('accounts').insert({ id: 'reducing-account', name: 'r', kind: 'paper', broker: 'paper' });
    const id = await newPortfolio('reducing-account');
    expect((await admin('POST', '/v1/accounts/reducing-account/trading-state', { state: 'REDUCING', reason: 'drawdown' })).status).toBe(200);
    const placed = await buy(id);
    expect(placed.body.decision.reasons).toEqual([expect.objectContaining({ code: 'TRADING_REDUCING', scope: 'account' })]);
  });

  it('when an account is suspended, then its orders are denied', async () => {
    await system.db('accounts').insert({ id: 'suspended-account', name: 's', kind: 'live', broker: 'paper' });
    const id = await newPortfolio('suspended-account');
    expect((await admin('POST', '/v1/accounts/suspended-account/status', { status: 'SUSPENDED', reason: 'KYC review' })).status).toBe(200);
    expect(codes(await buy(id))).toEqual(['ACCOUNT_NOT_ACTIVE']);
  });
});

describe('limits per portfolio, account and instrument', () => {
  it('when a limit is patched, then GET shows it with its source and version, the audit has before and after, and orders meet it', async () => {
    const id = await newPortfolio();
    const fresh = await viewer<{ sources: Record<string, string>; version: number }>('GET', `/v1/portfolios/${id}/risk-limits`);
    expect(fresh.body.sources.maxOrderQuantity).toBe('default');
    const patched = await admin<{ limits: Record<string, unknown>; sources: Record<string, string>; version: number }>('PATCH', `/v1/portfolios/${id}/risk-limits`, { maxOrderQuantity: '5', maxDailyLoss: '1000' });
    expect(patched.status).toBe(200);
    expect(patched.body.limits).toMatchObject({ maxOrderQuantity: '5', maxDailyLoss: '1000', maxOrderValue: '100000', maxCorrelation: '0.7' });
    expect(patched.body.sources).toMatchObject({ maxOrderQuantity: 'portfolio', maxOrderValue: 'default' });
    expect(patched.body.version).toBe(fresh.body.version + 1);
    const audit = await system.db('audit_log').where({ action: 'risk-limits.changed', entity_id: id }).orderBy('id', 'desc').first<{ principal: string; details: { before: Record<string, unknown>; after: Record<string, unknown> } }>();
    expect(audit?.principal).toBe('demo-admin');
    expect(audit?.details.before.max_order_quantity).toBeNull();
    expect(audit?.details.after.max_order_quantity).toBe('5');
    expect(codes(await buy(id, { quantity: '6' }))).toEqual(['MAX_ORDER_QUANTITY']);
    expect((await buy(id, { quantity: '5' })).body.decision.approved).toBe(true);
  });

  it('when the account and the instrument set tighter caps, then the effective view shows the binding one and where it comes from, and orders meet it', async () => {
    await system.db('accounts').insert({ id: 'capped-account', name: 'c', kind: 'live', broker: 'paper' });
    const id = await newPortfolio('capped-account');
    expect((await admin('PUT', '/v1/accounts/capped-account/risk-limits', { maxOrderValue: '5000' })).status).toBe(200);
    expect((await admin('PUT', '/v1/instruments/AAPL/risk-limits', { maxOrderValue: '3000', priceCollarPct: '0.02' })).status).toBe(200);
    try {
      const view = await viewer<{ limits: Record<string, { value: unknown; source: string; alsoSet?: unknown[] }> }>('GET', `/v1/portfolios/${id}/risk-limits/effective?symbol=AAPL`);
      expect(view.status).toBe(200);
      expect(view.body.limits.maxOrderValue).toEqual({ value: '3000', source: 'instrument', alsoSet: [{ source: 'account', value: '5000' }, { source: 'default', value: '100000' }] });
      expect(view.body.limits.priceCollarPct).toMatchObject({ value: '0.02', source: 'instrument' });
      const placed = await buy(id, { quantity: '60' });
      expect(placed.body.decision.reasons.map((r) => [r.code, r.scope])).toEqual([['MAX_ORDER_VALUE', 'account'], ['MAX_ORDER_VALUE', 'instrument']]);
    } finally {
      await admin('PUT', '/v1/instruments/AAPL/risk-limits', {});
    }
  });

  it('when the reason codes are asked for, then each comes with its meaning and the limit it checks', async () => {
    const res = await viewer<{ reasonCodes: Array<{ code: string; meaning: string; limit: string }> }>('GET', '/v1/risk/reason-codes');
    expect(res.body.reasonCodes).toContainEqual(expect.objectContaining({ code: 'PRICE_COLLAR', limit: expect.stringContaining('priceCollarPct') }));
  });
});

describe('orders sized and given stops', () => {
  type Placed = { status: string; orderId: string; quantity: string; decision: { approved: boolean } };

  it('when an order carries sizing instead of a quantity, then it is placed with the sized quantity, and a retry answers the same order', async () => {
    const id = await newPortfolio();
    const body = { portfolioId: id, symbol: 'AAPL', side: 'BUY', sizing: { method: 'FIXED_DOLLAR', amount: '1000' }, clientRequestId: 'sized-1' };
    const placed = await trader<Placed>('POST', '/v1/orders', body);
    expect(placed.status).toBe(201);
    // 1000 / 100.01 (the ask) = 9.99 → 9 whole lots.
    expect(placed.body).toMatchObject({ quantity: '9', decision: { approved: true } });
    await admin('PUT', '/v1/quotes/AAPL', { bid: '49.99', ask: '50.01', last: '50' });
    try {
      const again = await trader<Placed>('POST', '/v1/orders', body);
      expect(again.status).toBe(200);
      expect(again.body).toMatchObject({ orderId: placed.body.orderId, quantity: '9' });
    } finally {
      await admin('PUT', '/v1/quotes/AAPL', { bid: '99.99', ask: '100.01', last: '100' });
    }
  });

  it('when the sized quantity rounds to zero lots, then 422 says so and nothing is placed', async () => {
    const id = await newPortfolio();
    const res = await trader<{ error: { code: string; message: string } }>('POST', '/v1/orders', { portfolioId: id, symbol: 'AAPL', side: 'BUY', sizing: { method: 'FIXED_DOLLAR', amount: '50' } });
    expect(res.status).toBe(422);
    expect(res.body.error.code).toBe('SIZE_ROUNDS_TO_ZERO');
    expect(await system.db('orders').where({ portfolio_id: id })).toHaveLength(0);
  });

  it('when an order asks for dynamic stops, then the filled position carries the stop and the target from the price history', async () => {
    const id = await newPortfolio();
    const placed = await trader<Placed>('POST', '/v1/orders', { portfolioId: id, symbol: 'MSFT', side: 'BUY', quantity: '1', stops: { method: 'ATR', lookbackDays: 14 } });
    expect(placed.body.decision.approved).toBe(true);
    const order = await system.db('orders').where({ id: placed.body.orderId }).first<{ stop_loss: string; take_profit: string; reference_price: string }>();
    expect(Number(order!.stop_loss)).toBeLessThan(Number(order!.reference_price));
    expect(Number(order!.take_profit)).toBeGreaterThan(Number(order!.reference_price));
    for (let i = 0; i < 100; i++) {
      const position = await system.db('positions').where({ portfolio_id: id, symbol: 'MSFT' }).first<{ stop_loss: string | null; take_profit: string | null }>();
      if (position) {
        expect(position).toMatchObject({ stop_loss: order!.stop_loss, take_profit: order!.take_profit });
        return;
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('the order did not fill');
  });

  it('when a sized limit order asks for dynamic stops, then they are placed around its limit, as for an unsized one', async () => {
    const id = await newPortfolio();
    const base = { portfolioId: id, symbol: 'MSFT', side: 'BUY', type: 'LIMIT', limitPrice: '300', execute: false, stops: { method: 'ATR', lookbackDays: 14 } };
    const sized = await trader<Placed>('POST', '/v1/orders', { ...base, sizing: { method: 'FIXED_DOLLAR', amount: '3000' } });
    const plain = await trader<Placed>('POST', '/v1/orders', { ...base, quantity: '1' });
    const stopsOf = (orderId: string) => system.db('orders').where({ id: orderId }).first<{ stop_loss: string; take_profit: string }>('stop_loss', 'take_profit');
    const [a, b] = [await stopsOf(sized.body.orderId), await stopsOf(plain.body.orderId)];
    expect(Number(a!.stop_loss)).toBeLessThan(300);
    expect(a).toEqual(b);
  });

  it('when an order is placed from strategies\' signals, then it takes their side and carries the combined signal; a combination that says not to trade is a 422', async () => {
    const id = await newPortfolio();
    const buy = [
      { strategyId: 'trend_following', direction: 'BUY', strength: 0.9, confidence: 0.8 },
      { strategyId: 'statistical_arbitrage', direction: 'BUY', strength: 0.7, confidence: 0.9 },
    ];
    const placed = await trader<Placed & { side: string; decision: { signal?: { strategyId: string } } }>('POST', '/v1/orders', { portfolioId: id, symbol: 'AAPL', quantity: '1', fromSignals: { signals: buy } });
    expect(placed.status).toBe(201);
    expect(placed.body).toMatchObject({ side: 'BUY', decision: { approved: true, signal: { strategyId: 'combined' } } });
    const split = [
      { strategyId: 'trend_following', direction: 'BUY', strength: 0.9, confidence: 0.8 },
      { strategyId: 'statistical_arbitrage', direction: 'SELL', strength: 0.9, confidence: 0.8 },
    ];
    const refused = await trader<{ error: { code: string } }>('POST', '/v1/orders', { portfolioId: id, symbol: 'AAPL', quantity: '1', fromSignals: { signals: split } });
    expect(refused.status).toBe(422);
    expect(refused.body.error.code).toBe('SIGNALS_SAY_DO_NOT_TRADE');
    const conflicting = await trader<{ error: { code: string } }>('POST', '/v1/orders', { portfolioId: id, symbol: 'AAPL', side: 'SELL', quantity: '1', fromSignals: { signals: buy } });
    expect(conflicting.body.error.code).toBe('SIDE_CONFLICTS_WITH_SIGNALS');
  });

  it.each([
    ['neither a side nor signals', { quantity: '1', side: undefined }, 'side'],
    ['both a quantity and sizing', { quantity: '1', sizing: { method: 'FIXED_DOLLAR', amount: '1000' } }, 'quantity'],
    ['neither a quantity nor sizing', {}, 'quantity'],
    ['an unknown stop method', { quantity: '1', stops: { method: 'MAGIC' } }, 'stops'],
  ])('when an order has %s, then 400 names the field', async (_name, over, field) => {
    const res = await trader('POST', '/v1/orders', { portfolioId: '00000000-0000-4000-8000-000000000000', symbol: 'AAPL', side: 'BUY', ...over });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });
});

describe('validate-only at scale', () => {
  type Validated = { approved: number; results: Array<{ index: number; approved: boolean; reasons: Array<{ code: string }> }> };

  it('when orders are validated together, then each is decided on its own against the books as they stand and nothing is recorded or reserved', async () => {
    const id = await newPortfolio();
    await admin('PATCH', `/v1/portfolios/${id}/risk-limits`, { maxDailyTrades: 1, maxOrderQuantity: '100' });
    const before = await system.db('orders').where({ portfolio_id: id }).count<{ count: string }[]>('* as count');
    const res = await trader<Validated>('POST', '/v1/orders/validate', { orders: [
      { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: '10' },
      { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: '10' },
      { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: '101' },
      { portfolioId: id, symbol: 'AAPL', side: 'BUY', type: 'LIMIT', limitPrice: '120', quantity: '1' },
    ] });
    expect(res.status).toBe(200);
    // Two orders each pass the daily-trade limit of 1: validation reserves nothing.
    expect(res.body.results.map((r) => [r.index, r.approved, r.reasons.map((x) => x.code)])).toEqual([
      [0, true, []], [1, true, []], [2, false, ['MAX_ORDER_QUANTITY']], [3, false, ['PRICE_COLLAR']],
    ]);
    expect(res.body.approved).toBe(2);
    expect(await system.db('orders').where({ portfolio_id: id }).count<{ count: string }[]>('* as count')).toEqual(before);
  });

  it.each([
    ['101 orders', { orders: Array.from({ length: 101 }, () => ({ portfolioId: '00000000-0000-4000-8000-000000000000', symbol: 'AAPL', side: 'BUY', quantity: '1' })) }, 'orders'],
    ['no orders', { orders: [] }, 'orders'],
    ['an idempotency key', { orders: [{ portfolioId: '00000000-0000-4000-8000-000000000000', symbol: 'AAPL', side: 'BUY', quantity: '1', clientRequestId: 'x' }] }, 'orders.0.clientRequestId'],
    ['a bad quantity', { orders: [{ portfolioId: '00000000-0000-4000-8000-000000000000', symbol: 'AAPL', side: 'BUY', quantity: '-1' }] }, 'orders.0.quantity'],
  ])('when %s are sent to validate, then 400 names the field', async (_name, body, field) => {
    const res = await trader('POST', '/v1/orders/validate', body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });

  it('when a viewer validates, or a portfolio is out of scope, then 403 and 404', async () => {
    const id = await newPortfolio();
    const body = { orders: [{ portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: '1' }] };
    expect((await viewer('POST', '/v1/orders/validate', body)).status).toBe(403);
    expect((await scopedAdmin('POST', '/v1/orders/validate', body)).status).toBe(404);
  });
});

describe('refusals', () => {
  it.each([
    ['a trader sets a trading state', () => trader('POST', `/v1/portfolios/de300000-0000-4000-8000-000000000001/trading-state`, { state: 'HALTED', reason: 'x' }), 403],
    ['a viewer changes limits', () => viewer('PATCH', '/v1/portfolios/de300000-0000-4000-8000-000000000001/risk-limits', { maxDailyTrades: 1 }), 403],
    ['a trader reads an account', () => trader('GET', '/v1/accounts/paper'), 403],
    ['a viewer sets instrument limits', () => viewer('PUT', '/v1/instruments/AAPL/risk-limits', {}), 403],
  ])('when %s, then 403', async (_name, call, status) => {
    expect((await call()).status).toBe(status);
  });

  it('when an admin without the portfolio in scope sets its state or limits, then 404', async () => {
    const id = await newPortfolio();
    expect((await scopedAdmin('POST', `/v1/portfolios/${id}/trading-state`, { state: 'HALTED', reason: 'x' })).status).toBe(404);
    expect((await scopedAdmin('PATCH', `/v1/portfolios/${id}/risk-limits`, { maxDailyTrades: 1 })).status).toBe(404);
    expect((await scopedAdmin('GET', `/v1/portfolios/${id}/risk-limits/effective`)).status).toBe(404);
  });

  it.each([
    ['an unknown state', 'trading-state', 'POST', { state: 'PAUSED', reason: 'x' }, 'state'],
    ['a state without a reason', 'trading-state', 'POST', { state: 'HALTED' }, 'reason'],
    ['a correlation cap above 1', 'risk-limits', 'PATCH', { maxCorrelation: '1.5' }, 'maxCorrelation'],
    ['an unknown time zone', 'risk-limits', 'PATCH', { tradingDayTimeZone: 'Mars/Olympus' }, 'tradingDayTimeZone'],
    ['a non-decimal position share', 'risk-limits', 'PUT', { maxPositionPctOfEquity: 'x' }, 'maxPositionPctOfEquity'],
    ['more observations than the lookback', 'risk-limits', 'PATCH', { correlationLookbackDays: 10, correlationMinObservations: 20 }, 'correlationMinObservations'],
    ['an unknown field', 'risk-limits', 'PATCH', { maxFoo: 1 }, 'body'],
  ])('when %s is sent, then 400 names the field', async (_name, resource, method, body, field) => {
    const id = await newPortfolio();
    const res = await admin<{ error: { code: string; details?: { problems?: Array<{ field: string }> } } }>(method, `/v1/portfolios/${id}/${resource}`, body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });
});
