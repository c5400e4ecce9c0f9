import { apiClient, KEYS, startTestSystem, type TestSystem } from '../support/test-system';

/** Sam may do everything, but only in the portfolios Sam creates (the key names none). */
const SAM_KEY = 'sam-scoped-sizing-key-0001';

let system: TestSystem;
let admin: ReturnType<typeof apiClient>;
let trader: ReturnType<typeof apiClient>;
let viewer: ReturnType<typeof apiClient>;
let sam: ReturnType<typeof apiClient>;
/** Its settings are changed by the settings tests. */
let configured: string;
/** Sized with the default settings. */
let plain: string;

const isoDaysAgo = (days: number) => new Date(Date.now() - days * 86_400_000).toISOString().slice(0, 10);
const instrument = { name: 'Sizing test', assetClass: 'EQUITY', currency: 'USD', tickSize: '0.01', lotSize: '1', sector: 'Test' };
type ErrorBody = { error: { code: string; message: string; details: unknown } };

beforeAll(async () => {
  // Sizing reads PostgreSQL only: no worker needed.
  system = await startTestSystem('sizing', { worker: false, apiKeys: [{ key: SAM_KEY, principal: 'sam', roles: ['viewer', 'trader', 'admin'], portfolios: [] }] });
  admin = apiClient(system.baseUrl, KEYS.admin);
  trader = apiClient(system.baseUrl, KEYS.trader);
  viewer = apiClient(system.baseUrl, KEYS.viewer);
  sam = apiClient(system.baseUrl, SAM_KEY);
  configured = (await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'sizing settings', initialCash: '100000' })).body.portfolioId;
  plain = (await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'sizing', initialCash: '100000' })).body.portfolioId;
  for (const symbol of ['SZTEST', 'SZNOQUOTE', 'SZSTALE']) expect((await admin('PUT', `/v1/instruments/${symbol}`, instrument)).status).toBe(201);
  // Five closes: true ranges 2, 1, 3, 1 → ATR over 4 days 1.75.
  const closes = ['100', '102', '101', '104', '103'];
  await system.db('price_history').insert(closes.map((close, i) => ({ symbol: 'SZTEST', date: isoDaysAgo(closes.length - 1 - i), close })));
  expect((await admin('PUT', '/v1/quotes/SZTEST', { bid: '102.99', ask: '103.01', last: '103.00' })).status).toBe(200);
  expect((await admin('PUT', '/v1/quotes/SZSTALE', { last: '50.00' })).status).toBe(200);
  await system.db('quotes').where({ symbol: 'SZSTALE' }).update({ as_of: new Date(Date.now() - 3_600_000) });
});
afterAll(async () => system?.stop());

describe('sizing methods', () => {
  it('when a viewer lists the methods, then each has its description and its required and optional fields', async () => {
    const res = await viewer<{ methods: Array<{ method: string; description: string; requiredFields: string[]; optionalFields: string[] }>; stopMethods: Array<{ method: string }> }>('GET', '/v1/position-sizing/methods');
    expect(res.status).toBe(200);
    expect(res.body.methods.map((m) => m.method)).toEqual(['FIXED_DOLLAR', 'FIXED_PERCENT', 'KELLY', 'RISK_PARITY', 'VOLATILITY_ADJUSTED', 'CONFIDENCE_WEIGHTED', 'OPTIMAL_F']);
    const kelly = res.body.methods.find((m) => m.method === 'KELLY')!;
    expect(kelly.requiredFields).toEqual(['winProbability', 'payoffRatio']);
    expect(kelly.optionalFields).toEqual(expect.arrayContaining(['fraction', 'confidence', 'stopLoss', 'openRisk', 'stops']));
    expect(kelly.description).toMatch(/p − \(1 − p\) \/ b/);
    expect(res.body.stopMethods.map((m) => m.method)).toEqual(['ATR', 'STDDEV']);
  });
});

