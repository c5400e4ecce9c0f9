import { apiClient, KEYS, startTestSystem, type TestSystem } from '../support/test-system';

/** Sam trades and administers only the portfolios Sam creates. */
const SAM_KEY = 'sam-scoped-admin-key-0001';

let system: TestSystem;
let admin: ReturnType<typeof apiClient>;
let trader: ReturnType<typeof apiClient>;
let viewer: ReturnType<typeof apiClient>;
let sam: ReturnType<typeof apiClient>;
let portfolio: string;

const signals = [
  { strategyId: 'trend_following', direction: 'BUY', strength: 0.8, confidence: 0.9, expectedReturn: 0.02 },
  { strategyId: 'statistical_arbitrage', direction: 'BUY', strength: 0.6, confidence: 0.7, expectedReturn: 0.01 },
  { strategyId: 'news_driven', direction: 'SELL', strength: 0.5, confidence: 0.6, expectedReturn: 0.01 },
];

beforeAll(async () => {
  system = await startTestSystem('signals', { worker: false, apiKeys: [{ key: SAM_KEY, principal: 'sam', roles: ['viewer', 'trader', 'admin'], portfolios: [] }] });
  admin = apiClient(system.baseUrl, KEYS.admin);
  trader = apiClient(system.baseUrl, KEYS.trader);
  viewer = apiClient(system.baseUrl, KEYS.viewer);
  sam = apiClient(system.baseUrl, SAM_KEY);
  portfolio = (await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'Signals', initialCash: '10000' })).body.portfolioId;
});
afterAll(async () => system?.stop());

describe('strategy weights and signal evaluation over HTTP', () => {
  it('when a portfolio has no weights of its own, then GET shows the defaults and says so', async () => {
    const res = await viewer('GET', `/v1/portfolios/${portfolio}/strategy-weights`);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({
      portfolioId: portfolio, source: 'default', minStrength: 0.2, minConfidence: 0.6, minAgreement: 0.6, updatedBy: null, updatedAt: null,
      weights: { arbitrage: 0.15, htf: 0.15, market_making: 0.1, news_driven: 0.15, statistical_arbitrage: 0.2, trend_following: 0.25 },
    });
  });

  it('when a trader evaluates signals on the defaults, then the answer holds every number, the decision and the attachable signal', async () => {
    // Hand-computed in test/unit/domain/signals: net 0.365, agreement 0.75, confidence 0.8111111111.
    const res = await trader<Record<string, unknown>>('POST', '/v1/signals/evaluate', { portfolioId: portfolio, symbol: 'AAPL', signals });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      portfolioId: portfolio, symbol: 'AAPL', weightsSource: 'default', direction: 'BUY', netScore: 0.365, strength: 0.365,
      agreement: 0.75, confidence: 0.8111111111, execute: true, side: 'BUY', reasons: [],
      signal: { strategyId: 'combined', confidence: 0.8111111111 },
    });
    expect(res.body.contributions).toHaveLength(3);
  });

  it('when an admin replaces the weights, then later evaluations use them and the audit log keeps before and after', async () => {
    const put = await admin('PUT', `/v1/portfolios/${portfolio}/strategy-weights`, { weights: { news_driven: 3, trend_following: 1 }, minAgreement: 0.5 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ source: 'portfolio', weights: { news_driven: 3, trend_following: 1 }, minStrength: 0.2, minAgreement: 0.5, updatedBy: 'demo-admin' });
    expect((await viewer('GET', `/v1/portfolios/${portfolio}/strategy-weights`)).body).toEqual(put.body);

    // news SELL −0.3 × 0.75 + trend BUY 0.72 × 0.25 = −0.045: a SELL too weak to trade; stat-arb weighs nothing now.
    const res = await trader<Record<string, unknown>>('POST', '/v1/signals/evaluate', { portfolioId: portfolio, signals });
    expect(res.body).toMatchObject({
      weightsSource: 'portfolio', direction: 'SELL', netScore: -0.045, execute: false, side: null,
      ignored: [{ strategyId: 'statistical_arbitrage', reason: 'UNKNOWN_STRATEGY' }], reasons: [{ code: 'SIGNAL_TOO_WEAK', limit: 0.2, actual: 0.045 }],
    });
    const audit = await system.db('audit_log').where({ entity_type: 'portfolio', entity_id: portfolio, action: 'strategy-weights.replaced' }).select('principal', 'details');
    expect(audit).toEqual([{ principal: 'demo-admin', details: {
      before: expect.objectContaining({ source: 'default', minAgreement: 0.6 }),
      after: { source: 'portfolio', weights: { news_driven: 3, trend_following: 1 }, minStrength: 0.2, minConfidence: 0.6, minAgreement: 0.5 },
    } }]);
  });

  it('when the request brings its own weights, then they apply to that evaluation only', async () => {
    const res = await trader('POST', '/v1/signals/evaluate', { portfolioId: portfolio, signals, weights: { trend_following: 1 } });
    expect(res.body).toMatchObject({ weightsSource: 'request', direction: 'BUY', netScore: 0.72, execute: true });
  });

  // Every row has four cells: a callback of one more parameter than the row would be taken for jest's `done`.
  const refused: Array<[string, number, () => Promise<{ status: number; body: unknown }>, unknown]> = [
    ['a viewer evaluates signals', 403, () => viewer('POST', '/v1/signals/evaluate', { portfolioId: portfolio, signals }), null],
    ['a viewer replaces the weights', 403, () => viewer('PUT', `/v1/portfolios/${portfolio}/strategy-weights`, { weights: { htf: 1 } }), null],
    ['a trader replaces the weights', 403, () => trader('PUT', `/v1/portfolios/${portfolio}/strategy-weights`, { weights: { htf: 1 } }), null],
    ['a scoped principal reads weights outside its scope', 404, () => sam('GET', `/v1/portfolios/${portfolio}/strategy-weights`), null],
    ['a scoped principal replaces weights outside its scope', 404, () => sam('PUT', `/v1/portfolios/${portfolio}/strategy-weights`, { weights: { htf: 1 } }), null],
    ['a scoped principal evaluates signals outside its scope', 404, () => sam('POST', '/v1/signals/evaluate', { portfolioId: portfolio, signals }), null],
    ['the portfolio does not exist', 404, () => trader('POST', '/v1/signals/evaluate', { portfolioId: '00000000-0000-4000-8000-000000000000', signals }), null],
    ['a confidence is above 1', 400, () => trader('POST', '/v1/signals/evaluate', { portfolioId: portfolio, signals: [{ ...signals[0], confidence: 1.2 }] }),
      [{ field: 'signals.0.confidence', rule: 'confidence must be a number from 0 to 1' }]],
    ['a weight is negative', 400, () => admin('PUT', `/v1/portfolios/${portfolio}/strategy-weights`, { weights: { htf: -1, trend_following: 1 } }),
      [{ field: 'weights.htf', rule: 'a weight must be 0 or more' }]],
  ];
  it.each(refused)('when %s, then the answer is %i', async (_name, status, act, details) => {
    const res = await act();
    expect(res.status).toBe(status);
    if (details) expect(res.body).toEqual({ error: expect.objectContaining({ code: 'VALIDATION_FAILED', details }) });
  });

  it('when refused, then nothing changed', async () => {
    expect((await viewer<{ weights: unknown }>('GET', `/v1/portfolios/${portfolio}/strategy-weights`)).body.weights).toEqual({ news_driven: 3, trend_following: 1 });
  });
});
