import { randomBytes, randomUUID } from 'node:crypto';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import type { Knex } from 'knex';
import { fromInstrument } from '../src/adapters/db/row-mappers';
import { rebalanceWorkflowId, type RebalanceState } from '../src/contracts/rebalance-contracts';
import { DEMO_INSTRUMENTS } from '../src/domain/market/demo-market';
import { openBenchDatabase, runStops, startBenchGateway, startBenchServers, startBenchWorker } from './bench-platform';

const LEGS = Number(process.env.BENCH_REBALANCE_LEGS ?? 50);
const ROUNDS = Number(process.env.BENCH_REBALANCE_ROUNDS ?? 3);
const SYMBOLS = Array.from({ length: LEGS }, (_, i) => `RB${String(i + 1).padStart(3, '0')}`);

async function call<T>(base: string, key: string, method: string, url: string, body?: unknown): Promise<{ status: number; body: T }> {
  const res = await fetch(`${base}${url}`, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, ...(body !== undefined && { body: JSON.stringify(body) }) });
  return { status: res.status, body: (await res.json()) as T };
}

/** `LEGS` instruments at 100 with quotes, and the limits that let every bench order pass. */
async function seedMarket(db: Knex): Promise<void> {
  for (const symbol of SYMBOLS) {
    await db('instruments').insert(fromInstrument({ ...DEMO_INSTRUMENTS[0]!, symbol, name: symbol, sector: 'Bench' }));
    await db('quotes').insert({ symbol, bid: '99.99', ask: '100.01', last: '100', as_of: new Date(), source: 'bench' });
  }
  await db('account_risk_limits').insert({ account_id: 'paper', max_order_value: '1000000000', max_order_quantity: '1000000', allowed_symbols: null, updated_by: 'bench' });
}

async function portfolio(db: Knex, base: string): Promise<string> {
  const { body } = await call<{ portfolioId: string }>(base, 'demo-admin-key', 'POST', '/v1/portfolios', { name: 'bench', initialCash: '10000000' });
  await db('risk_limits').where({ portfolio_id: body.portfolioId }).update({
    max_order_value: '1000000000', max_order_quantity: '1000000', max_position_pct_of_equity: '1', max_gross_leverage: '10', max_open_positions: 1000, max_quote_age_seconds: 86400, max_daily_trades: 1000000, max_orders_per_window: 1000000,
  });
  return body.portfolioId;
}

async function filled(db: Knex, portfolioId: string, count: number): Promise<void> {
  const until = Date.now() + 300_000;
  for (;;) {
    if (Date.now() > until) throw new Error(`${count} orders of ${portfolioId} not all FILLED within 5 minutes: ${JSON.stringify(await db('orders').where({ portfolio_id: portfolioId }).whereNot({ status: 'FILLED' }).first('symbol', 'status', 'decision'))}`);
    const { n } = (await db('orders').where({ portfolio_id: portfolioId, status: 'FILLED' }).count<{ n: string }[]>({ n: '*' }))[0]!;
    if (Number(n) >= count) return;
    await new Promise((r) => setTimeout(r, 5));
  }
}

const median = (xs: readonly number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/**
 * A rebalance of `LEGS` legs (one buy per symbol) from the approval to its last leg booked, beside
 * the same `LEGS` orders placed one after another through `POST /v1/orders` until the last is
 * booked (FILLED), on the same servers in the same run. Both go through the full order path; the
 * ratio is what the rebalance's orchestration (child workflows, progress records) costs.
 */
async function main(): Promise<void> {
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const servers = await startBenchServers();
  const { stops } = servers;
  try {
    const bundle = await bundleWorkflowCode({ workflowsPath: require.resolve('../workflows'), logger: new DefaultLogger('WARN') });
    const { config, db } = await openBenchDatabase(servers);
    await seedMarket(db);

    const signingKey = randomBytes(32);
    await startBenchWorker(config, { temporalAddress: servers.temporalAddress, db, signingKey, workflowBundle: bundle }, stops);
    const { client, baseUrl: base } = await startBenchGateway(config, { temporalAddress: servers.temporalAddress, db, signingKey }, stops);

    const rebalanceMs: number[] = [];
    const ordersMs: number[] = [];
    // 1 % of 10 000 000 in each symbol: 1 000 shares, one buy leg each.
    const targets = Object.fromEntries(SYMBOLS.map((s) => [s, '0.01']));
    for (let round = 0; round < ROUNDS; round++) {
      const id = await portfolio(db, base);
      const started = await call<RebalanceState>(base, 'demo-trader-key', 'POST', `/v1/portfolios/${id}/rebalances`, { method: { type: 'target-weights', targets }, settings: { driftThreshold: '0.001' } });
      if (started.body.plan?.legs.length !== LEGS) throw new Error(`expected ${LEGS} legs, got ${JSON.stringify(started.body).slice(0, 500)}`);
      const t0 = performance.now();
      const approved = await call<RebalanceState>(base, 'demo-approver-key', 'POST', `/v1/rebalances/${started.body.rebalanceId}/approve`, { planVersion: started.body.planVersion });
      if (approved.status !== 200) throw new Error(`approval answered ${approved.status}`);
      await filled(db, id, LEGS);
      rebalanceMs.push(performance.now() - t0);
      const done = (await client.workflow.getHandle(rebalanceWorkflowId(started.body.rebalanceId)).result()) as RebalanceState;
      if (done.status !== 'COMPLETED') throw new Error(`the rebalance ended ${done.status}: ${done.reason}`);

      const single = await portfolio(db, base);
      const t1 = performance.now();
      for (const symbol of SYMBOLS) {
        const placed = await call<{ decision?: { approved: boolean } }>(base, 'demo-trader-key', 'POST', '/v1/orders', { portfolioId: single, symbol, side: 'BUY', quantity: '1000', clientRequestId: randomUUID() });
        if (placed.status !== 201 || placed.body.decision?.approved !== true) throw new Error(`order answered ${placed.status}: ${JSON.stringify(placed.body)}`);
      }
      await filled(db, single, LEGS);
      ordersMs.push(performance.now() - t1);
    }
    const r = median(rebalanceMs);
    const o = median(ordersMs);
    console.log(`rebalance bench: median of ${ROUNDS} rounds, ${LEGS} legs (one buy per symbol, paper venue)`);
    console.log(`  rebalance, approval → last leg booked   ${r.toFixed(0).padStart(7)} ms   (${(r / LEGS).toFixed(1)} ms per leg)`);
    console.log(`  ${LEGS} single orders via POST /v1/orders    ${o.toFixed(0).padStart(7)} ms   (${(o / LEGS).toFixed(1)} ms per order)`);
    console.log(`  ratio rebalance / single orders          ${(r / o).toFixed(2)}`);
  } finally {
    await runStops(stops);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
