import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WorkflowFailedError } from '@temporalio/client';
import { queueWebhookEvents } from '../../src/adapters/db/webhook-deliveries.repository';
import { verifyWebhook } from '../../src/adapters/webhooks/webhook-signature';
import { OUTBOX_SWEEP_INTERVAL_MS } from '../../workers/webhook-outbox-sweep';
import { dailyRiskScheduleId } from '../../src/contracts/daily-risk-contracts';
import { addDays } from '../../src/domain/daily-risk';
import { apiClient, KEYS, startTestSystem, waitForOrderStatus, type TestSystem } from '../support/test-system';

/** The daily risk run end to end: snapshots, latched halts, backfill, re-runs, a failing portfolio, signed webhooks. */
const WEBHOOK_SECRET = 'test-webhook-secret-0123456789';
const DAY = '2025-06-16'; // a Monday
let system: TestSystem;
let admin: ReturnType<typeof apiClient>;
let trader: ReturnType<typeof apiClient>;
let receiver: Server;
let webhookUrl: string;
/** The receiver answers 503 this many times before it accepts again (a receiver's outage). */
let refuseNext = 0;
const received: Array<{ headers: { timestamp: string | undefined; signature: string | undefined; event: string | undefined }; body: string }> = [];

beforeAll(async () => {
  receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (c: Buffer) => (body += c.toString('utf8')));
    req.on('end', () => {
      if (refuseNext > 0) {
        refuseNext--;
        res.writeHead(503).end();
        return;
      }
      received.push({ headers: { timestamp: req.headers['x-riskflow-timestamp'] as string | undefined, signature: req.headers['x-riskflow-signature'] as string | undefined, event: req.headers['x-riskflow-event'] as string | undefined }, body });
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
  const port = (receiver.address() as AddressInfo).port;
  webhookUrl = `http://127.0.0.1:${port}/riskflow`;
  system = await startTestSystem('e2e-daily-risk', {
    env: { RISKFLOW_WEBHOOK_URLS: webhookUrl, RISKFLOW_WEBHOOK_SECRET: WEBHOOK_SECRET, DAILY_RISK_CONCURRENCY: '4', DAILY_RISK_LOOKBACK_DAYS: '60' },
  });
  admin = apiClient(system.baseUrl, KEYS.admin);
  trader = apiClient(system.baseUrl, KEYS.trader);
  await admin('PUT', '/v1/quotes/AAPL', { bid: '99.99', ask: '100.01', last: '100' });
  // Closes near 100 for three months of weekdays, then a 10 % fall on DAY.
  await system.db('price_history').whereIn('symbol', ['AAPL', 'MSFT']).delete();
  const rows: Array<{ symbol: string; date: string; close: string }> = [];
  for (let date = addDays(DAY, -100), i = 0; date < DAY; date = addDays(date, 1)) {
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    // The Friday before DAY closes at exactly 100.
    const close = date === addDays(DAY, -3) ? '100' : (100 + 2 * Math.sin(i++ * 1.3)).toFixed(2);
    rows.push({ symbol: 'AAPL', date, close }, { symbol: 'MSFT', date, close });
  }
  rows.push({ symbol: 'AAPL', date: DAY, close: '90' }, { symbol: 'MSFT', date: DAY, close: '100' });
  await system.db('price_history').insert(rows).onConflict(['symbol', 'date']).merge();
  // A zero close: MSFT's series cannot be analysed, so a portfolio holding it fails its check.
  await system.db('price_history').where({ symbol: 'MSFT', date: addDays(DAY, -7) }).update({ close: '0' });
}, 90_000);
afterAll(async () => {
  await system?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
});

async function newPortfolio(name: string): Promise<string> {
  const res = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name, initialCash: '100000' });
  expect(res.status).toBe(201);
  return res.body.portfolioId;
}
type Decided = { orderId: string; status: string; decision: { approved: boolean; reasons: Array<{ code: string }> } };
const order = (portfolioId: string, side: 'BUY' | 'SELL', quantity: string) => trader<Decided>('POST', '/v1/orders', { portfolioId, symbol: 'AAPL', side, quantity });
const codes = (r: { body: Decided }) => r.body.decision.reasons.map((x) => x.code);
type RunBody = { status: string; dates: Array<{ date: string; checked: number; breached: Array<{ portfolioId: string; kinds: string[]; stateAfter: string }>; failed: Array<{ portfolioId: string; error: string }> }> };
const run = (body: Record<string, unknown>) => admin<RunBody>('POST', '/v1/risk/daily-checks/run', body);

