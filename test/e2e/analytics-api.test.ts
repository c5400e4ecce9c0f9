import { createHash, randomUUID } from 'node:crypto';
import loadHighs from 'highs';
import { analyticsWorkflowId } from '../../src/contracts/analytics-contracts';
import { PORTFOLIO_ID_ATTRIBUTE } from '../../src/contracts/search-attributes';
import { performanceMetrics } from '../../src/domain/analytics';
import { createOptimiser } from '../../src/domain/optimisation';
import { apiClient, KEYS, startTestSystem, type TestSystem } from '../support/test-system';

let system: TestSystem;
const sha256 = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');
let viewer: ReturnType<typeof apiClient>;

beforeAll(async () => {
  system = await startTestSystem('e2e-analytics', { apiKeys: [{ key: 'scoped-viewer-key', principal: 'sam', roles: ['viewer'], portfolios: [] }] });
  viewer = apiClient(system.baseUrl, KEYS.viewer);
}, 60_000);
afterAll(async () => system?.stop());

const ASSETS = ['A', 'B', 'C'];
const MU = [0.08, 0.1, 0.12];
const COV = [[0.04, 0.006, 0.004], [0.006, 0.09, 0.012], [0.004, 0.012, 0.16]];

/** A seeded walk of returns, so the test needs no randomness. */
function series(seed: number, length: number): number[] {
  let x = seed;
  return Array.from({ length }, () => {
    x = (x * 1103515245 + 12345) % 2147483648;
    return (x / 2147483648 - 0.5) * 0.04;
  });
}

type Optimised = { runId: string; workflowId: string; kind: string; computeMs: number; weights: Record<string, number>; volatility: number; sharpe: number };

