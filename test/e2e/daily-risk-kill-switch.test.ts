import { randomUUID } from 'node:crypto';
import { WorkflowFailedError } from '@temporalio/client';
import { placeOrderSignedFields } from '../../src/contracts/command-signatures';
import type { PlaceOrderCommand } from '../../src/contracts/order-contracts';
import { apiClient, KEYS, startTestSystem, waitForOrderStatus, type TestSystem } from '../support/test-system';

/** The kill switch: a halt, the open orders cancelled at the paper venue, new orders denied, a risk-reducing exit still executed. */
const SCOPED_ADMIN_KEY = 'scoped-admin-key-kill';
let system: TestSystem;
let admin: ReturnType<typeof apiClient>;
let trader: ReturnType<typeof apiClient>;

beforeAll(async () => {
  system = await startTestSystem('e2e-kill-switch', { apiKeys: [{ key: SCOPED_ADMIN_KEY, principal: 'sam', roles: ['viewer', 'trader', 'admin'], portfolios: [] }] });
  admin = apiClient(system.baseUrl, KEYS.admin);
  trader = apiClient(system.baseUrl, KEYS.trader);
  await admin('PUT', '/v1/quotes/AAPL', { bid: '99.99', ask: '100.01', last: '100' });
}, 60_000);
afterAll(async () => system?.stop());

async function newPortfolio(accountId = 'paper'): Promise<string> {
  const res = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'kill', initialCash: '100000', accountId });
  expect(res.status).toBe(201);
  return res.body.portfolioId;
}
type Decided = { orderId: string; status: string; decision: { approved: boolean; reasons: Array<{ code: string }> } };
const codes = (r: { body: Decided }) => r.body.decision.reasons.map((x) => x.code);

/** What an exit workflow sends: a signed sell flagged as a risk-reducing exit. */
async function exitTranche(portfolioId: string, quantity: string) {
  const unsigned: Omit<PlaceOrderCommand, 'signature'> = {
    orderId: randomUUID(), portfolioId, clientRequestId: null, symbol: 'AAPL', side: 'SELL', type: 'MARKET', quantity, limitPrice: null,
    execute: true, requestedBy: 'exit-workflow', purpose: 'EXIT', issuedAt: new Date().toISOString(),
  };
  const command: PlaceOrderCommand = { ...unsigned, signature: system.deps.signer.sign('place-order', placeOrderSignedFields(unsigned)) };
  return { orderId: command.orderId, result: await system.deps.orderWorkflows.place(command) };
}