describe('sizing settings per portfolio', () => {
  const settings = { maxPortfolioRisk: '0.03', maxPositionRisk: '0.001', baseSize: '0.05', confidenceMultiplier: '1.5', kellyFraction: '0.5', minConfidence: '0.55' };

  it('when none are stored, then GET answers the defaults with source "default"', async () => {
    const res = await viewer('GET', `/v1/portfolios/${configured}/sizing-settings`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      portfolioId: configured, source: 'default', version: 0, maxPortfolioRisk: '0.02', maxPositionRisk: '0.005', baseSize: '0.02',
      confidenceMultiplier: '2', kellyFraction: '0.25', minConfidence: '0.6', updatedBy: null, updatedAt: null,
    });
  });

  it('when an admin replaces them twice, then each is a new version, GET shows the last, and the audit has before and after', async () => {
    const first = await admin('PUT', `/v1/portfolios/${configured}/sizing-settings`, { ...settings, maxPositionRisk: '0.002', expectedVersion: 0 });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ source: 'portfolio', version: 1, maxPositionRisk: '0.002', updatedBy: 'demo-admin' });
    const second = await admin('PUT', `/v1/portfolios/${configured}/sizing-settings`, settings);
    expect(second.body).toMatchObject({ source: 'portfolio', version: 2, ...settings });
    expect((await viewer('GET', `/v1/portfolios/${configured}/sizing-settings`)).body).toMatchObject({ source: 'portfolio', version: 2, ...settings });
    const audit = await system.db('audit_log').where({ entity_type: 'portfolio', entity_id: configured, action: 'sizing-settings.replaced' }).orderBy('id').select('principal', 'details');
    expect(audit).toEqual([
      { principal: 'demo-admin', details: { before: null, after: expect.objectContaining({ version: 1, maxPositionRisk: '0.002' }) } },
      { principal: 'demo-admin', details: { before: expect.objectContaining({ version: 1, maxPositionRisk: '0.002' }), after: expect.objectContaining({ version: 2, ...settings }) } },
    ]);
  });

  it('when an admin replaces them from a stale version, then the answer is 409 and nothing changes', async () => {
    const res = await admin<ErrorBody>('PUT', `/v1/portfolios/${configured}/sizing-settings`, { ...settings, baseSize: '0.1', expectedVersion: 1 });
    expect(res.status).toBe(409);
    expect(res.body.error.code).toBe('SIZING_SETTINGS_VERSION_CONFLICT');
    expect((await viewer('GET', `/v1/portfolios/${configured}/sizing-settings`)).body).toMatchObject({ version: 2, baseSize: '0.05' });
  });

  const refusals: Array<[string, number, string, string | null, () => Promise<{ status: number; body: unknown }>]> = [
    ['a viewer replaces them', 403, 'FORBIDDEN', null, () => viewer('PUT', `/v1/portfolios/${configured}/sizing-settings`, settings)],
    ['a trader replaces them', 403, 'FORBIDDEN', null, () => trader('PUT', `/v1/portfolios/${configured}/sizing-settings`, settings)],
    ['a fraction is above 1', 400, 'VALIDATION_FAILED', 'kellyFraction', () => admin('PUT', `/v1/portfolios/${configured}/sizing-settings`, { ...settings, kellyFraction: '1.5' })],
    ['the multiplier is zero', 400, 'VALIDATION_FAILED', 'confidenceMultiplier', () => admin('PUT', `/v1/portfolios/${configured}/sizing-settings`, { ...settings, confidenceMultiplier: '0' })],
    ['a scoped admin reads them outside its scope', 404, 'NOT_FOUND', null, () => sam('GET', `/v1/portfolios/${configured}/sizing-settings`)],
    ['a scoped admin replaces them outside its scope', 404, 'NOT_FOUND', null, () => sam('PUT', `/v1/portfolios/${configured}/sizing-settings`, settings)],
    ['the portfolio does not exist', 404, 'NOT_FOUND', null, () => admin('GET', '/v1/portfolios/00000000-0000-4000-8000-000000000000/sizing-settings')],
  ];
  it.each(refusals)('when %s, then the answer is %s %s', async (_name, status, code, field, act) => {
    const res = await act();
    expect(res.status).toBe(status);
    expect((res.body as ErrorBody).error.code).toBe(code);
    if (field) expect((res.body as ErrorBody).error.details).toEqual(expect.arrayContaining([expect.objectContaining({ field })]));
    expect((await viewer('GET', `/v1/portfolios/${configured}/sizing-settings`)).body).toMatchObject({ version: 2 });
  });
});