describe('analytics over HTTP, each run a workflow', () => {
  it('when a max Sharpe portfolio is asked for, then the answer is the domain\'s, and the run is a completed workflow', async () => {
    const body = { assets: ASSETS, expectedReturns: MU, covariance: COV, objective: 'max_sharpe', riskFreeRate: 0.02, constraints: { maxWeight: 0.6 } };
    const res = await viewer<Optimised>('POST', '/v1/analytics/optimize', body);
    expect(res.status).toBe(200);
    const domain = createOptimiser(await loadHighs()).optimise({ ...body, objective: 'max_sharpe' });
    for (const a of ASSETS) expect(res.body.weights[a]).toBeCloseTo(domain.weights[a]!, 10);
    expect(res.body.sharpe).toBeCloseTo(domain.sharpe!, 10);
    expect(res.body.workflowId).toBe(`analytics-${res.body.runId}`);
    const described = await system.client.workflow.getHandle(res.body.workflowId).describe();
    expect(described.status.name).toBe('COMPLETED');
  });

  it('when a consensus is asked for, then its weights are the average of its members\' and an efficient frontier has the points asked for', async () => {
    const res = await viewer<{ weights: Record<string, number>; members: Array<{ weights: Record<string, number> }> }>('POST', '/v1/analytics/optimize', {
      assets: ASSETS, expectedReturns: MU, covariance: COV, objective: 'consensus', objectives: ['min_variance', 'max_sharpe'],
    });
    expect(res.status).toBe(200);
    for (const a of ASSETS) expect(res.body.weights[a]).toBeCloseTo((res.body.members[0]!.weights[a]! + res.body.members[1]!.weights[a]!) / 2, 12);
    const frontier = await viewer<{ points: Array<{ volatility: number }> }>('POST', '/v1/analytics/efficient-frontier', { assets: ASSETS, expectedReturns: MU, covariance: COV, points: 5 });
    expect(frontier.body.points).toHaveLength(5);
  });

  it('when performance is asked for, then the metrics are the domain\'s', async () => {
    const returns = series(7, 300);
    const res = await viewer<{ metrics: Record<string, number> }>('POST', '/v1/analytics/performance', { returns, riskFreeRate: 0.01 });
    expect(res.status).toBe(200);
    const domain = performanceMetrics(returns, { riskFreeRate: 0.01 });
    expect(res.body.metrics.sharpe).toBeCloseTo(domain.sharpe!, 12);
    expect(res.body.metrics.maxDrawdown).toBeCloseTo(domain.maxDrawdown!, 12);
  });

  it('when a large input is sent (300 assets × 300 days), then it travels by reference and the answer comes back', async () => {
    const assets = Array.from({ length: 300 }, (_, i) => `S${i}`);
    const returns = assets.map((_, i) => series(i + 11, 300));
    const weights = assets.map(() => 1 / assets.length);
    const res = await viewer<{ runId: string; volatility: number; var: Record<string, Record<string, number>>; contributions: Record<string, unknown> }>('POST', '/v1/analytics/risk', { assets, returns, weights, includeCorrelation: true });
    expect(res.status).toBe(200);
    expect(res.body.volatility).toBeGreaterThan(0);
    expect(Object.keys(res.body.contributions)).toHaveLength(300);
    const stored = await system.db('analytics_payloads').whereIn('id', [`${res.body.runId}:input`, `${res.body.runId}:result`]).select('id');
    expect(stored.map((r: { id: string }) => r.id).sort()).toEqual([`${res.body.runId}:input`, `${res.body.runId}:result`]);
  });

  it('when a portfolio is named, then its holdings and stored closes are the input', async () => {
    const { body: created } = await apiClient(system.baseUrl, KEYS.admin)<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'analytics', initialCash: '100000' });
    await system.db('positions').insert([
      { portfolio_id: created.portfolioId, symbol: 'AAPL', quantity: '100', average_cost: '100', realized_pnl: '0' },
      { portfolio_id: created.portfolioId, symbol: 'MSFT', quantity: '50', average_cost: '300', realized_pnl: '0' },
    ]);
    const res = await viewer<{ volatility: number; contributions: Record<string, unknown>; observations: number }>('POST', '/v1/analytics/risk', { portfolioId: created.portfolioId, lookbackDays: 120 });
    expect(res.status).toBe(200);
    expect(Object.keys(res.body.contributions).sort()).toEqual(['AAPL', 'MSFT']);
    expect(res.body.observations).toBe(120);
    const outside = await apiClient(system.baseUrl, 'scoped-viewer-key')('POST', '/v1/analytics/risk', { portfolioId: created.portfolioId });
    expect(outside.status).toBe(404);
    // The run itself: its result for those who see the portfolio, nothing for others.
    const run = (res.body as unknown as { runId: string }).runId;
    expect((await viewer<{ volatility: number }>('GET', `/v1/analytics/runs/${run}`)).body.volatility).toBe(res.body.volatility);
    expect((await apiClient(system.baseUrl, 'scoped-viewer-key')('GET', `/v1/analytics/runs/${run}`)).status).toBe(404);
    // The run names its portfolio where the gateway and the Temporal UI look for it.
    const described = await system.client.workflow.getHandle(analyticsWorkflowId(run)).describe();
    expect([described.memo?.portfolioId, described.typedSearchAttributes.get(PORTFOLIO_ID_ATTRIBUTE)]).toEqual([created.portfolioId, created.portfolioId]);
  });

  it.each([
    ['bounds that cannot sum to 1', { assets: ASSETS, expectedReturns: MU, covariance: COV, objective: 'min_variance', constraints: { maxWeight: 0.2 } }, 400, 'upper bounds sum to 0.6'],
    ['a sector cap no portfolio can meet', { assets: ASSETS, expectedReturns: MU, covariance: COV, objective: 'min_variance', constraints: { sectors: { A: 'Tech', B: 'Tech', C: 'Tech' }, maxSectorWeight: 0.5 } }, 422, 'INFEASIBLE_CONSTRAINTS'],
    ['an asymmetric covariance', { assets: ASSETS, expectedReturns: MU, covariance: [[0.04, 0.1, 0], [0, 0.09, 0], [0, 0, 0.16]], objective: 'min_variance' }, 400, 'covariance'],
    ['a covariance that is not positive semi-definite', { assets: ['A', 'B'], expectedReturns: [0.1, 0.1], covariance: [[0.01, 0.05], [0.05, 0.01]], objective: 'min_variance' }, 400, 'covariance'],
    ['expected returns for the wrong number of assets', { assets: ASSETS, expectedReturns: [0.1], covariance: COV, objective: 'max_sharpe' }, 400, 'expectedReturns'],
    ['an unknown objective', { assets: ASSETS, expectedReturns: MU, covariance: COV, objective: 'max_happiness' }, 400, 'objective'],
    ['a target return for max_return missing', { assets: ASSETS, expectedReturns: MU, covariance: COV, objective: 'max_return' }, 400, 'targetVolatility'],
  ])('when the optimiser is sent %s, then it is refused naming the problem', async (_name, body, status, mention) => {
    const res = await viewer('POST', '/v1/analytics/optimize', body);
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body)).toContain(mention);
  });

  it('when a stress scenario shocks an asset and a sector, then each position takes its own shock; a shock naming neither, or scenarios on one series, is refused naming it', async () => {
    const returns = [[0.01, -0.02, 0.015, 0.003], [0.02, 0.01, -0.01, 0.004], [-0.01, 0.005, 0.02, -0.003]];
    const book = { assets: ['AAA', 'BBB', 'CCC'], returns, weights: [0.5, 0.3, 0.2], sectors: { AAA: 'Tech', BBB: 'Tech', CCC: 'Energy' } };
    const stressed = await viewer<{ stress: Array<{ name: string; byAsset: Array<{ asset: string; shock: number }> }> }>('POST', '/v1/analytics/risk', {
      ...book, scenarios: [{ name: 'tech sell-off', shocks: { Tech: -0.2, AAA: -0.3 } }],
    });
    expect(stressed.status).toBe(200);
    expect(Object.fromEntries(stressed.body.stress[0]!.byAsset.map((a) => [a.asset, a.shock]))).toEqual({ AAA: -0.3, BBB: -0.2, CCC: 0 });

    const unknown = await viewer('POST', '/v1/analytics/risk', { ...book, scenarios: [{ name: 'typo', shocks: { Tehc: -0.2 } }] });
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain('scenarios[0].shocks.Tehc');

    const oneSeries = await viewer('POST', '/v1/analytics/risk', { returns: returns[0], scenarios: [{ name: 'crash', shocks: { AAA: -0.2 } }] });
    expect(oneSeries.status).toBe(400);
    expect(JSON.stringify(oneSeries.body)).toContain('scenarios');
  });

  it('when a consensus or an efficient frontier is sent bounds that cannot sum to 1, then it is a 400 as for a single objective', async () => {
    for (const [path, body] of [
      ['/v1/analytics/optimize', { assets: ASSETS, expectedReturns: MU, covariance: COV, objective: 'consensus', constraints: { maxWeight: 0.2 } }],
      ['/v1/analytics/efficient-frontier', { assets: ASSETS, expectedReturns: MU, covariance: COV, points: 5, constraints: { maxWeight: 0.2 } }],
    ] as const) {
      const res = await viewer('POST', path, body);
      expect([path, res.status]).toEqual([path, 400]);
      expect(JSON.stringify(res.body)).toContain('upper bounds sum to 0.6');
    }
  });

  it('when an attribution is asked for, then allocation, selection and interaction add up to the active return', async () => {
    const holding = (id: string, weight: number, ret: number, sector: string) => ({ id, weight, return: ret, groups: { sector } });
    const res = await viewer<{ allocation: number; selection: number; interaction: number; activeReturn: number }>('POST', '/v1/analytics/attribution', {
      groupBy: 'sector', method: 'brinson-hood-beebower',
      periods: [{ portfolio: [holding('A', 0.6, 0.05, 'Tech'), holding('B', 0.4, 0.01, 'Energy')], benchmark: [holding('A', 0.5, 0.04, 'Tech'), holding('B', 0.5, 0.02, 'Energy')] }],
    });
    expect(res.status).toBe(200);
    expect(res.body.allocation + res.body.selection + res.body.interaction).toBeCloseTo(res.body.activeReturn, 12);
  });

  it('when a risk budget is evaluated, then each entity shows its utilisation', async () => {
    const res = await viewer<{ entities: Array<{ id: string; utilisation: number }> }>('POST', '/v1/analytics/risk-budget', {
      entities: [{ id: 'trend', weight: 0.5, returns: series(3, 250) }, { id: 'carry', weight: 0.5, returns: series(5, 250) }],
      budget: { metric: 'volatility', totalBudget: 0.2 },
    });
    expect(res.status).toBe(200);
    expect(JSON.stringify(res.body)).toContain('utilisation');
  });

  it.each([
    ['a forged signature', (json: string) => ({ inputDigest: sha256(json), signature: 'A'.repeat(43) })],
    ['an input swapped after signing', (json: string) => ({ inputDigest: sha256(`${json} `), signature: 'A'.repeat(43) })],
  ])('when an analytics run is started on Temporal directly with %s, then the activity refuses it and audits the refusal', async (_name, forge) => {
    const runId = randomUUID();
    const json = JSON.stringify({ returns: [0.01, 0.02, -0.01] });
    const command = { runId, kind: 'performance', input: { json }, requestedBy: 'mallory', issuedAt: new Date().toISOString(), ...forge(json) };
    const handle = await system.client.workflow.start('analyticsWorkflow', { workflowId: `analytics-${runId}`, taskQueue: system.taskQueue, args: [command] });
    await expect(handle.result()).rejects.toThrow();
    const audit = await system.db('audit_log').where({ action: 'command.refused', entity_type: 'analytics', entity_id: runId }).first<{ principal: string }>();
    expect(audit?.principal).toBe('mallory');
  });

  it('when no key is given, then 401; when the kind is unknown, then 404', async () => {
    expect((await apiClient(system.baseUrl, null)('POST', '/v1/analytics/performance', { returns: [0.01, 0.02] })).status).toBe(401);
    expect((await viewer('POST', '/v1/analytics/astrology', {})).status).toBe(404);
  });

  describe('stored risk budgets', () => {
    const admin = () => apiClient(system.baseUrl, KEYS.admin);
    type Evaluated = { riskBudget: { id: string }; entities: Array<{ id: string; utilisation: number; allocated: number }>; portfolio: { utilisation: number } };

    it('when a budget over a portfolio\'s sectors is stored and evaluated, then its holdings become the entities', async () => {
      const { body: created } = await admin()<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'budgeted', initialCash: '100000' });
      await system.db('positions').insert([
        { portfolio_id: created.portfolioId, symbol: 'AAPL', quantity: '100', average_cost: '100', realized_pnl: '0' },
        { portfolio_id: created.portfolioId, symbol: 'MSFT', quantity: '30', average_cost: '300', realized_pnl: '0' },
        { portfolio_id: created.portfolioId, symbol: 'JPM', quantity: '50', average_cost: '150', realized_pnl: '0' },
      ]);
      const stored = await admin()<{ id: string; budget: Record<string, unknown> }>('POST', '/v1/risk-budgets', {
        name: 'sector VaR', portfolioId: created.portfolioId, entityType: 'sector', lookbackDays: 120, budget: { metric: 'var_95', totalBudget: 0.02 },
      });
      expect(stored.status).toBe(201);
      expect((await viewer<{ riskBudgets: Array<{ id: string }> }>('GET', '/v1/risk-budgets')).body.riskBudgets.map((b) => b.id)).toContain(stored.body.id);
      const evaluated = await viewer<Evaluated>('POST', `/v1/risk-budgets/${stored.body.id}/evaluate`, {});
      expect(evaluated.status).toBe(200);
      expect(evaluated.body.riskBudget.id).toBe(stored.body.id);
      expect(evaluated.body.entities.map((e) => e.id).sort()).toEqual(['Financials', 'Technology']);
      expect(evaluated.body.entities.reduce((sum, e) => sum + e.allocated, 0)).toBeCloseTo(0.02, 12);
      // Out of scope: the budget is not there for them.
      expect((await apiClient(system.baseUrl, 'scoped-viewer-key')('GET', `/v1/risk-budgets/${stored.body.id}`)).status).toBe(404);
    });

    it('when a budget without a portfolio is evaluated, then the entities come with the request', async () => {
      const stored = await admin()<{ id: string }>('POST', '/v1/risk-budgets', { name: 'strategies', budget: { metric: 'volatility', totalBudget: 0.15, allocation: { type: 'custom', custom: { trend: 0.75, carry: 0.25 } } } });
      const evaluated = await viewer<Evaluated>('POST', `/v1/risk-budgets/${stored.body.id}/evaluate`, {
        entities: [{ id: 'trend', weight: 0.5, returns: series(3, 250) }, { id: 'carry', weight: 0.5, returns: series(5, 250) }],
      });
      expect([evaluated.status, evaluated.status === 200 ? '' : JSON.stringify(evaluated.body)]).toEqual([200, '']);
      const allocated = Object.fromEntries(evaluated.body.entities.map((e) => [e.id, e.allocated]));
      expect(allocated.trend! / allocated.carry!).toBeCloseTo(3, 12);
      expect((await viewer('POST', `/v1/risk-budgets/${stored.body.id}/evaluate`, {})).status).toBe(400);
    });

    it.each([
      [{ name: 'x', budget: { metric: 'var_42' } }, 'metric'],
      [{ name: 'x', budget: { totalBudget: -1 } }, 'totalBudget'],
      [{ name: 'x', entityType: 'galaxy' }, 'entityType'],
      [{ name: 'x', budget: { allocation: { type: 'custom', custom: { a: 2, b: 1 } } } }, 'allocation.custom'],
      [{ budget: {} }, 'name'],
    ])('when a budget is stored with %j, then 400 names %s', async (body, field) => {
      const res = await admin()('POST', '/v1/risk-budgets', body);
      expect(res.status).toBe(400);
      expect(JSON.stringify(res.body)).toContain(field);
    });

    it('when a viewer stores a budget, then 403', async () => {
      expect((await viewer('POST', '/v1/risk-budgets', { name: 'x' })).status).toBe(403);
    });
  });
});