describe('the kill switch', () => {
  it('when a portfolio is killed, then its resting orders are cancelled at the venue, new orders are denied, and an exit tranche still executes', async () => {
    const id = await newPortfolio();
    const bought = await trader<Decided>('POST', '/v1/orders', { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: '100' });
    await waitForOrderStatus(system.db, bought.body.orderId, ['FILLED']);
    const resting = await trader<Decided>('POST', '/v1/orders', { portfolioId: id, symbol: 'AAPL', side: 'BUY', type: 'LIMIT', quantity: '5', limitPrice: '50' });
    await waitForOrderStatus(system.db, resting.body.orderId, ['WORKING']);

    const res = await admin<{ halted: { portfolios: Array<{ state: string }> }; orders: Array<{ orderId: string; outcome: string }> }>('POST', '/v1/kill-switch', { portfolioId: id, reason: 'runaway strategy' });
    expect(res.status).toBe(200);
    expect(res.body.halted.portfolios).toEqual([expect.objectContaining({ state: 'HALTED', reason: 'kill switch: runaway strategy', changedBy: 'demo-admin' })]);
    expect(res.body.orders).toEqual([expect.objectContaining({ orderId: resting.body.orderId, outcome: 'cancelled' })]);
    expect(await waitForOrderStatus(system.db, resting.body.orderId, ['CANCELLED'])).toBe('CANCELLED');
    const venue = await system.db('paper_orders as p').join('orders as o', 'o.broker_client_order_id', 'p.client_order_id').where('o.id', resting.body.orderId).first<{ status: string }>('p.status');
    expect(venue?.status).toBe('CANCELLED');

    expect(codes(await trader<Decided>('POST', '/v1/orders', { portfolioId: id, symbol: 'AAPL', side: 'BUY', quantity: '1' }))).toEqual(['TRADING_HALTED']);
    // A plain sell is stopped too: only an exit passes a halt.
    expect(codes(await trader<Decided>('POST', '/v1/orders', { portfolioId: id, symbol: 'AAPL', side: 'SELL', quantity: '10' }))).toEqual(['TRADING_HALTED']);

    const exit = await exitTranche(id, '50');
    expect(exit.result).toMatchObject({ kind: 'placed', progress: expect.objectContaining({ decision: expect.objectContaining({ approved: true }) }) });
    expect(await waitForOrderStatus(system.db, exit.orderId, ['FILLED'])).toBe('FILLED');
    expect(await system.db('orders').where({ id: exit.orderId }).first('purpose')).toEqual({ purpose: 'EXIT' });
    // An "exit" that would grow the position is no exit.
    const tooBig = await exitTranche(id, '51');
    expect(tooBig.result).toMatchObject({ kind: 'placed', progress: expect.objectContaining({ decision: expect.objectContaining({ approved: false }) }) });

    // The position's own exit workflow closes what is left, through the halt.
    const positionId = (await admin<{ positions: Array<{ positionId: string }> }>('GET', `/v1/portfolios/${id}`)).body.positions[0]!.positionId;
    expect((await trader('POST', `/v1/positions/${positionId}/close`)).status).toBe(202);
    const deadline = Date.now() + 20_000;
    let position = (await admin<{ status: string; exit: { status: string; tranches: Array<{ reason: string; filledQuantity: string }> } }>('GET', `/v1/positions/${positionId}`)).body;
    while (position.exit?.status !== 'CLOSED' && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 100));
      position = (await admin<typeof position>('GET', `/v1/positions/${positionId}`)).body;
    }
    expect(position.status).toBe('CLOSED');
    expect(position.exit.tranches.map((t) => [t.reason, Number(t.filledQuantity)])).toEqual([['MANUAL_CLOSE', 50]]);
    expect((await admin<{ state: string }>('GET', `/v1/portfolios/${id}/trading-state`)).body.state).toBe('HALTED');
  });

  it('when everything is killed, then every account is HALTED and every portfolio\'s orders are denied', async () => {
    await system.db('accounts').insert({ id: 'kill-all-account', name: 'k', kind: 'paper', broker: 'paper' });
    const other = await newPortfolio('kill-all-account');
    const res = await admin<{ halted: { accounts: Array<{ accountId: string; state: string }> } }>('POST', '/v1/kill-switch', { all: true, reason: 'market-wide halt' });
    expect(res.status).toBe(200);
    expect(res.body.halted.accounts.map((a) => [a.accountId, a.state])).toEqual(expect.arrayContaining([['paper', 'HALTED'], ['kill-all-account', 'HALTED']]));
    expect(codes(await trader<Decided>('POST', '/v1/orders', { portfolioId: other, symbol: 'AAPL', side: 'BUY', quantity: '1' }))).toEqual(['TRADING_HALTED']);
    for (const account of ['paper', 'kill-all-account']) await admin('POST', `/v1/accounts/${account}/trading-state`, { state: 'ACTIVE', reason: 'halt lifted' });
  });

  it('when a portfolio is paused and resumed, then its state follows with the reason', async () => {
    const id = await newPortfolio();
    expect((await admin('POST', `/v1/portfolios/${id}/pause`, { reason: 'strategy review' })).body).toMatchObject({ state: 'HALTED', reason: 'pause: strategy review' });
    expect((await admin('POST', `/v1/portfolios/${id}/resume`, { reason: 'review done' })).body).toMatchObject({ state: 'ACTIVE', reason: 'resume: review done' });
  });

  it('when an admin liquidates a portfolio, then a plan to all cash waits for approval and, approved, sells every position', async () => {
    const id = await newPortfolio();
    await system.db('positions').insert({ portfolio_id: id, symbol: 'AAPL', quantity: '30', average_cost: '90', realized_pnl: '0' });
    const res = await admin<{ rebalanceId: string; status: string; planVersion: string; plan: { legs: Array<{ symbol: string; side: string; quantity: string }> } }>('POST', `/v1/portfolios/${id}/liquidate`, { reason: 'wind down' });
    expect(res.status).toBe(201);
    expect(res.body.status).toBe('PENDING_APPROVAL');
    expect(res.body.plan.legs.map((l) => [l.symbol, l.side, l.quantity])).toEqual([['AAPL', 'SELL', '30']]);
    const approved = await apiClient(system.baseUrl, KEYS.approver)('POST', `/v1/rebalances/${res.body.rebalanceId}/approve`, { planVersion: res.body.planVersion });
    expect(approved.status).toBe(200);
    const deadline = Date.now() + 30_000;
    let held = '30';
    while (Date.now() < deadline && Number(held) !== 0) {
      held = (await system.db('positions').where({ portfolio_id: id, symbol: 'AAPL' }).first<{ quantity: string }>('quantity'))!.quantity;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(Number(held)).toBe(0);
    expect((await admin('POST', `/v1/portfolios/${await newPortfolio()}/liquidate`, { reason: 'empty' })).status).toBe(409);
    expect((await admin('POST', `/v1/portfolios/${id}/liquidate`, {})).status).toBe(400);
  });

  it('when a killed (HALTED) portfolio is liquidated, then the approved plan\'s legs pass the halt as exits and sell every position, and the halt stays', async () => {
    const id = await newPortfolio();
    await system.db('positions').insert({ portfolio_id: id, symbol: 'AAPL', quantity: '20', average_cost: '90', realized_pnl: '0' });
    expect((await admin('POST', '/v1/kill-switch', { portfolioId: id, reason: 'wind down after a breach' })).status).toBe(200);
    const res = await admin<{ rebalanceId: string; planVersion: string }>('POST', `/v1/portfolios/${id}/liquidate`, { reason: 'wind down' });
    expect(res.status).toBe(201);
    expect((await apiClient(system.baseUrl, KEYS.approver)('POST', `/v1/rebalances/${res.body.rebalanceId}/approve`, { planVersion: res.body.planVersion })).status).toBe(200);
    const outcome = await system.client.workflow.getHandle(`rebalance-${res.body.rebalanceId}`).result() as { status: string };
    expect(outcome.status).toBe('COMPLETED');
    expect(Number((await system.db('positions').where({ portfolio_id: id, symbol: 'AAPL' }).first<{ quantity: string }>('quantity'))!.quantity)).toBe(0);
    expect(await system.db('orders').where({ portfolio_id: id }).pluck('purpose')).toEqual(['EXIT']);
    expect((await admin<{ state: string }>('GET', `/v1/portfolios/${id}/trading-state`)).body.state).toBe('HALTED');
  });

  const refusals: Array<[string, string, Record<string, unknown>, number]> = [
    ['no scope', KEYS.admin, { reason: 'x' }, 400],
    ['two scopes', KEYS.admin, { all: true, accountId: 'paper', reason: 'x' }, 400],
    ['no reason', KEYS.admin, { all: true }, 400],
    ['all: false', KEYS.admin, { all: false, reason: 'x' }, 400],
    ['a trader', KEYS.trader, { all: true, reason: 'x' }, 403],
    ['an admin limited to some portfolios halting everything', SCOPED_ADMIN_KEY, { all: true, reason: 'x' }, 403],
    ['an unknown account', KEYS.admin, { accountId: 'nope', reason: 'x' }, 404],
  ];
  it.each(refusals)('when the kill switch is asked with %s (key %s, body %j), then it answers %s', async (_name, key, body, status) => {
    expect((await apiClient(system.baseUrl, key)('POST', '/v1/kill-switch', body)).status).toBe(status);
  });

  it('when a kill switch is started on Temporal without the gateway\'s signature, then it is refused and audited, and nothing is halted', async () => {
    const id = await newPortfolio();
    const killId = randomUUID();
    const handle = await system.client.workflow.start('killSwitchWorkflow', {
      workflowId: `kill-switch-${killId}`, taskQueue: system.taskQueue,
      args: [{ killId, scope: { portfolioId: id }, reason: 'forged', requestedBy: 'mallory', issuedAt: new Date().toISOString(), signature: 'A'.repeat(43) }],
    });
    await expect(handle.result()).rejects.toBeInstanceOf(WorkflowFailedError);
    expect(await system.db('audit_log').where({ action: 'command.refused', entity_id: handle.workflowId }).first('principal')).toEqual({ principal: 'mallory' });
    expect((await admin('GET', `/v1/portfolios/${id}/trading-state`)).body).toMatchObject({ state: 'ACTIVE' });
  });

  it('when the kill switch has answered, then its workflow holds the whole story in Temporal', async () => {
    const id = await newPortfolio();
    const res = await admin<{ killId: string; orders: unknown[] }>('POST', '/v1/kill-switch', { portfolioId: id, reason: 'drill' });
    const described = await system.client.workflow.getHandle(`kill-switch-${res.body.killId}`).describe();
    expect([described.type, described.status.name]).toEqual(['killSwitchWorkflow', 'COMPLETED']);
    expect(res.body.orders).toEqual([]);
    await admin('POST', `/v1/portfolios/${id}/trading-state`, { state: 'ACTIVE', reason: 'drill over' });
  });

  it('when an admin limited to some portfolios kills one outside them, then 404 and nothing is halted', async () => {
    const id = await newPortfolio();
    expect((await apiClient(system.baseUrl, SCOPED_ADMIN_KEY)('POST', '/v1/kill-switch', { portfolioId: id, reason: 'x' })).status).toBe(404);
    expect((await admin('GET', `/v1/portfolios/${id}/trading-state`)).body).toMatchObject({ state: 'ACTIVE' });
  });
});