async function waitFor<T>(probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 100));
  }
}

describe('the daily risk run', () => {
  let halted: string;

  it('when a day\'s loss is beyond the limit, then the portfolio is HALTED (latched), orders are denied TRADING_HALTED and the signed webhook arrives', async () => {
    halted = await newPortfolio('loses');
    const bought = await order(halted, 'BUY', '100');
    expect(await waitForOrderStatus(system.db, bought.body.orderId, ['FILLED'])).toBe('FILLED');
    expect((await admin('PATCH', `/v1/portfolios/${halted}/risk-limits`, { maxDailyLoss: '500' })).status).toBe(200);

    const res = await run({ date: DAY, portfolioIds: [halted] });
    expect(res.status).toBe(200);
    expect(res.body.status).toBe('COMPLETED');
    expect(res.body.dates).toEqual([expect.objectContaining({ date: DAY, checked: 1, failed: [], breached: [{ portfolioId: halted, kinds: ['DAILY_LOSS'], stateAfter: 'HALTED' }] })]);

    const state = await admin('GET', `/v1/portfolios/${halted}/trading-state`);
    expect(state.body).toMatchObject({ state: 'HALTED', changedBy: 'daily-risk' });
    expect(codes(await order(halted, 'BUY', '1'))).toEqual(['TRADING_HALTED']);
    expect(codes(await order(halted, 'SELL', '1'))).toEqual(['TRADING_HALTED']);

    const snapshot = await system.db('risk_snapshots').where({ portfolio_id: halted }).first<{ daily_pnl: string; trading_state: string }>();
    expect(Number(snapshot?.daily_pnl)).toBe(-1000); // 100 shares × (90 − 100)
    expect(snapshot?.trading_state).toBe('HALTED');
    const audit = await system.db('audit_log').where({ entity_id: halted }).whereIn('action', ['risk.breach', 'trading-state.changed']).orderBy('id').pluck('action');
    expect(audit).toEqual(['risk.breach', 'trading-state.changed']);

    // The receiver gets the breach and the state change, each signed over timestamp and body.
    const breach = await waitFor(() => received.find((r) => r.headers.event === 'risk.breach' && r.body.includes(halted)));
    expect(verifyWebhook(WEBHOOK_SECRET, breach.headers, breach.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(verifyWebhook('another-secret-0123456789', breach.headers, breach.body, Math.floor(Date.now() / 1000))).toBe(false);
    expect(verifyWebhook(WEBHOOK_SECRET, breach.headers, breach.body.replace('DAILY_LOSS', 'DAILY_GAIN'), Math.floor(Date.now() / 1000))).toBe(false);
    expect(JSON.parse(breach.body)).toMatchObject({ type: 'risk.breach', data: { portfolioId: halted, date: DAY, kind: 'DAILY_LOSS', observed: '1000', limit: '500', action: 'HALTED' } });
    const changed = await waitFor(() => received.find((r) => r.headers.event === 'trading-state.changed' && r.body.includes(halted)));
    expect(JSON.parse(changed.body).data).toMatchObject({ before: 'ACTIVE', after: 'HALTED' });
    const deliveries = await system.db('webhook_deliveries').where('body', 'like', `%${halted}%`).pluck('status');
    expect(deliveries.length).toBe(2);
  });

  it('when the day is run again, then its snapshot is replaced (not duplicated) and nothing is acted on or alerted twice', async () => {
    const before = await system.db('risk_snapshots').where({ portfolio_id: halted, as_of_date: DAY }).first<{ run_id: string }>();
    const res = await run({ date: DAY, portfolioIds: [halted] });
    expect(res.status).toBe(200);
    const rows = await system.db('risk_snapshots').where({ portfolio_id: halted, as_of_date: DAY }).select<Array<{ run_id: string }>>('run_id');
    expect(rows).toHaveLength(1);
    expect(rows[0]!.run_id).not.toBe(before!.run_id);
    expect(await system.db('risk_breaches').where({ portfolio_id: halted }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1' }]);
    expect(await system.db('webhook_deliveries').where('body', 'like', `%${halted}%`).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '2' }]);
  });

  it('when an admin lowers the state to REDUCING, then reducing orders pass and buys do not; a re-run keeps it; only the admin\'s reset restores ACTIVE', async () => {
    expect((await admin('POST', `/v1/portfolios/${halted}/trading-state`, { state: 'REDUCING', reason: 'loss reviewed: unwind only' })).status).toBe(200);
    const sell = await order(halted, 'SELL', '10');
    expect(sell.body.decision.approved).toBe(true);
    expect(codes(await order(halted, 'BUY', '1'))).toEqual(['TRADING_REDUCING']);
    await run({ date: DAY, portfolioIds: [halted] });
    expect((await admin('GET', `/v1/portfolios/${halted}/trading-state`)).body).toMatchObject({ state: 'REDUCING', changedBy: 'demo-admin' });

    const reset = await admin('POST', `/v1/portfolios/${halted}/trading-state`, { state: 'ACTIVE', reason: 'risk officer reset after review' });
    expect(reset.body).toMatchObject({ state: 'ACTIVE', changedBy: 'demo-admin', reason: 'risk officer reset after review' });
    expect((await order(halted, 'BUY', '1')).body.decision.approved).toBe(true);
    const last = await system.db('audit_log').where({ entity_id: halted, action: 'trading-state.changed' }).orderBy('id', 'desc').first<{ principal: string; details: Record<string, unknown> }>();
    expect(last).toMatchObject({ principal: 'demo-admin', details: expect.objectContaining({ before: 'REDUCING', after: 'ACTIVE', reason: 'risk officer reset after review' }) });
  });

  it('when three dates are backfilled, then there are three snapshots, each naming its portfolio and date', async () => {
    const quiet = await newPortfolio('quiet');
    const res = await run({ from: addDays(DAY, -4), to: DAY, portfolioIds: [quiet] }); // Thu, Fri, (weekend), Mon
    expect(res.status).toBe(200);
    expect(res.body.dates.map((d) => d.date)).toEqual([addDays(DAY, -4), addDays(DAY, -3), DAY]);
    const listed = await admin<{ snapshots: Array<{ portfolioId: string; date: string; equity: string }> }>('GET', `/v1/risk/snapshots?portfolioId=${quiet}&from=${addDays(DAY, -10)}&to=${DAY}`);
    expect(listed.status).toBe(200);
    expect(listed.body.snapshots.map((s) => [s.portfolioId, s.date, s.equity])).toEqual([
      [quiet, addDays(DAY, -4), '100000'], [quiet, addDays(DAY, -3), '100000'], [quiet, DAY, '100000'],
    ]);
    const report = await admin<{ latest: { date: string }; trend: Array<{ date: string }> }>('GET', `/v1/portfolios/${quiet}/risk-report`);
    expect(report.body.latest.date).toBe(DAY);
    expect(report.body.trend.map((t) => t.date)).toEqual([addDays(DAY, -4), addDays(DAY, -3), DAY]);
  });

  it('when one portfolio\'s data cannot be analysed, then it is reported failed and the others are checked', async () => {
    const broken = await newPortfolio('broken');
    const fine = await newPortfolio('fine');
    await system.db('positions').insert({ portfolio_id: broken, symbol: 'MSFT', quantity: '10', average_cost: '100', realized_pnl: '0' });
    const res = await run({ date: DAY, portfolioIds: [broken, fine] });
    expect(res.status).toBe(200);
    const [day] = res.body.dates;
    expect(day?.checked).toBe(1);
    expect(day?.failed).toEqual([{ portfolioId: broken, error: expect.stringContaining('finite') }]);
    expect(await system.db('risk_snapshots').where({ portfolio_id: fine, as_of_date: DAY }).count<Array<{ count: string }>>('* as count')).toEqual([{ count: '1' }]);
  });

  it('when an admin sets a VaR budget with the action HALTED, then GET shows the settings and a run over budget halts with VAR_BUDGET', async () => {
    const id = await newPortfolio('var');
    await system.db('positions').insert({ portfolio_id: id, symbol: 'AAPL', quantity: '100', average_cost: '100', realized_pnl: '0' });
    const put = await admin('PUT', `/v1/portfolios/${id}/daily-risk-settings`, { maxVar95Pct: '0.00001', actions: { VAR_BUDGET: 'HALTED' } });
    expect(put.status).toBe(200);
    expect((await apiClient(system.baseUrl, KEYS.viewer)('GET', `/v1/portfolios/${id}/daily-risk-settings`)).body).toMatchObject({
      portfolioId: id, maxVar95Pct: '0.00001', maxDrawdownPct: null, actions: { VAR_BUDGET: 'HALTED' }, stopOutLimit: null,
    });
    const res = await run({ date: addDays(DAY, -3), portfolioIds: [id] });
    expect(res.body.dates[0]?.breached).toEqual([{ portfolioId: id, kinds: ['VAR_BUDGET'], stateAfter: 'HALTED' }]);
    expect((await admin('PUT', `/v1/portfolios/${id}/daily-risk-settings`, { maxVar95Pct: '2' })).status).toBe(400);
    expect((await admin('PUT', `/v1/portfolios/${id}/daily-risk-settings`, { actions: { DAILY_LOSS: 'PANIC' } })).status).toBe(400);
    expect((await trader('PUT', `/v1/portfolios/${id}/daily-risk-settings`, {})).status).toBe(403);
  });

  it('when a benchmark and a risk budget are set, then the snapshot holds the beta-adjusted exposure and the budget\'s utilisation, and a violation alerts RISK_BUDGET', async () => {
    const id = await newPortfolio('budgeted');
    await system.db('positions').insert({ portfolio_id: id, symbol: 'AAPL', quantity: '100', average_cost: '100', realized_pnl: '0', strategy_id: 'trend' });
    // SPY closes exactly as AAPL did: AAPL's beta to it is 1.
    const aapl = await system.db('price_history').where({ symbol: 'AAPL' }).where('date', '<=', DAY).select<Array<{ date: string; close: string }>>('date', 'close');
    await system.db('price_history').insert(aapl.map((r) => ({ symbol: 'SPY', date: r.date, close: r.close }))).onConflict(['symbol', 'date']).merge();
    const put = await admin('PUT', `/v1/portfolios/${id}/daily-risk-settings`, { benchmarkSymbol: 'SPY', minObservations: 30 });
    expect(put.body).toMatchObject({ benchmarkSymbol: 'SPY', minObservations: 30 });
    const created = await admin<{ id: string }>('POST', '/v1/risk-budgets', {
      name: 'strategy VaR', portfolioId: id, entityType: 'strategy', budget: { metric: 'var_95', totalBudget: 0.0001 },
    });
    expect(created.status).toBe(201);

    const res = await run({ date: DAY, portfolioIds: [id] });
    expect(res.body.dates[0]?.breached).toEqual([{ portfolioId: id, kinds: ['RISK_BUDGET'], stateAfter: 'ACTIVE' }]);
    type Risk = { betaAdjustedExposure: { benchmark: string; observations: number; betas: Record<string, number>; net: number };
      riskBudgets: Array<{ id: string; name: string; utilisation: number; entities: Array<{ id: string }> }>; notes: string[] };
    const report = await admin<{ latest: { risk: Risk; breaches: Array<{ kind: string; message: string }> }; trend: Array<{ betaAdjustedNet: number }> }>('GET', `/v1/portfolios/${id}/risk-report`);
    const { risk, breaches } = report.body.latest;
    expect(risk.betaAdjustedExposure).toMatchObject({ benchmark: 'SPY', observations: 60 });
    expect(risk.betaAdjustedExposure.betas.AAPL).toBeCloseTo(1, 9);
    expect(risk.betaAdjustedExposure.net).toBeCloseTo(9000 / 109000, 9); // 100 × 90 of equity: cash 100,000 (the position was put in place) + 9,000
    expect(report.body.trend.at(-1)?.betaAdjustedNet).toBeCloseTo(risk.betaAdjustedExposure.net, 12);
    expect(risk.riskBudgets).toEqual([expect.objectContaining({ id: created.body.id, name: 'strategy VaR', entities: [expect.objectContaining({ id: 'trend' })] })]);
    expect(risk.riskBudgets[0]!.utilisation).toBeGreaterThan(1.2);
    expect(breaches).toEqual([expect.objectContaining({ kind: 'RISK_BUDGET', message: expect.stringContaining('risk budget strategy VaR (var_95)') })]);

    const refused: Array<[Record<string, unknown>, number, string]> = [
      [{ benchmarkSymbol: 'NOPE' }, 422, 'benchmarkSymbol'], [{ benchmarkSymbol: 'spy' }, 400, 'benchmarkSymbol'], [{ minObservations: 1 }, 400, 'minObservations'],
    ];
    for (const [body, status, field] of refused) {
      const bad = await admin('PUT', `/v1/portfolios/${id}/daily-risk-settings`, body);
      expect([bad.status, JSON.stringify(bad.body)]).toEqual([status, expect.stringContaining(field)]);
    }
  });

  it('when an admin changes a trading state or engages the kill switch, then the receiver gets each change, signed', async () => {
    const id = await newPortfolio('admin-changes');
    expect((await admin('POST', `/v1/portfolios/${id}/trading-state`, { state: 'REDUCING', reason: 'desk review' })).status).toBe(200);
    const reduced = await waitFor(() => received.find((r) => r.headers.event === 'trading-state.changed' && r.body.includes(id) && r.body.includes('desk review')));
    expect(verifyWebhook(WEBHOOK_SECRET, reduced.headers, reduced.body, Math.floor(Date.now() / 1000))).toBe(true);
    expect(JSON.parse(reduced.body).data).toMatchObject({ portfolioId: id, before: 'ACTIVE', after: 'REDUCING', reason: 'desk review', changedBy: 'demo-admin' });

    expect((await admin('POST', '/v1/kill-switch', { portfolioId: id, reason: 'runaway' })).status).toBe(200);
    const killed = await waitFor(() => received.find((r) => r.headers.event === 'trading-state.changed' && r.body.includes(id) && r.body.includes('kill switch: runaway')));
    expect(JSON.parse(killed.body).data).toMatchObject({ before: 'REDUCING', after: 'HALTED' });
    // Setting the state it already has announces nothing new.
    await admin('POST', `/v1/portfolios/${id}/pause`, { reason: 'already halted' });
    await new Promise((r) => setTimeout(r, 500));
    expect(received.filter((r) => r.body.includes(id) && r.body.includes('already halted'))).toEqual([]);
  });

  it('when a change was committed with its webhook but the hand-off to a delivery workflow was lost (a crash), then the worker\'s outbox sweep delivers it', async () => {
    const eventId = `lost-hand-off-${Date.now()}`;
    // What the gateway commits with a state change, and then (here: never) hands to a workflow.
    const [deliveryId] = await system.db.transaction((trx) => queueWebhookEvents(trx, [{ id: eventId, type: 'trading-state.changed', payload: { note: 'queued, never handed over' } }], [webhookUrl]));
    // Younger than the sweep's grace it is left to whoever queued it.
    await new Promise((r) => setTimeout(r, OUTBOX_SWEEP_INTERVAL_MS + 1_000));
    expect(received.filter((r) => r.body.includes(eventId))).toEqual([]);
    await system.db('webhook_deliveries').where({ id: deliveryId }).update({ created_at: system.db.raw("now() - interval '2 minutes'") });
    const delivered = await waitFor(() => received.find((r) => r.body.includes(eventId)), 3 * OUTBOX_SWEEP_INTERVAL_MS);
    expect(verifyWebhook(WEBHOOK_SECRET, delivered.headers, delivered.body, Math.floor(Date.now() / 1000))).toBe(true);
    // Delivered, once: a later sweep finds nothing unattempted, and the hand-off's workflow id is the delivery's.
    expect(await system.db('webhook_deliveries').where({ id: deliveryId }).first()).toMatchObject({ status: 'DELIVERED', attempts: 1 });
    expect(received.filter((r) => r.body.includes(eventId))).toHaveLength(1);
  }, 90_000);

  it('when a stop-out starts a cooldown and the cooldown ends, then each change of state arrives at once as a signed trading-state.changed webhook', async () => {
    const id = await newPortfolio('cooldown-announced');
    await system.db('daily_risk_settings').insert({ portfolio_id: id, stop_out_limit: 1, stop_out_lookback_minutes: 60, cooldown_minutes: 1, updated_by: 'test' });
    // A stop-out two minutes ago: its one-minute cooldown is over, so the workflow releases it at once.
    const result = await system.client.workflow.execute('stopOutWorkflow', {
      workflowId: `stop-out-${id}`, taskQueue: system.taskQueue, args: [{ portfolioId: id, symbol: 'AAPL', at: new Date(Date.now() - 120_000).toISOString(), orderId: `stop-${id}` }],
    }) as { cooldownUntil: string | null; released: boolean };
    expect(result).toMatchObject({ released: true });
    // Long before the outbox sweep's one-minute grace: the activity handed them on itself.
    const changes = await waitFor(() => {
      const found = received.filter((r) => r.body.includes(id) && r.headers.event === 'trading-state.changed');
      return found.length === 2 ? found : undefined;
    }, 20_000);

    const data = changes.map((c) => (JSON.parse(c.body) as { data: { before: string; after: string; changedBy: string } }).data);
    expect(data).toEqual(expect.arrayContaining([
      expect.objectContaining({ portfolioId: id, before: 'ACTIVE', after: 'REDUCING', changedBy: 'protection:cooldown' }),
      expect.objectContaining({ portfolioId: id, before: 'REDUCING', after: 'ACTIVE', changedBy: 'protection:cooldown' }),
    ]));
    for (const c of changes) expect(verifyWebhook(WEBHOOK_SECRET, c.headers, c.body, Math.floor(Date.now() / 1000))).toBe(true);
  }, 60_000);

  it('when a breach latches a state and the portfolio asks for de-risking proposals, then the run proposes a plan that waits for approval and, approved, sells through the halt', async () => {
    const id = await newPortfolio('de-risked');
    await system.db('positions').insert({ portfolio_id: id, symbol: 'AAPL', quantity: '100', average_cost: '100', realized_pnl: '0' });
    await admin('PATCH', `/v1/portfolios/${id}/risk-limits`, { maxDailyLoss: '500' });
    expect((await admin('PUT', `/v1/portfolios/${id}/daily-risk-settings`, { deRiskingScale: '0.5' })).body).toMatchObject({ deRiskingScale: '0.5' });
    // The day's quote: the plan is priced at it.
    await admin('PUT', '/v1/quotes/AAPL', { bid: '89.99', ask: '90.01', last: '90' });
    try {
      const res = await run({ date: DAY, portfolioIds: [id] });
      const [day] = res.body.dates as Array<RunBody['dates'][number] & { proposed?: Array<{ portfolioId: string; rebalanceId: string }> }>;
      expect(day?.breached).toEqual([{ portfolioId: id, kinds: ['DAILY_LOSS'], stateAfter: 'HALTED' }]);
      expect(day?.proposed).toEqual([{ portfolioId: id, rebalanceId: expect.any(String) }]);
      const rebalanceId = day!.proposed![0]!.rebalanceId;
      let plan = await admin<{ status: string; planVersion: string; requestedBy: string; plan: { legs: Array<{ symbol: string; side: string; quantity: string }> } }>('GET', `/v1/rebalances/${rebalanceId}`);
      for (let i = 0; i < 100 && plan.body.status !== 'PENDING_APPROVAL'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        plan = await admin('GET', `/v1/rebalances/${rebalanceId}`);
      }
      expect(plan.body.status).toBe('PENDING_APPROVAL');
      expect(plan.body.plan.legs.map((l) => [l.symbol, l.side])).toEqual([['AAPL', 'SELL']]);
      const sold = Number(plan.body.plan.legs[0]!.quantity);
      expect(sold).toBeGreaterThanOrEqual(50); // half the position's weight at least
      // A re-run of the day proposes nothing new.
      expect((await run({ date: DAY, portfolioIds: [id] })).body.dates[0]).not.toHaveProperty('proposed');

      const approved = await apiClient(system.baseUrl, KEYS.approver)('POST', `/v1/rebalances/${rebalanceId}/approve`, { planVersion: plan.body.planVersion });
      expect(approved.status).toBe(200);
      const ended = await system.client.workflow.getHandle(`rebalance-${rebalanceId}`).result() as { status: string };
      expect(ended.status).toBe('COMPLETED');
      expect(Number((await system.db('positions').where({ portfolio_id: id, symbol: 'AAPL' }).first<{ quantity: string }>('quantity'))!.quantity)).toBe(100 - sold);
      expect((await admin<{ state: string }>('GET', `/v1/portfolios/${id}/trading-state`)).body.state).toBe('HALTED');
    } finally {
      await admin('PUT', '/v1/quotes/AAPL', { bid: '99.99', ask: '100.01', last: '100' });
    }
  });

  it('when the receiver is down at first, then the webhook is retried with backoff until it is delivered, and the run does not wait for it', async () => {
    const id = await newPortfolio('receiver-down');
    await system.db('positions').insert({ portfolio_id: id, symbol: 'AAPL', quantity: '100', average_cost: '100', realized_pnl: '0' });
    await admin('PATCH', `/v1/portfolios/${id}/risk-limits`, { maxDailyLoss: '500' });
    refuseNext = 2;
    const res = await run({ date: DAY, portfolioIds: [id] });
    expect(res.body.status).toBe('COMPLETED');
    const deadline = Date.now() + 30_000;
    let deliveries: Array<{ status: string; attempts: number }> = [];
    while (Date.now() < deadline) {
      deliveries = await system.db('webhook_deliveries').where('body', 'like', `%${id}%`).select('status', 'attempts');
      if (deliveries.length === 2 && deliveries.every((d) => d.status === 'DELIVERED')) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(deliveries.map((d) => d.status)).toEqual(['DELIVERED', 'DELIVERED']);
    // Two refusals, then each delivered: four attempts in all.
    expect(deliveries.reduce((sum, d) => sum + d.attempts, 0)).toBe(4);
  });

  const badRuns: Array<[string, Record<string, unknown>, string]> = [
    ['an impossible date', { date: '2025-02-30' }, 'date'],
    ['from without to', { from: DAY }, 'to'],
    ['to before from', { from: DAY, to: addDays(DAY, -1) }, 'to'],
    ['a date and a range', { date: DAY, from: DAY, to: DAY }, 'date'],
    ['a backfill longer than a run covers', { from: '2020-01-01', to: '2026-01-01' }, 'to'],
    ['an unknown field', { when: DAY }, 'body'],
  ];
  it.each(badRuns)('when a run is asked with %s, then 400 names %s', async (_name, body, field) => {
    const res = await run(body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(`"field":"${field}"`);
  });

  it('when a trader asks for a run, then 403; a viewer reads snapshots but gets 404 for a report without one', async () => {
    expect((await trader('POST', '/v1/risk/daily-checks/run', {})).status).toBe(403);
    const viewer = apiClient(system.baseUrl, KEYS.viewer);
    const none = await newPortfolio('none');
    expect((await viewer('GET', `/v1/portfolios/${none}/risk-report`)).status).toBe(404);
    expect((await viewer('GET', '/v1/risk/snapshots?portfolioId=not-a-uuid')).status).toBe(400);
  });

  it('when a run is started on Temporal without the gateway\'s signature, then it is refused and audited', async () => {
    const handle = await system.client.workflow.start('dailyRiskWorkflow', {
      workflowId: `daily-risk-forged-${Date.now()}`, taskQueue: system.taskQueue,
      args: [{ runId: 'forged', requestedBy: 'mallory', issuedAt: new Date().toISOString(), signature: 'A'.repeat(43) }],
    });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    const refusal = await system.db('audit_log').where({ action: 'command.refused', entity_id: handle.workflowId }).first<{ principal: string }>();
    expect(refusal?.principal).toBe('mallory');
  });

  it('when the schedule is named, then it is daily-risk on the default queue and daily-risk@<queue> on another', () => {
    expect(dailyRiskScheduleId('riskflow-orders')).toBe('daily-risk');
    expect(dailyRiskScheduleId('tenant-b')).toBe('daily-risk@tenant-b');
  });
});
