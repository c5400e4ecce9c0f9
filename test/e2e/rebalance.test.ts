import { randomUUID } from 'node:crypto';
import { approveSignal, rebalanceWorkflowId, type RebalanceState } from '../../src/contracts/rebalance-contracts';
import { apiClient, KEYS, startTestSystem, waitForOrderStatus, type TestSystem } from '../support/test-system';

/** Rebalances end to end: plan, an approver's decision, every leg an order through the full order path. */
let system: TestSystem;
const trader = () => apiClient(system.baseUrl, KEYS.trader);
const approver = () => apiClient(system.baseUrl, KEYS.approver);
const admin = () => apiClient(system.baseUrl, KEYS.admin);

beforeAll(async () => {
  system = await startTestSystem('e2e-rebalance');
  await admin()('PUT', '/v1/quotes/AAPL', { bid: '99.99', ask: '100.01', last: '100' });
  await admin()('PUT', '/v1/quotes/MSFT', { bid: '199.98', ask: '200.02', last: '200' });
}, 60_000);
afterAll(async () => system?.stop());

/** A portfolio of 100 000 USD holding 300 AAPL (30 % of equity at 100). */
async function portfolio(): Promise<string> {
  const { body } = await admin()<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'rebalance', initialCash: '70000' });
  await system.db('positions').insert({ portfolio_id: body.portfolioId, symbol: 'AAPL', quantity: '300', average_cost: '100', realized_pnl: '0' });
  return body.portfolioId;
}

const start = async (portfolioId: string, extra: Record<string, unknown> = {}) =>
  trader()<RebalanceState>('POST', `/v1/portfolios/${portfolioId}/rebalances`, { method: { type: 'target-weights', targets: { AAPL: '0.1', MSFT: '0.2' } }, ...extra });

async function finalState(rebalanceId: string): Promise<RebalanceState> {
  return system.client.workflow.getHandle(rebalanceWorkflowId(rebalanceId)).result() as Promise<RebalanceState>;
}

