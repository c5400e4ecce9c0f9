import { randomUUID } from 'node:crypto';
import { rebalanceScheduleId, rebalanceWorkflowId, type RebalanceState, type ScheduledRebalanceCommand } from '../../src/contracts/rebalance-contracts';
import { apiClient, KEYS, startTestSystem, type TestSystem } from '../support/test-system';

/** Rebalance policies (two approvers, automatic mode) and stored target sets, end to end. */
let system: TestSystem;
const trader = () => apiClient(system.baseUrl, KEYS.trader);
const approver = () => apiClient(system.baseUrl, KEYS.approver);
const admin = () => apiClient(system.baseUrl, KEYS.admin);
const viewer = () => apiClient(system.baseUrl, KEYS.viewer);

beforeAll(async () => {
  system = await startTestSystem('e2e-rebalance-policy');
  await admin()('PUT', '/v1/quotes/AAPL', { bid: '99.99', ask: '100.01', last: '100' });
  await admin()('PUT', '/v1/quotes/MSFT', { bid: '199.98', ask: '200.02', last: '200' });
}, 60_000);
afterAll(async () => system?.stop());

/** A portfolio of 100 000 USD holding 300 AAPL (30 % of equity at 100). */
async function portfolio(): Promise<string> {
  const { body } = await admin()<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'rebalance-policy', initialCash: '70000' });
  await system.db('positions').insert({ portfolio_id: body.portfolioId, symbol: 'AAPL', quantity: '300', average_cost: '100', realized_pnl: '0' });
  return body.portfolioId;
}

/** AAPL 30 % → 10 %, MSFT 0 → 20 %: sell 200 AAPL (20 000), buy 100 MSFT (20 000): 40 000 gross. */
const start = async (portfolioId: string, extra: Record<string, unknown> = {}) =>
  trader()<RebalanceState>('POST', `/v1/portfolios/${portfolioId}/rebalances`, { method: { type: 'target-weights', targets: { AAPL: '0.1', MSFT: '0.2' } }, ...extra });

const finalState = (rebalanceId: string) => system.client.workflow.getHandle(rebalanceWorkflowId(rebalanceId)).result() as Promise<RebalanceState>;

async function holdings(portfolioId: string): Promise<Record<string, number>> {
  const rows = await system.db('positions').where({ portfolio_id: portfolioId }).select<Array<{ symbol: string; quantity: string }>>('symbol', 'quantity');
  return Object.fromEntries(rows.map((p) => [p.symbol, Number(p.quantity)]));
}

