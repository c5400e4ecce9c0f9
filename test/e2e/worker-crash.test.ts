import type { ChildProcess } from 'node:child_process';
import { Decimal } from '../../src/domain/values/decimal';
import { apiClient, KEYS, startTestSystem, temporalAddress, waitForOrderStatus, type TestSystem } from '../support/test-system';
import { startWorkerProcess } from '../support/worker-process';

const FINAL = ['FILLED', 'DENIED', 'VALIDATED', 'CANCELLED', 'REJECTED'];

/** The real worker entry point as its own process, so it can be killed with SIGKILL. */
function startWorker(system: TestSystem): { child: ChildProcess; ready: Promise<void> } {
  return startWorkerProcess({
    TEMPORAL_ADDRESS: temporalAddress(), TEMPORAL_TASK_QUEUE: system.taskQueue, DATABASE_URL: system.databaseUrl,
    PAPER_FEE_BPS: '10', LOG_LEVEL: 'info', RISKFLOW_COMMAND_SIGNING_KEY: system.signingKey.toString('hex'),
  });
}

function exited(child: ChildProcess): Promise<void> {
  return child.exitCode !== null || child.signalCode !== null ? Promise.resolve() : new Promise((r) => child.once('exit', () => r()));
}

let system: TestSystem;
let worker: ChildProcess | undefined;
beforeAll(async () => {
  system = await startTestSystem('crash', { worker: false });
});
afterAll(async () => {
  if (worker && worker.exitCode === null) {
    worker.kill('SIGKILL');
    await exited(worker);
  }
  await system?.stop();
});