describe('POST /v1/position-sizing', () => {
  it('when a trader sizes a buy with ATR stops, then the stop is 2 ATR below the ask, the target 3 above, and the position-risk cap binds', async () => {
    const res = await trader('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZTEST', side: 'BUY', method: 'FIXED_PERCENT', percent: '0.2', stops: { method: 'ATR', lookbackDays: 4 } });
    expect(res.status).toBe(200);
    // 20 000 / 103.01 = 194.15… units; at a stop 3.5 away, 0.5 % of 100 000 allows 500 / 3.5 = 142.857…; lots of 1: 142.
    expect(res.body).toMatchObject({
      portfolioId: plain, symbol: 'SZTEST', side: 'BUY', method: 'FIXED_PERCENT', price: '103.01', priceSource: 'ask', equity: '100000', currency: 'USD', lotSize: '1',
      settings: { source: 'default', version: 0 }, rawNotional: '20000', rawQuantity: '194.155907193476', quantity: '142', notional: '14627.42',
      stopLoss: '99.51', riskAtStop: '497',
      stops: { method: 'ATR', direction: 'LONG', lookbackDays: 4, historyFrom: isoDaysAgo(4), historyTo: isoDaysAgo(0), volatility: '1.75',
        entryPrice: '103.01', stopLoss: '99.51', takeProfit: '108.26', stopDistance: '3.5', takeProfitDistance: '5.25', stopClamp: null, takeProfitClamp: null },
    });
    expect((res.body as { adjustments: Array<{ name: string }> }).adjustments.map((a) => a.name)).toEqual(['MAX_POSITION_RISK', 'LOT_SIZE']);
  });

  it('when a trader sizes a sell with ATR stops, then it is sized at the bid, the stop above and the target below', async () => {
    const res = await trader('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZTEST', side: 'SELL', method: 'FIXED_DOLLAR', amount: '1029.9', stops: { method: 'ATR', lookbackDays: 4 } });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ price: '102.99', priceSource: 'bid', quantity: '10', stopLoss: '106.49', riskAtStop: '35', stops: { direction: 'SHORT', stopLoss: '106.49', takeProfit: '97.74' } });
  });

  it('when the portfolio has its own settings, then sizing uses them and says so', async () => {
    // maxPositionRisk 0.001: 100 / 3.5 = 28.57… → 28.
    const res = await trader('POST', '/v1/position-sizing', { portfolioId: configured, symbol: 'SZTEST', side: 'BUY', method: 'FIXED_PERCENT', percent: '0.2', stopLoss: '99.51' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ settings: { source: 'portfolio', version: 2, maxPositionRisk: '0.001' }, quantity: '28', stops: null, stopLoss: '99.51' });
  });

  it('when the size is less than one lot, then the quantity is zero and a note says it rounds to zero', async () => {
    const res = await trader<{ quantity: string; notes: string[] }>('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZTEST', side: 'BUY', method: 'FIXED_DOLLAR', amount: '50' });
    expect(res.status).toBe(200);
    expect(res.body.quantity).toBe('0');
    expect(res.body.notes.join(' ')).toMatch(/round down to zero lots/);
  });

  const refusals: Array<[string, number, string, string | null, () => Promise<{ status: number; body: unknown }>]> = [
    ['a viewer sizes', 403, 'FORBIDDEN', null, () => viewer('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZTEST', side: 'BUY', method: 'FIXED_DOLLAR', amount: '1000' })],
    ['a scoped trader sizes outside its scope', 404, 'NOT_FOUND', null, () => sam('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZTEST', side: 'BUY', method: 'FIXED_DOLLAR', amount: '1000' })],
    ['a percent is above 1', 400, 'VALIDATION_FAILED', 'percent', () => trader('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZTEST', side: 'BUY', method: 'FIXED_PERCENT', percent: '2' })],
    ['a buy\'s stop loss is above the ask', 400, 'VALIDATION_FAILED', 'stopLoss', () => trader('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZTEST', side: 'BUY', method: 'FIXED_DOLLAR', amount: '1000', stopLoss: '110' })],
    ['optimal f has no losing trade', 400, 'VALIDATION_FAILED', 'tradeResults', () => trader('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZTEST', side: 'BUY', method: 'OPTIMAL_F', tradeResults: ['1', '2'] })],
    ['a default max distance is below the given min distance', 400, 'VALIDATION_FAILED', 'stops.minDistancePct', () => trader('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZTEST', side: 'BUY', method: 'FIXED_DOLLAR', amount: '1000', stops: { method: 'ATR', lookbackDays: 4, minDistancePct: '0.5' } })],
    ['the history is shorter than the lookback', 422, 'PRICE_HISTORY_TOO_SHORT', 'stops.lookbackDays', () => trader('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZTEST', side: 'BUY', method: 'FIXED_DOLLAR', amount: '1000', stops: { method: 'STDDEV', lookbackDays: 30 } })],
    ['the symbol has no quote', 422, 'QUOTE_MISSING', null, () => trader('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZNOQUOTE', side: 'BUY', method: 'FIXED_DOLLAR', amount: '1000' })],
    ['the quote is stale', 422, 'QUOTE_STALE', null, () => trader('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'SZSTALE', side: 'BUY', method: 'FIXED_DOLLAR', amount: '1000' })],
    ['the symbol is unknown', 422, 'UNKNOWN_INSTRUMENT', 'symbol', () => trader('POST', '/v1/position-sizing', { portfolioId: plain, symbol: 'NOPE', side: 'BUY', method: 'FIXED_DOLLAR', amount: '1000' })],
  ];
  it.each(refusals)('when %s, then the answer is %s %s', async (_name, status, code, field, act) => {
    const res = await act();
    expect(res.status).toBe(status);
    const error = (res.body as ErrorBody).error;
    expect(error.code).toBe(code);
    if (field) {
      const details = error.details as { field?: string } | Array<{ field: string }>;
      expect(Array.isArray(details) ? details.map((d) => d.field) : [details.field]).toContain(field);
    }
  });
});