describe('rebalance with human approval', () => {
  it('when a plan is approved by another person, then its legs trade sells first and the portfolio reaches its targets', async () => {
    const id = await portfolio();
    const started = await start(id);
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ status: 'PENDING_APPROVAL', planVersion: expect.stringMatching(/^sha256:/) });
    expect(started.body.plan!.legs.map((l) => [l.side, l.symbol])).toEqual([['SELL', 'AAPL'], ['BUY', 'MSFT']]);

    const approved = await approver()<RebalanceState>('POST', `/v1/rebalances/${started.body.rebalanceId}/approve`, { planVersion: started.body.planVersion, comment: 'ok' });
    expect(approved.status).toBe(200);
    const done = await finalState(started.body.rebalanceId);
    expect(done.status).toBe('COMPLETED');
    expect(done.legs.map((l) => [l.side, l.symbol, l.status])).toEqual([['SELL', 'AAPL', 'FILLED'], ['BUY', 'MSFT', 'FILLED']]);
    for (const leg of done.legs) expect(await waitForOrderStatus(system.db, leg.orderId!, ['FILLED'])).toBe('FILLED');
    const positions = await system.db('positions').where({ portfolio_id: id }).select<Array<{ symbol: string; quantity: string }>>('symbol', 'quantity');
    expect(Object.fromEntries(positions.map((p) => [p.symbol, Number(p.quantity)]))).toEqual({ AAPL: 100, MSFT: 100 });
    const stored = await approver()<RebalanceState>('GET', `/v1/rebalances/${started.body.rebalanceId}`);
    expect(stored.body).toMatchObject({ status: 'COMPLETED', decisions: [{ decision: 'approve', decidedBy: 'demo-approver', comment: 'ok' }] });
    // Each leg went to the venue once.
    const venue = await system.db('paper_orders').whereIn('client_order_id', (await system.db('orders').whereIn('id', done.legs.map((l) => l.orderId!)).pluck('broker_client_order_id')));
    expect(venue).toHaveLength(2);
  });

  it('when the requester approves their own plan, then 403; a stale version 409; a viewer 403', async () => {
    const id = await portfolio();
    const { body } = await admin()<RebalanceState>('POST', `/v1/portfolios/${id}/rebalances`, { method: { type: 'target-weights', targets: { AAPL: '0.1' } } });
    expect((await admin()('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion })).status).toBe(403);
    expect((await approver()('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: 'sha256:stale' })).status).toBe(409);
    expect((await apiClient(system.baseUrl, KEYS.viewer)('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion })).status).toBe(403);
    const rejected = await approver()<RebalanceState>('POST', `/v1/rebalances/${body.rebalanceId}/reject`, { reason: 'not today' });
    expect(rejected.status).toBe(200);
    expect((await finalState(body.rebalanceId))).toMatchObject({ status: 'REJECTED', reason: 'not today' });
    expect((await approver()('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion })).status).toBe(409);
  });

  it('when no one decides before the deadline, then the plan expires and nothing trades', async () => {
    const id = await portfolio();
    const { body } = await start(id, { approvalDeadlineSeconds: 1 });
    expect((await finalState(body.rebalanceId))).toMatchObject({ status: 'EXPIRED', legs: [] });
    expect(await system.db('orders').where({ portfolio_id: id })).toHaveLength(0);
    const late = await approver()<{ error: { code: string } }>('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion });
    expect([late.status, late.body.error.code]).toEqual([409, 'REBALANCE_NOT_PENDING']);
  });

  it('when prices move beyond the tolerance between the plan and its approval, then it is re-planned and needs approval again', async () => {
    const id = await portfolio();
    const { body } = await start(id);
    await admin()('PUT', '/v1/quotes/MSFT', { bid: '219.98', ask: '220.02', last: '220' });
    try {
      const answered = await approver()<RebalanceState>('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion });
      expect(answered.status).toBe(200);
      expect(answered.body).toMatchObject({ status: 'PENDING_APPROVAL', reason: expect.stringContaining('MSFT moved from 200') });
      expect(answered.body.planVersion).not.toBe(body.planVersion);
      expect(await system.db('orders').where({ portfolio_id: id })).toHaveLength(0);
      // The old version is refused; the new one trades.
      expect((await approver()('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion })).status).toBe(409);
      await approver()('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: answered.body.planVersion });
      expect((await finalState(body.rebalanceId)).status).toBe('COMPLETED');
    } finally {
      await admin()('PUT', '/v1/quotes/MSFT', { bid: '199.98', ask: '200.02', last: '200' });
    }
  });

  it('when it is a dry run, or nothing drifts, then it ends after planning', async () => {
    const id = await portfolio();
    expect((await start(id, { mode: 'dry_run' })).body.status).toBe('DRY_RUN');
    const none = await trader()<RebalanceState>('POST', `/v1/portfolios/${id}/rebalances`, { method: { type: 'target-weights', targets: { AAPL: '0.3' } } });
    expect(none.body.status).toBe('NO_ACTION_NEEDED');
  });

  it('when an approval arrives as a raw Temporal signal without the gateway\'s signature, then it is refused, audited, and the plan still waits', async () => {
    const id = await portfolio();
    const { body } = await start(id);
    const handle = system.client.workflow.getHandle(rebalanceWorkflowId(body.rebalanceId));
    await handle.signal(approveSignal, { rebalanceId: body.rebalanceId, decision: 'approve', planVersion: body.planVersion!, comment: null, decidedBy: 'mallory', issuedAt: new Date().toISOString(), signature: 'A'.repeat(43) });
    for (let i = 0; i < 50; i++) {
      if (await system.db('audit_log').where({ action: 'command.refused', entity_type: 'rebalance', entity_id: body.rebalanceId }).first()) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    expect(await system.db('audit_log').where({ action: 'command.refused', entity_type: 'rebalance', entity_id: body.rebalanceId }).first()).toMatchObject({ principal: 'mallory' });
    expect((await approver()<RebalanceState>('GET', `/v1/rebalances/${body.rebalanceId}`)).body.status).toBe('PENDING_APPROVAL');
    expect((await handle.describe()).status.name).toBe('RUNNING');
    // The gateway's signed approval is then acted on.
    const approved = await approver()<RebalanceState>('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion });
    expect(approved.status).toBe(200);
    expect((await finalState(body.rebalanceId)).status).toBe('COMPLETED');
  });

  it('when a leg is denied by the risk engine, then the buys after it are not sent and the rebalance ends PARTIALLY_EXECUTED', async () => {
    const id = await portfolio();
    await admin()('PATCH', `/v1/portfolios/${id}/risk-limits`, { allowedSymbols: ['AAPL'] });
    const { body } = await start(id);
    await approver()('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion });
    const done = await finalState(body.rebalanceId);
    expect(done.status).toBe('PARTIALLY_EXECUTED');
    expect(done.legs.map((l) => [l.side, l.symbol, l.status])).toEqual([['SELL', 'AAPL', 'FILLED'], ['BUY', 'MSFT', 'DENIED']]);
    expect(done.reason).toContain('MSFT');
  });

  it('when the first buy of two is denied midway, then the sell stays traded, the later buy is not sent, and the positions show exactly what traded', async () => {
    const id = await portfolio();
    await admin()('PUT', '/v1/quotes/JPM', { bid: '149.99', ask: '150.01', last: '150' });
    // Legs: SELL 200 AAPL, BUY 66 JPM (denied: not on the allow-list), BUY 100 MSFT (never sent).
    await admin()('PATCH', `/v1/portfolios/${id}/risk-limits`, { allowedSymbols: ['AAPL', 'MSFT'] });
    const { body } = await trader()<RebalanceState>('POST', `/v1/portfolios/${id}/rebalances`, { method: { type: 'target-weights', targets: { AAPL: '0.1', JPM: '0.1', MSFT: '0.2' } } });
    await approver()('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion });
    const done = await finalState(body.rebalanceId);
    expect(done.status).toBe('PARTIALLY_EXECUTED');
    expect(done.legs.map((l) => [l.side, l.symbol, l.status, l.filledQuantity])).toEqual([['SELL', 'AAPL', 'FILLED', '200'], ['BUY', 'JPM', 'DENIED', '0'], ['BUY', 'MSFT', 'NOT_SENT', '0']]);
    expect(done.reason).toMatch(/2 of 3 legs did not fill: BUY 66 JPM DENIED, BUY 100 MSFT NOT_SENT/);
    const positions = await system.db('positions').where({ portfolio_id: id }).whereNot('quantity', 0).select<Array<{ symbol: string; quantity: string }>>('symbol', 'quantity');
    expect(Object.fromEntries(positions.map((p) => [p.symbol, Number(p.quantity)]))).toEqual({ AAPL: 100 });
    expect(await system.db('orders').where({ portfolio_id: id }).pluck('symbol')).toEqual(expect.arrayContaining(['AAPL', 'JPM']));
    expect(await system.db('orders').where({ portfolio_id: id, symbol: 'MSFT' })).toHaveLength(0);
    // The recorded legs say the same.
    expect((await approver()<RebalanceState>('GET', `/v1/rebalances/${body.rebalanceId}`)).body.legs.map((l) => l.status)).toEqual(['FILLED', 'DENIED', 'NOT_SENT']);
  });

  it.each([
    [{ method: { type: 'target-weights', targets: { AAPL: '0.7', MSFT: '0.5' } } }, 'method.targets'],
    [{ method: { type: 'target-weights', targets: { AAPL: '0.5' } }, mode: 'auto' }, 'mode'],
    [{ method: { type: 'magic' } }, 'method'],
  ])('when a rebalance is asked for with %j, then 400 names %s', async (body, field) => {
    const res = await trader()('POST', `/v1/portfolios/${randomUUID()}/rebalances`, body);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain(field);
  });
});