describe('worker crash', () => {
  it('when the worker is SIGKILLed with orders in flight and started again, then every order ends and none fills twice', async () => {
    const admin = apiClient(system.baseUrl, KEYS.admin);
    const trader = apiClient(system.baseUrl, KEYS.trader);
    const portfolio = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'crash', initialCash: '1000000' });
    const portfolioId = portfolio.body.portfolioId;
    await admin('PUT', `/v1/portfolios/${portfolioId}/risk-limits`, {
      maxOrderValue: '100000', maxPositionPctOfEquity: '1', maxOpenPositions: 10, maxGrossLeverage: '2', maxQuoteAgeSeconds: 3600,
    });

    const first = startWorker(system);
    worker = first.child;
    await first.ready;

    const symbols = ['AAPL', 'MSFT', 'JPM', 'XOM'];
    const total = 24;
    let answered = 0;
    const requests = Array.from({ length: total }, (_, i) =>
      trader<{ orderId: string; status: string }>('POST', '/v1/orders', {
        portfolioId, symbol: symbols[i % symbols.length], side: 'BUY', quantity: String(1 + (i % 3)), clientRequestId: `crash-${i}`,
      }).then((res) => {
        answered += 1;
        return res;
      }));

    // Kill once some orders have been answered but not all: the rest are mid-flight.
    const deadline = Date.now() + 60_000;
    while (answered < 4 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    expect(answered).toBeLessThan(total);
    worker.kill('SIGKILL');
    await exited(worker);

    const second = startWorker(system);
    worker = second.child;
    await second.ready;

    const responses = await Promise.all(requests);
    for (const res of responses) expect([200, 201]).toContain(res.status);
    const orderIds = [...new Set(responses.map((r) => r.body.orderId))];
    expect(orderIds).toHaveLength(total);
    for (const id of orderIds) await waitForOrderStatus(system.db, id, FINAL, 60_000);

    const orders = await system.db('orders').where({ portfolio_id: portfolioId }).select('id', 'status');
    expect(orders).toHaveLength(total);
    expect(orders.every((o: { status: string }) => o.status === 'FILLED')).toBe(true);
    const fills = await system.db('fills').where({ portfolio_id: portfolioId }).select('order_id', 'quantity', 'price', 'fee');
    expect(fills).toHaveLength(total);
    expect(new Set(fills.map((f: { order_id: string }) => f.order_id)).size).toBe(total);
    const venueExecutions = await system.db('paper_executions').whereIn('client_order_id', orders.map((o: { id: string }) => `order-${o.id}-leg1`));
    expect(venueExecutions).toHaveLength(total);

    const spent = fills.reduce((acc: Decimal, f: { quantity: string; price: string; fee: string }) =>
      acc.plus(new Decimal(f.quantity).times(f.price)).plus(f.fee), new Decimal(0));
    const cash = (await system.db('portfolios').where({ id: portfolioId }).first()).cash;
    expect(new Decimal(cash).toFixed()).toBe(new Decimal(1000000).minus(spent).toFixed());
  });

  it('when the worker is SIGKILLed twice while an approved rebalance executes and started again, then the plan completes and every leg reached the venue exactly once', async () => {
    const admin = apiClient(system.baseUrl, KEYS.admin);
    const { body: created } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'crash-rebalance', initialCash: '100000' });
    const portfolioId = created.portfolioId;
    await admin('PATCH', `/v1/portfolios/${portfolioId}/risk-limits`, { maxPositionPctOfEquity: '1', maxGrossLeverage: '2', maxQuoteAgeSeconds: 3600 });
    await system.db('positions').insert(['AAPL', 'MSFT', 'JPM'].map((symbol) => ({ portfolio_id: portfolioId, symbol, quantity: '60', average_cost: '100', realized_pnl: '0' })));
    if (worker === undefined || worker.exitCode !== null || worker.signalCode !== null) {
      const w = startWorker(system);
      worker = w.child;
      await w.ready;
    }
    const { body: started } = await apiClient(system.baseUrl, KEYS.trader)<{ rebalanceId: string; planVersion: string; plan: { legs: unknown[] } }>(
      'POST', `/v1/portfolios/${portfolioId}/rebalances`, { method: { type: 'target-weights', targets: { AAPL: '0.02', MSFT: '0.02', JPM: '0.02', XOM: '0.1', SPY: '0.1' } } });
    const legs = started.plan.legs.length;
    expect(legs).toBeGreaterThanOrEqual(5);
    expect((await apiClient(system.baseUrl, KEYS.approver)('POST', `/v1/rebalances/${started.rebalanceId}/approve`, { planVersion: started.planVersion })).status).toBe(200);

    // Kill right after the approval, and again a little later, mid-execution.
    for (const pause of [0, 400]) {
      await new Promise((r) => setTimeout(r, pause));
      worker!.kill('SIGKILL');
      await exited(worker!);
      const next = startWorker(system);
      worker = next.child;
      await next.ready;
    }
    const done = await system.client.workflow.getHandle(`rebalance-${started.rebalanceId}`).result() as { status: string; legs: Array<{ orderId: string; status: string }> };
    expect(done.status).toBe('COMPLETED');
    expect(done.legs.every((l) => l.status === 'FILLED')).toBe(true);
    const orderIds = done.legs.map((l) => l.orderId);
    expect(await system.db('orders').whereIn('id', orderIds)).toHaveLength(legs);
    const venueOrders = await system.db('paper_orders').whereIn('client_order_id', orderIds.map((id) => `order-${id}-leg1`));
    expect(venueOrders).toHaveLength(legs);
    const executions = await system.db('paper_executions').whereIn('client_order_id', orderIds.map((id) => `order-${id}-leg1`));
    expect(executions).toHaveLength(legs);
    const fills = await system.db('fills').whereIn('order_id', orderIds);
    expect(fills).toHaveLength(legs);
  }, 120_000);

  it('when the worker is SIGKILLed while an exit ladder is being sold and started again, then every tranche is sold exactly once and none is skipped', async () => {
    const admin = apiClient(system.baseUrl, KEYS.admin);
    const trader = apiClient(system.baseUrl, KEYS.trader);
    if (worker === undefined || worker.exitCode !== null || worker.signalCode !== null) {
      const w = startWorker(system);
      worker = w.child;
      await w.ready;
    }
    await admin('PUT', '/v1/instruments/CRASHX', { name: 'CRASHX', assetClass: 'EQUITY', currency: 'USD', tickSize: '0.01', lotSize: '1', sector: 'Energy' });
    const { body: created } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'crash-exit', initialCash: '100000' });
    const portfolioId = created.portfolioId;
    await admin('PATCH', `/v1/portfolios/${portfolioId}/risk-limits`, { maxPositionPctOfEquity: '1', maxGrossLeverage: '2', maxQuoteAgeSeconds: 3600 });
    const quote = (bid: string) => admin('PUT', '/v1/quotes/CRASHX', { bid, ask: new Decimal(bid).plus('0.01').toFixed(2), last: bid });
    await quote('99.99');
    const placed = await trader<{ orderId: string }>('POST', '/v1/orders', { portfolioId, symbol: 'CRASHX', side: 'BUY', quantity: '100', exitPlan: { preset: 'arbitrage', takeProfit: { pct: '0.02' } } });
    await waitForOrderStatus(system.db, placed.body.orderId, ['FILLED'], 60_000);
    const exits = () => system.db('position_exits').where({ portfolio_id: portfolioId });
    const deadline = Date.now() + 60_000;
    while ((await exits()).length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));

    // Each quote crosses the next level; the worker dies right after two of them, mid-tranche.
    for (const [bid, kill] of [['100.50', true], ['100.80', false], ['101.20', true], ['101.50', false]] as const) {
      await quote(bid);
      if (kill) {
        await new Promise((r) => setTimeout(r, 150));
        worker!.kill('SIGKILL');
        await exited(worker!);
        const next = startWorker(system);
        worker = next.child;
        await next.ready;
      }
      const level = await system.db('exit_tranches').whereIn('position_id', exits().select('position_id')).count<{ count: string }[]>('* as count');
      const want = ['100.50', '100.80', '101.20', '101.50'].indexOf(bid) + 1;
      const until = Date.now() + 60_000;
      while (Number(level[0]!.count) < want && Date.now() < until) {
        await new Promise((r) => setTimeout(r, 100));
        level[0] = (await system.db('exit_tranches').whereIn('position_id', exits().select('position_id')).count<{ count: string }[]>('* as count'))[0]!;
      }
    }
    const [exit] = await exits();
    const closedBy = Date.now() + 60_000;
    while ((await exits())[0].status !== 'CLOSED' && Date.now() < closedBy) await new Promise((r) => setTimeout(r, 100));
    const tranches = await system.db('exit_tranches').where({ position_id: exit.position_id }).orderBy('tranche_id');
    expect(tranches.map((t: { tranche_id: string; filled_quantity: string }) => [t.tranche_id, new Decimal(t.filled_quantity).toFixed()])).toEqual([['L1', '25'], ['L2', '25'], ['L3', '25'], ['L4', '25']]);
    const sells = await system.db('orders').where({ portfolio_id: portfolioId, side: 'SELL' });
    expect(sells).toHaveLength(4);
    expect(await system.db('paper_orders').whereIn('client_order_id', sells.map((o: { id: string }) => `order-${o.id}-leg1`))).toHaveLength(4);
    expect(await system.db('paper_executions').whereIn('client_order_id', sells.map((o: { id: string }) => `order-${o.id}-leg1`))).toHaveLength(4);
    expect((await system.db('position_lifecycles').where({ id: exit.position_id }).first()).status).toBe('CLOSED');
  }, 180_000);
});