describe('rebalance policy', () => {
  it('when a plan is above twoApproversAbove, then it needs two distinct approvers, neither the requester, before it trades', async () => {
    const id = await portfolio();
    expect((await admin()('PUT', `/v1/portfolios/${id}/rebalance-policy`, { twoApproversAbove: '30000' })).status).toBe(200);
    const { body } = await start(id);
    expect(body).toMatchObject({ status: 'PENDING_APPROVAL', approvalsRequired: 2, reason: expect.stringContaining('two distinct approvers') });

    const first = await approver()<RebalanceState>('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion, comment: 'one' });
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ status: 'PENDING_APPROVAL', decisions: [{ decision: 'approve', decidedBy: 'demo-approver' }] });
    // The same approver again is not a second approval.
    const again = await approver()<{ error: { code: string } }>('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion });
    expect([again.status, again.body.error.code]).toEqual([409, 'ALREADY_APPROVED']);
    expect(await system.db('orders').where({ portfolio_id: id })).toHaveLength(0);

    const second = await admin()<RebalanceState>('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion, comment: 'two' });
    expect(second.status).toBe(200);
    const done = await finalState(body.rebalanceId);
    expect(done.status).toBe('COMPLETED');
    expect(done.decisions.map((d) => d.decidedBy)).toEqual(['demo-approver', 'demo-admin']);
    expect(await holdings(id)).toEqual({ AAPL: 100, MSFT: 100 });
  });

  it('when the requester is one of two approvers needed, then their approval is refused (four eyes) and one other approval is not enough', async () => {
    const id = await portfolio();
    await admin()('PUT', `/v1/portfolios/${id}/rebalance-policy`, { twoApproversAbove: '1000' });
    const { body } = await admin()<RebalanceState>('POST', `/v1/portfolios/${id}/rebalances`, { method: { type: 'target-weights', targets: { AAPL: '0.1' } } });
    expect(body.approvalsRequired).toBe(2);
    expect((await admin()('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion })).status).toBe(403);
    expect((await approver()<RebalanceState>('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion })).body.status).toBe('PENDING_APPROVAL');
    // A rejection by one approver ends it, even by one who approved before (second thoughts).
    expect((await approver()('POST', `/v1/rebalances/${body.rebalanceId}/reject`, { reason: 'second thoughts' })).status).toBe(200);
    expect(await finalState(body.rebalanceId)).toMatchObject({ status: 'REJECTED', reason: 'second thoughts', legs: [] });
  });

  it('when mode automatic is allowed and the plan is under the limits, then it trades without an approver, recorded as the policy\'s approval', async () => {
    const id = await portfolio();
    await admin()('PUT', `/v1/portfolios/${id}/rebalance-policy`, { automaticAllowed: true, automaticMaxTradedValue: '50000', automaticMaxCostPct: '0.5' });
    const started = await start(id, { mode: 'automatic' });
    expect(started.status).toBe(201);
    expect(started.body).toMatchObject({ approvalsRequired: 0, decisions: [{ decision: 'approve', decidedBy: 'policy:automatic' }] });
    expect(['APPROVED', 'EXECUTING', 'COMPLETED']).toContain(started.body.status);
    const done = await finalState(started.body.rebalanceId);
    expect(done.status).toBe('COMPLETED');
    expect(await holdings(id)).toEqual({ AAPL: 100, MSFT: 100 });
    const stored = await viewer()<RebalanceState>('GET', `/v1/rebalances/${started.body.rebalanceId}`);
    expect(stored.body.decisions).toMatchObject([{ decision: 'approve', decidedBy: 'policy:automatic', comment: expect.stringContaining('approved automatically') }]);
  });

  it.each([
    ['no policy', null, 'does not allow automatic mode'],
    ['a plan above the automatic limit', { automaticAllowed: true, automaticMaxTradedValue: '10000' }, 'above the automatic limit 10000'],
  ])('when mode automatic meets %s, then it falls back to manual approval with the reason stated', async (_name, policy, reason) => {
    const id = await portfolio();
    if (policy) await admin()('PUT', `/v1/portfolios/${id}/rebalance-policy`, policy);
    const { body } = await start(id, { mode: 'automatic' });
    expect(body).toMatchObject({ status: 'PENDING_APPROVAL', approvalsRequired: 1, decisions: [], reason: expect.stringContaining(reason) });
    await approver()('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion });
    expect((await finalState(body.rebalanceId)).status).toBe('COMPLETED');
  });

  it('when an admin puts a policy, then it is read back and audited; without one the defaults answer', async () => {
    const id = await portfolio();
    expect((await viewer()('GET', `/v1/portfolios/${id}/rebalance-policy`)).body).toMatchObject({ twoApproversAbove: null, automaticAllowed: false, respectMarketHours: false, updatedBy: null });
    await admin()('PUT', `/v1/portfolios/${id}/rebalance-policy`, { twoApproversAbove: '250000.5', respectMarketHours: true });
    expect((await viewer()('GET', `/v1/portfolios/${id}/rebalance-policy`)).body).toMatchObject({ twoApproversAbove: '250000.5', respectMarketHours: true, updatedBy: 'demo-admin' });
    expect(await system.db('audit_log').where({ action: 'rebalance-policy.changed', entity_id: id }).first()).toMatchObject({ principal: 'demo-admin' });
  });

  it.each([
    [KEYS.trader, { twoApproversAbove: '1000' }, 403, 'admin'],
    [KEYS.admin, { automaticAllowed: true }, 400, 'automaticMaxTradedValue'],
    [KEYS.admin, { twoApproversAbove: '-5' }, 400, 'twoApproversAbove'],
    [KEYS.admin, { automaticMaxCostPct: '150' }, 400, 'automaticMaxCostPct'],
    [KEYS.admin, { unknown: true }, 400, 'unknown'],
  ])('when a policy is put with key %s and %j, then %i naming %s', async (key, body, status, named) => {
    const id = await portfolio();
    const res = await apiClient(system.baseUrl, key)('PUT', `/v1/portfolios/${id}/rebalance-policy`, body);
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body)).toContain(named);
  });

  it('when a policy is put for a portfolio that does not exist, then 404', async () => {
    expect((await admin()('PUT', `/v1/portfolios/${randomUUID()}/rebalance-policy`, {})).status).toBe(404);
  });
});

describe('stored target sets', () => {
  it('when targets with bands are stored, then method stored plans from them and an asset inside its band is not traded', async () => {
    const id = await portfolio();
    const put = await trader()('PUT', `/v1/portfolios/${id}/targets`, { assets: { AAPL: { target: '0.1', min: '0.05', max: '0.15' }, MSFT: { target: '0.2', min: '0.15', max: '0.25' } } });
    expect(put.status).toBe(200);
    expect((await viewer()('GET', `/v1/portfolios/${id}/targets`)).body).toMatchObject({ targets: { assets: { AAPL: { target: '0.1', min: '0.05', max: '0.15' } } }, updatedBy: 'demo-trader' });
    const { body } = await trader()<RebalanceState>('POST', `/v1/portfolios/${id}/rebalances`, { method: { type: 'stored' } });
    expect(body.status).toBe('PENDING_APPROVAL');
    expect(body.plan!.legs.map((l) => [l.side, l.symbol, l.quantity])).toEqual([['SELL', 'AAPL', '200'], ['BUY', 'MSFT', '100']]);
    await approver()('POST', `/v1/rebalances/${body.rebalanceId}/approve`, { planVersion: body.planVersion });
    expect((await finalState(body.rebalanceId)).status).toBe('COMPLETED');
    expect(await holdings(id)).toEqual({ AAPL: 100, MSFT: 100 });

    // AAPL at 10 % inside a new band 5–25 % (target 20 %), MSFT at 20 % inside 15–25 %: nothing to do.
    await trader()('PUT', `/v1/portfolios/${id}/targets`, { assets: { AAPL: { target: '0.2', min: '0.05', max: '0.25' }, MSFT: { target: '0.2', min: '0.15', max: '0.25' } } });
    expect((await trader()<RebalanceState>('POST', `/v1/portfolios/${id}/rebalances`, { method: { type: 'stored' } })).body.status).toBe('NO_ACTION_NEEDED');
    expect(await system.db('audit_log').where({ action: 'rebalance-targets.changed', entity_id: id })).toHaveLength(2);
  });

  it('when strategy bands are stored, then they are read back with their thresholds', async () => {
    const id = await portfolio();
    const put = await trader()('PUT', `/v1/portfolios/${id}/targets`, { strategies: { trend_following: { target: '0.3', min: '0.2', max: '0.4' } } });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({ targets: { strategies: { trend_following: { target: '0.3', min: '0.2', max: '0.4', threshold: '0.05' } } } });
  });

  it('when no target set is stored, then method stored is 422 and GET targets 404', async () => {
    const id = await portfolio();
    const res = await trader()<{ error: { code: string } }>('POST', `/v1/portfolios/${id}/rebalances`, { method: { type: 'stored' } });
    expect([res.status, res.body.error.code]).toEqual([422, 'NO_STORED_TARGETS']);
    expect((await viewer()('GET', `/v1/portfolios/${id}/targets`)).status).toBe(404);
  });

  it.each([
    [KEYS.trader, { assets: { AAPL: { target: '0.3', min: '0.35', max: '0.4' } } }, 400, 'min ≤ target ≤ max'],
    [KEYS.trader, { assets: { AAPL: { target: '0.3', min: '0.2' } } }, 400, 'min and max together'],
    [KEYS.trader, { assets: { AAPL: { target: '0.7' }, MSFT: { target: '0.5' } } }, 400, 'at most 1'],
    [KEYS.trader, { assets: { AAPL: { target: '1.5' } } }, 400, 'between 0 and 1'],
    [KEYS.trader, { assets: {} }, 400, 'at least one'],
    [KEYS.trader, { assets: { AAPL: { target: '0.1' } }, strategies: {} }, 400, 'assets'],
    [KEYS.viewer, { assets: { AAPL: { target: '0.1' } } }, 403, 'trader'],
    ['demo-fund-trader-key', { assets: { AAPL: { target: '0.1' } } }, 404, 'portfolio'],
  ])('when targets are put with key %s and %j, then %i naming %s', async (key, body, status, named) => {
    const id = await portfolio();
    const res = await apiClient(system.baseUrl, key)('PUT', `/v1/portfolios/${id}/targets`, body);
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body)).toContain(named);
  });
});

describe('optimizer method', () => {
  it('when the optimiser is asked for min variance over AAPL and MSFT, then its weights (of equity less the cash buffer) become the plan\'s targets', async () => {
    const id = await portfolio();
    const { body } = await trader()<RebalanceState>('POST', `/v1/portfolios/${id}/rebalances`, {
      mode: 'dry_run', method: { type: 'optimizer', objective: 'min_variance', symbols: ['MSFT'], lookbackDays: 120 },
    });
    expect(body.status).toBe('DRY_RUN');
    const assets = body.plan!['assets'] as Array<{ symbol: string; targetWeight: string }>;
    expect(assets.map((a) => a.symbol)).toEqual(['AAPL', 'MSFT']);
    const total = assets.reduce((s, a) => s + Number(a.targetWeight), 0);
    expect(total).toBeGreaterThan(0.979);
    expect(total).toBeLessThanOrEqual(0.98);
    for (const a of assets) expect(Number(a.targetWeight)).toBeGreaterThan(0);
  });

  it.each([
    ['infeasible constraints', { objective: 'min_variance', symbols: ['MSFT'], constraints: { maxWeight: 0.3 } }, 'infeasible'],
    ['too little history', { objective: 'max_sharpe', symbols: ['MSFT'], lookbackDays: 5000 }, null],
  ])('when the optimiser meets %s, then the plan is FAILED with the reason', async (_name, method, reason) => {
    const id = await portfolio();
    if (reason === null) await system.db('price_history').where({ symbol: 'MSFT' }).whereNotIn('date', system.db('price_history').where({ symbol: 'MSFT' }).orderBy('date', 'desc').limit(10).select('date')).delete();
    const { body } = await trader()<RebalanceState>('POST', `/v1/portfolios/${id}/rebalances`, { method: { type: 'optimizer', ...method } });
    expect(body.status).toBe('FAILED');
    expect(body.reason).toMatch(reason ?? /share \d+ daily returns.*at least 20/);
    expect(await system.db('orders').where({ portfolio_id: id })).toHaveLength(0);
  });

  it('when the objective is not offered, then 400 names it', async () => {
    const res = await trader()('POST', `/v1/portfolios/${randomUUID()}/rebalances`, { method: { type: 'optimizer', objective: 'black_litterman' } });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('objective');
  });
});

describe('rebalance schedules', () => {
  const scheduleOf = (id: string) => system.client.schedule.getHandle(rebalanceScheduleId(id));
  async function rebalancesOf(portfolioId: string, count: number, statuses: readonly string[]): Promise<RebalanceState[]> {
    for (let i = 0; i < 200; i++) {
      const { body } = await viewer()<{ rebalances: RebalanceState[] }>('GET', `/v1/rebalances?portfolioId=${portfolioId}`);
      if (body.rebalances.length >= count && body.rebalances.every((r) => statuses.includes(r.status))) return [...body.rebalances].reverse();
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`no ${count} rebalances in ${statuses.join('/')} for ${portfolioId}`);
  }

  it('when a schedule is put and fires, then it proposes a plan that waits for an approver; deleted, it is gone', async () => {
    const id = await portfolio();
    const put = await trader()<{ scheduleId: string; nextRuns: string[] }>('PUT', `/v1/portfolios/${id}/rebalance-schedule`, {
      calendar: { hour: [16], minute: [30], dayOfWeek: ['FRIDAY'] }, timeZone: 'America/New_York', method: { type: 'target-weights', targets: { AAPL: '0.1', MSFT: '0.2' } },
    });
    expect(put.status).toBe(200);
    expect(put.body.scheduleId).toBe(rebalanceScheduleId(id));
    expect(put.body.nextRuns.length).toBeGreaterThan(0);
    expect(new Date(put.body.nextRuns[0]!).getUTCDay()).toBe(5);
    expect((await viewer()('GET', `/v1/portfolios/${id}/rebalance-schedule`)).body).toMatchObject({ definition: { timeZone: 'America/New_York', mode: 'manual' }, updatedBy: 'demo-trader' });

    await scheduleOf(id).trigger();
    const [proposed] = await rebalancesOf(id, 1, ['PENDING_APPROVAL']);
    expect((await system.db('rebalances').where({ id: proposed!.rebalanceId }).first()).requested_by).toBe('demo-trader');
    await approver()('POST', `/v1/rebalances/${proposed!.rebalanceId}/approve`, { planVersion: proposed!.planVersion });
    expect((await finalState(proposed!.rebalanceId)).status).toBe('COMPLETED');

    expect((await trader()('DELETE', `/v1/portfolios/${id}/rebalance-schedule`)).status).toBe(204);
    expect((await viewer()('GET', `/v1/portfolios/${id}/rebalance-schedule`)).status).toBe(404);
    await expect(scheduleOf(id).describe()).rejects.toThrow();
    expect((await trader()('DELETE', `/v1/portfolios/${id}/rebalance-schedule`)).status).toBe(404);
  });

  it('when a schedule spreads the move over two DCA tranches (automatic under the policy), then each tranche trades half and together they reach the targets', async () => {
    const id = await portfolio();
    await admin()('PUT', `/v1/portfolios/${id}/rebalance-policy`, { automaticAllowed: true, automaticMaxTradedValue: '50000' });
    await trader()('PUT', `/v1/portfolios/${id}/targets`, { assets: { AAPL: { target: '0.1' }, MSFT: { target: '0.2' } } });
    const put = await trader()('PUT', `/v1/portfolios/${id}/rebalance-schedule`, { calendar: { hour: [3] }, timeZone: 'UTC', mode: 'automatic', dca: { tranches: 2, intervalSeconds: 1 } });
    expect(put.status).toBe(200);
    await scheduleOf(id).trigger();
    const [first, second] = await rebalancesOf(id, 2, ['COMPLETED']);
    expect(first!.legs.map((l) => [l.side, l.symbol, l.quantity])).toEqual([['SELL', 'AAPL', '100'], ['BUY', 'MSFT', '50']]);
    // The second tranche plans the rest from the books: the first one's fees (10 bp) left equity a little
    // below 100 000, so MSFT's 20 % is 99.9… shares and the lot rounding (toward less trading) buys 49.
    expect(second!.legs.map((l) => [l.side, l.symbol, l.quantity])).toEqual([['SELL', 'AAPL', '100'], ['BUY', 'MSFT', '49']]);
    expect(await holdings(id)).toEqual({ AAPL: 100, MSFT: 99 });
    await trader()('DELETE', `/v1/portfolios/${id}/rebalance-schedule`);
  }, 60_000);

  it('when a schedule\'s command is forged (started on Temporal without the gateway\'s signature), then it is refused and audited, and nothing is planned', async () => {
    const id = await portfolio();
    const forged: ScheduledRebalanceCommand = {
      scheduleId: rebalanceScheduleId(id), portfolioId: id, mode: 'automatic', method: { type: 'target-weights', targets: { AAPL: '0' } }, settings: {},
      approvalDeadlineSeconds: 60, dca: null, requestedBy: 'mallory', issuedAt: new Date().toISOString(), signature: 'A'.repeat(43),
    };
    const handle = await system.client.workflow.start('scheduledRebalanceWorkflow', { workflowId: `forged-${randomUUID()}`, taskQueue: system.taskQueue, args: [forged] });
    await expect(handle.result()).rejects.toThrow();
    expect(await system.db('audit_log').where({ action: 'command.refused', principal: 'mallory' }).first()).toBeTruthy();
    expect(await system.db('rebalances').where({ portfolio_id: id })).toHaveLength(0);
  });

  /** The signed command the portfolio's Temporal Schedule starts its runs with. */
  const scheduledCommand = async (id: string) => {
    const { action } = await scheduleOf(id).describe();
    if (action.type !== 'startWorkflow') throw new Error('not a workflow schedule');
    return action.args?.[0] as ScheduledRebalanceCommand;
  };
  const runLate = (command: ScheduledRebalanceCommand) =>
    system.client.workflow.start('scheduledRebalanceWorkflow', { workflowId: `late-${randomUUID()}`, taskQueue: system.taskQueue, args: [command] });
  const targets = (aapl: string) => ({ calendar: { hour: [3] }, timeZone: 'UTC', method: { type: 'target-weights', targets: { AAPL: aapl, MSFT: '0.2' } } });

  it('when a run of a deleted schedule starts late (its gateway-signed command intact), then it is refused and audited, and nothing is planned', async () => {
    const id = await portfolio();
    expect((await trader()('PUT', `/v1/portfolios/${id}/rebalance-schedule`, targets('0.1'))).status).toBe(200);
    const command = await scheduledCommand(id);
    expect((await trader()('DELETE', `/v1/portfolios/${id}/rebalance-schedule`)).status).toBe(204);

    await expect((await runLate(command)).result()).rejects.toThrow();
    const refused = await system.db('audit_log').where({ action: 'command.refused', principal: 'demo-trader' }).whereRaw(`details->>'reason' like ?`, [`%${id}%`]).first();
    expect(refused?.details.reason).toMatch(/no longer has rebalance schedule .* \(deleted\)/);
    expect(await system.db('rebalances').where({ portfolio_id: id })).toHaveLength(0);
  });

  it('when a schedule is put again, then a run of its previous command is refused, and the new one plans', async () => {
    const id = await portfolio();
    await trader()('PUT', `/v1/portfolios/${id}/rebalance-schedule`, targets('0.1'));
    const previous = await scheduledCommand(id);
    expect((await trader()('PUT', `/v1/portfolios/${id}/rebalance-schedule`, targets('0.15'))).status).toBe(200);
    expect((await viewer()<{ commandIssuedAt: string }>('GET', `/v1/portfolios/${id}/rebalance-schedule`)).body.commandIssuedAt).toBe((await scheduledCommand(id)).issuedAt);

    await expect((await runLate(previous)).result()).rejects.toThrow();
    const refused = await system.db('audit_log').where({ action: 'command.refused' }).whereRaw(`details->>'reason' like ?`, [`%${rebalanceScheduleId(id)} was put again%`]).first();
    expect(refused?.details.reason).toContain('previous version');
    expect(await system.db('rebalances').where({ portfolio_id: id })).toHaveLength(0);

    await scheduleOf(id).trigger();
    const [proposed] = await rebalancesOf(id, 1, ['PENDING_APPROVAL']);
    expect((proposed!.plan!['assets'] as Array<{ symbol: string; targetWeight: string }>).find((a) => a.symbol === 'AAPL')?.targetWeight).toBe('0.15');
    await trader()('DELETE', `/v1/portfolios/${id}/rebalance-schedule`);
  });

  it.each([
    [KEYS.trader, { calendar: { hour: [25] }, timeZone: 'UTC', method: { type: 'target-weights', targets: { AAPL: '0.1' } } }, 400, 'calendar.hour'],
    [KEYS.trader, { calendar: { hour: [3] }, timeZone: 'Mars/Olympus', method: { type: 'target-weights', targets: { AAPL: '0.1' } } }, 400, 'timeZone'],
    [KEYS.trader, { calendar: { hour: [3], dayOfWeek: ['FUNDAY'] }, timeZone: 'UTC', method: { type: 'target-weights', targets: { AAPL: '0.1' } } }, 400, 'dayOfWeek'],
    [KEYS.trader, { calendar: { hour: [3] }, timeZone: 'UTC', dca: { tranches: 1, intervalSeconds: 60 }, method: { type: 'target-weights', targets: { AAPL: '0.1' } } }, 400, 'dca.tranches'],
    [KEYS.trader, { calendar: { hour: [3] }, timeZone: 'UTC' }, 422, 'NO_STORED_TARGETS'],
    [KEYS.viewer, { calendar: { hour: [3] }, timeZone: 'UTC' }, 403, 'trader'],
  ])('when a schedule is put with key %s and %j, then %i naming %s', async (key, body, status, named) => {
    const id = await portfolio();
    const res = await apiClient(system.baseUrl, key)('PUT', `/v1/portfolios/${id}/rebalance-schedule`, body);
    expect(res.status).toBe(status);
    expect(JSON.stringify(res.body)).toContain(named);
  });
});
