import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import express from 'express';
import { orderWorkflowId } from '../src/contracts/workflow-ids';
import type { Knex } from 'knex';
import type { DecisionTiming } from '../activities/risk.activities';
import { fromInstrument } from '../src/adapters/db/row-mappers';
import { DEMO_INSTRUMENTS, demoPriceHistory, demoQuoteAround } from '../src/domain/market/demo-market';
import { NO_COSTS } from '../src/domain/risk/execution-cost-estimate';
import { decide, PRE_TRADE_RULES } from '../src/domain/risk/pre-trade-engine';
import { buildRiskContext, type RiskContext } from '../src/domain/risk/risk-context';
import { Money } from '../src/domain/values/money';
import { price } from '../src/domain/values/price';
import { quantity } from '../src/domain/values/quantity';
import type { GatewayDeps } from '../src/gateway/gateway-deps';
import { authenticate } from '../src/gateway/api-key-auth';
import { listen } from '../src/gateway/listen';
import { ServerTiming } from '../src/gateway/server-timing';
import { openBenchDatabase, runStops, startBenchGateway, startBenchServers, startBenchWorker } from './bench-platform';
import { pingUpdate } from './ceiling.workflow';
import { median, merge, runLoad, summarise, type LoadSummary } from './load-generator';
import { cpuByGroup, cpuSince, threadCpu, type CpuByGroup } from './process-cpu';
import { eventTimeline, firstTaskTimeline, type FirstTaskTimeline } from './workflow-timeline';

const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CLIENTS = Number(process.env.BENCH_CONCURRENCY ?? 16);
const SOLO_REQUESTS = Number(process.env.BENCH_SOLO_REQUESTS ?? 200);
const WARMUP = Number(process.env.BENCH_WARMUP ?? 300);
const TIMELINES = 40;
const KEY = 'demo-trader-key';
const SYMBOLS = ['AAPL', 'MSFT', 'JPM', 'XOM', 'SPY'];
const SIGNAL = { strategyId: 'bench', confidence: 0.9, probabilities: { up: 0.6, down: 0.2, flat: 0.2 }, expectedReturn: 0.05 };

type Answer = { status: number; timing: Record<string, number>; body: { orderId?: string; workflowId?: string; decision?: { approved: boolean } } };

async function post(url: string, body: unknown): Promise<Answer> {
  const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: JSON.stringify(body) });
  const timing = Object.fromEntries((res.headers.get('server-timing') ?? '').split(',').filter(Boolean).map((p) => {
    const [name = '', dur = ''] = p.trim().split(';dur=');
    return [name, Number(dur)];
  }));
  return { status: res.status, timing, body: (await res.json()) as Answer['body'] };
}

/**
 * The order path (`POST /v1/orders`: gateway → update-with-start → order workflow → risk decision
 * in Postgres → answer) beside a ceiling measured in the same run on the same servers: an empty
 * workflow started and answered the same way (HTTP, auth, update-with-start) through the same
 * process. Three shapes of load: 16 clients on one portfolio (every decision takes the same row
 * lock), one client at a time, and 16 clients on 16 portfolios (no shared lock). The ratios are
 * what to watch; the absolute figures depend on the machine.
 */
async function main(): Promise<void> {
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const servers = await startBenchServers();
  const { stops } = servers;
  try {
    const bundle = await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'bench-workflows.ts'), logger: new DefaultLogger('WARN') });
    const { config, db } = await openBenchDatabase(servers);

    const signingKey = randomBytes(32);
    const decisionTimings: DecisionTiming[] = [];
    await startBenchWorker(config, { temporalAddress: servers.temporalAddress, db, signingKey, workflowBundle: bundle, observeDecision: (t) => decisionTimings.push(t) }, stops);
    const { client, deps, baseUrl } = await startBenchGateway(config, { temporalAddress: servers.temporalAddress, db, signingKey }, stops);

    // The ceiling: the same HTTP, JSON and auth stack, the same client and server, an empty workflow.
    const ceilingApp = express();
    ceilingApp.use(express.json());
    ceilingApp.use(authenticate(deps.authenticateKey));
    ceilingApp.post('/ceiling', async (_req, res) => {
      const timing = new ServerTiming();
      const workflowId = `ceiling-${randomUUID()}`;
      const start = new WithStartWorkflowOperation('ceilingWorkflow', { workflowId, taskQueue: config.temporal.taskQueue, args: [], workflowIdConflictPolicy: 'USE_EXISTING' });
      await client.workflow.executeUpdateWithStart(pingUpdate, { startWorkflowOperation: start, updateId: 'ping' });
      timing.mark('decision');
      timing.writeTo(res);
      res.status(201).json({ workflowId });
    });
    const ceiling = await listen(ceilingApp, '127.0.0.1', 0);
    stops.unshift(() => ceiling.close());

    const held = await seedBenchMarket(db);
    await db('account_risk_limits').insert({ account_id: 'paper', max_order_value: '1000000000', max_order_quantity: '1000000', allowed_symbols: null, updated_by: 'bench' });
    for (const symbol of SYMBOLS) await db('instrument_risk_limits').insert({ symbol, max_order_value: '1000000000', max_order_quantity: '1000000', price_collar_pct: '0.2', updated_by: 'bench' });
    const portfolios = await Promise.all(Array.from({ length: CLIENTS }, async () => {
      const id = randomUUID();
      await deps.portfolios.createPortfolio({ id, accountId: 'paper', name: 'bench', initialCash: Money.of('1000000000', 'USD'), createdBy: 'bench' });
      // Every control on, set so that the bench's orders pass them all: each rule does its full work.
      await db('risk_limits').where({ portfolio_id: id }).update({
        max_position_pct_of_equity: '1', max_gross_leverage: '10', max_open_positions: 100, max_quote_age_seconds: 86400,
        max_order_quantity: '1000000', max_open_positions_per_strategy: 100, max_sector_exposure_pct: '10', max_correlation: '0.95',
        correlation_lookback_days: 60, max_daily_loss: '100000000', max_daily_trades: 1000000, max_orders_per_window: 1000000,
        order_rate_window_seconds: 60, price_collar_pct: '0.2',
      });
      // 20 positions, each with a year of daily closes: the correlation cap measures the order's symbol against 19 of them.
      await db('positions').insert(held.map((h) => ({ portfolio_id: id, symbol: h.symbol, quantity: '10', average_cost: h.price, realized_pnl: '0', strategy_id: 'bench' })));
      return id;
    }));

    const answers: Answer[] = [];
    const ceilingAnswers: Answer[] = [];
    const order = (portfolioOf: (lane: number) => string, keep = false) => async (i: number, lane: number) => {
      const a = await post(`${baseUrl}/v1/orders`, { portfolioId: portfolioOf(lane), symbol: SYMBOLS[i % SYMBOLS.length], side: 'BUY', quantity: '1', strategyId: 'bench', signal: SIGNAL });
      if (a.status !== 201 || a.body.decision?.approved !== true) throw new Error(`unexpected answer ${a.status}: ${JSON.stringify(a.body)}`);
      if (keep) answers.push(a);
    };
    const ping = (keep = false) => async () => {
      const a = await post(`http://127.0.0.1:${ceiling.port}/ceiling`, {});
      if (a.status !== 201) throw new Error(`unexpected ceiling answer ${a.status}`);
      if (keep) ceilingAnswers.push(a);
    };
    const onePortfolio = () => portfolios[0]!;
    const ownPortfolio = (lane: number) => portfolios[lane]!;

    /** Two rounds each, interleaved, so neither side gets a systematically quieter moment; the CPU each side's rounds used, per request. */
    const measure = async (requests: number, clients: number, send: (i: number, lane: number) => Promise<void>, sendCeiling: () => Promise<void>) => {
      const half = Math.ceil(requests / 2);
      const cpu = { orders: zeroCpu(), ceiling: zeroCpu() };
      const threads = { orders: new Map<string, number>(), ceiling: new Map<string, number>() };
      const timed = async <T>(side: keyof typeof cpu, run: () => Promise<T>) => {
        const before = cpuByGroup();
        const threadsBefore = threadCpu();
        const stopProfile = await profileIfAsked(`${clients}-${side}`);
        const result = await run();
        await stopProfile();
        addCpu(cpu[side], cpuSince(before));
        for (const [name, ms] of threadCpu()) threads[side].set(name, (threads[side].get(name) ?? 0) + ms - (threadsBefore.get(name) ?? 0));
        return result;
      };
      const c1 = await timed('ceiling', () => runLoad(half, clients, sendCeiling));
      const o1 = await timed('orders', () => runLoad(half, clients, send));
      const o2 = await timed('orders', () => runLoad(requests - half, clients, send));
      const c2 = await timed('ceiling', () => runLoad(requests - half, clients, sendCeiling));
      if (process.env.BENCH_TRACE) {
        const ceilingP50 = summarise(merge(c1, c2)).p50Ms;
        const within = (l: number[]) => `${((100 * l.filter((ms) => ms <= 1.5 * ceilingP50).length) / l.length).toFixed(0)} %`;
        console.log(`  answered within 1.5 × the ceiling's p50 (${clients} clients): orders ${within([...o1.latenciesMs, ...o2.latenciesMs])}, ceiling ${within([...c1.latenciesMs, ...c2.latenciesMs])}`);
        const names = [...new Set([...threads.orders.keys(), ...threads.ceiling.keys()])].sort();
        console.log(`  this process's CPU per request by thread (ms): ${names.map((n) => `${n} ${((threads.orders.get(n) ?? 0) / requests).toFixed(1)}/${((threads.ceiling.get(n) ?? 0) / requests).toFixed(1)}`).join(', ')} (orders/ceiling)`);
      }
      return { orders: summarise(merge(o1, o2)), ceiling: summarise(merge(c1, c2)), cpuPerRequest: { orders: perRequest(cpu.orders, requests), ceiling: perRequest(cpu.ceiling, requests) } };
    };

    // Both sides in every shape of load until they run warm (the JIT's compiles, each pooled
    // connection's plans, the servers' caches): a short warm-up left the first measured load paying
    // for it, about 15 ms of CPU more per order than the same load measured again.
    console.log(`warming up (${WARMUP} requests per side and load, ${Math.ceil(WARMUP / 4)} with one client)…`);
    for (const send of [order(onePortfolio), order(ownPortfolio), ping()]) await runLoad(WARMUP, CLIENTS, send);
    await runLoad(Math.ceil(WARMUP / 4), 1, order(onePortfolio));
    await runLoad(Math.ceil(WARMUP / 4), 1, ping());

    console.log(`measuring: ${CLIENTS} clients on one portfolio, ${REQUESTS} requests each…`);
    const shared = await measure(REQUESTS, CLIENTS, order(onePortfolio), ping());
    const statements = new Map<string, number>();
    let countStatements = false;
    if (process.env.BENCH_TRACE) db.on('query', (q: { sql: string }) => {
      if (!countStatements) return;
      const key = q.sql.replace(/\s+/g, ' ').trim().slice(0, 90);
      statements.set(key, (statements.get(key) ?? 0) + 1);
    });
    console.log(`measuring: one client, ${SOLO_REQUESTS} requests each…`);
    decisionTimings.length = 0;
    countStatements = true;
    const solo = await measure(SOLO_REQUESTS, 1, order(onePortfolio, true), ping(true));
    countStatements = false;
    if (process.env.BENCH_TRACE) {
      console.log(`SQL statements per order, one client (${SOLO_REQUESTS} orders):`);
      for (const [sql, n] of [...statements].sort((a, b) => b[1] - a[1])) console.log(`  ${(n / SOLO_REQUESTS).toFixed(2).padStart(6)}  ${sql}`);
    }
    const soloDecisions = [...decisionTimings];
    console.log(`measuring: ${CLIENTS} clients on ${CLIENTS} portfolios, ${REQUESTS} requests each…`);
    const spread = await measure(REQUESTS, CLIENTS, order(ownPortfolio), ping());

    const sample = <T>(list: readonly T[]) => list.slice(-TIMELINES);
    // Each answer beside its workflow's first task, so the time outside the task is told per request.
    const timelinesOf = async (list: readonly Answer[], idOf: (a: Answer) => string) => (await Promise.all(list.map(async (answer) => {
      const timeline = await firstTaskTimeline(client, idOf(answer));
      return timeline === null ? null : { ...timeline, answer };
    }))).filter((t): t is AnsweredTimeline => t !== null);
    const orderTimelines = await timelinesOf(sample(answers), (a) => a.body.workflowId ?? orderWorkflowId(a.body.orderId!));
    const ceilingTimelines = await timelinesOf(sample(ceilingAnswers), (a) => a.body.workflowId!);

    report([
      [`${CLIENTS} clients, one portfolio`, shared],
      ['one client', solo],
      [`${CLIENTS} clients, ${CLIENTS} portfolios`, spread],
    ]);
    reportBreakdown(solo, answers, ceilingAnswers, orderTimelines, ceilingTimelines);
    if (process.env.BENCH_TRACE) {
      for (const a of sample(answers).slice(-3)) {
        console.log(`history of ${a.body.workflowId ?? orderWorkflowId(a.body.orderId!)} (answered in ${JSON.stringify(a.timing)})`);
        for (const line of await eventTimeline(client, a.body.workflowId ?? orderWorkflowId(a.body.orderId!))) console.log(`  ${line}`);
      }
    }
    if (process.env.BENCH_TRACE) {
      // Bimodal at one client: a start that arrives while the dispatch may run waits a few ms, one
      // that arrives just after it ran waits for the next beat (about 50 ms on the dev server).
      const waits = (timelines: readonly FirstTaskTimeline[]) => timelines.map((t) => t.dispatchMs.toFixed(0)).join(' ');
      console.log(`one client, workflow started → first task on the worker (ms), last ${TIMELINES} of each:`);
      console.log(`  orders   ${waits(orderTimelines)}`);
      console.log(`  ceiling  ${waits(ceilingTimelines)}`);
    }
    reportDecisions(soloDecisions, await ruleTimes(deps.riskContext, portfolios[0]!, deps.executionCosts));
  } finally {
    await runStops(stops);
  }
}

/** BENCH_PROFILE=<dir>: a V8 CPU profile of this process's main thread for each round (its name says the load and the side). */
async function profileIfAsked(name: string): Promise<() => Promise<void>> {
  const dir = process.env.BENCH_PROFILE;
  if (!dir) return async () => undefined;
  const { Session } = await import('node:inspector/promises');
  const { writeFile, mkdir } = await import('node:fs/promises');
  const session = new Session();
  session.connect();
  await session.post('Profiler.enable');
  await session.post('Profiler.start');
  return async () => {
    const { profile } = await session.post('Profiler.stop');
    await mkdir(dir, { recursive: true });
    await writeFile(path.join(dir, `${name}-${Date.now()}.cpuprofile`), JSON.stringify(profile));
    session.disconnect();
  };
}

const zeroCpu = (): CpuByGroup => ({ node: 0, temporal: 0, postgres: 0, other: 0 });
const addCpu = (into: CpuByGroup, more: CpuByGroup) => {
  for (const k of Object.keys(into) as Array<keyof CpuByGroup>) into[k] += more[k];
};
const perRequest = (cpu: CpuByGroup, requests: number): CpuByGroup => ({
  node: cpu.node / requests, temporal: cpu.temporal / requests, postgres: cpu.postgres / requests, other: cpu.other / requests,
});

function report(rows: Array<[string, { orders: LoadSummary; ceiling: LoadSummary; cpuPerRequest: { orders: CpuByGroup; ceiling: CpuByGroup } }]>): void {
  const line = (name: string, o: number, c: number, ratio: number, unit: string) =>
    `  ${name.padEnd(14)} ${o.toFixed(1).padStart(9)} ${c.toFixed(1).padStart(9)} ${ratio.toFixed(2).padStart(7)}   ${unit}`;
  console.log('');
  console.log(`POST /v1/orders against the ceiling (same run, same servers)`);
  for (const [name, { orders, ceiling }] of rows) {
    console.log('');
    console.log(`${name.padEnd(16)} ${'orders'.padStart(9)} ${'ceiling'.padStart(9)} ${'ratio'.padStart(7)}`);
    console.log(line('throughput', orders.throughputPerSec, ceiling.throughputPerSec, orders.throughputPerSec / ceiling.throughputPerSec, 'requests/s (ratio: share of the ceiling)'));
    console.log(line('latency p50', orders.p50Ms, ceiling.p50Ms, orders.p50Ms / ceiling.p50Ms, 'ms (ratio: times the ceiling)'));
    console.log(line('latency p99', orders.p99Ms, ceiling.p99Ms, orders.p99Ms / ceiling.p99Ms, 'ms (ratio: times the ceiling)'));
  }
  // The machine's two cores are what both sides share: CPU per request says where the order path's extra work runs.
  console.log('');
  console.log('CPU per request (ms; this process = gateway, worker and clients; the Temporal dev server; PostgreSQL)');
  console.log(`  ${''.padEnd(40)} ${'node'.padStart(7)} ${'temporal'.padStart(9)} ${'postgres'.padStart(9)} ${'total'.padStart(7)}`);
  for (const [name, { cpuPerRequest }] of rows) {
    for (const side of ['orders', 'ceiling'] as const) {
      const c = cpuPerRequest[side];
      console.log(`  ${`${name}, ${side}`.padEnd(40)} ${c.node.toFixed(1).padStart(7)} ${c.temporal.toFixed(1).padStart(9)} ${c.postgres.toFixed(1).padStart(9)} ${(c.node + c.temporal + c.postgres + c.other).toFixed(1).padStart(7)}`);
    }
  }
}

type AnsweredTimeline = FirstTaskTimeline & { readonly answer: Answer };

function reportBreakdown(solo: { orders: LoadSummary; ceiling: LoadSummary }, orders: Answer[], ceilings: Answer[], orderTimelines: AnsweredTimeline[], ceilingTimelines: AnsweredTimeline[]): void {
  const phase = (list: Answer[], name: string) => median(list.map((a) => a.timing[name] ?? NaN).filter(Number.isFinite));
  /** The update-with-start's time outside the workflow's first task and its dispatch, per request. */
  const rest = (timelines: AnsweredTimeline[]) => median(timelines.map((t) => (t.answer.timing.decision ?? NaN) - t.dispatchMs - t.firstTaskMs).filter(Number.isFinite));
  const row = (name: string, o: number, c: number | null) => `  ${name.padEnd(52)} ${o.toFixed(1).padStart(8)} ${(c === null ? '-' : c.toFixed(1)).padStart(8)}`;
  const decision = phase(orders, 'decision');
  const ceilingDecision = phase(ceilings, 'decision');
  const dispatch = median(orderTimelines.map((t) => t.dispatchMs));
  const ceilingDispatch = median(ceilingTimelines.map((t) => t.dispatchMs));
  const firstTask = median(orderTimelines.map((t) => t.firstTaskMs));
  const ceilingFirstTask = median(ceilingTimelines.map((t) => t.firstTaskMs));
  console.log('');
  console.log(`Where the time goes, one client (medians in ms; workflow figures from ${orderTimelines.length} and ${ceilingTimelines.length} histories)`);
  console.log(`  ${''.padEnd(52)} ${'orders'.padStart(8)} ${'ceiling'.padStart(8)}`);
  console.log(row('HTTP answer, as the client sees it', solo.orders.p50Ms, solo.ceiling.p50Ms));
  console.log(row('gateway checks before the workflow', phase(orders, 'checks'), null));
  console.log(row('update-with-start until the answer', decision, ceilingDecision));
  console.log(row('  workflow started → first task on the worker', dispatch, ceilingDispatch));
  console.log(row('  first workflow task (the risk decision runs in it)', firstTask, ceilingFirstTask));
  console.log(row('  the rest (server and client round trips)', rest(orderTimelines), rest(ceilingTimelines)));
  console.log('');
}

/** 14 more instruments beside the demo market's 6, each with a year of closes and a quote: 20 to hold. */
async function seedBenchMarket(db: Knex): Promise<Array<{ symbol: string; price: string }>> {
  const extra = Array.from({ length: 14 }, (_, i) => ({
    ...DEMO_INSTRUMENTS[0]!, symbol: `BENCH${String(i + 1).padStart(2, '0')}`, name: `Bench ${i + 1}`, sector: ['Technology', 'Financials', 'Energy', 'Health'][i % 4]!,
    startPrice: price('100.00'), annualVolatility: 0.3, seed: 1000 + i,
  }));
  for (const instrument of extra) {
    await db('instruments').insert(fromInstrument(instrument));
    const history = demoPriceHistory(instrument, new Date(), 260);
    await db.batchInsert('price_history', history.map((h) => ({ symbol: instrument.symbol, date: h.date, close: h.close.toFixed() })), 500);
    const last = history[history.length - 1]!.close;
    const { bid, ask } = demoQuoteAround(last, instrument.tickSize);
    await db('quotes').insert({ symbol: instrument.symbol, bid: bid.toFixed(), ask: ask.toFixed(), last: last.toFixed(), as_of: new Date(), source: 'bench' });
  }
  const quotes = await db('quotes').select<Array<{ symbol: string; last: string }>>('symbol', 'last');
  return quotes.map((q) => ({ symbol: q.symbol, price: q.last }));
}

/** Each rule's own time on the bench portfolio's real context (a validate-only read), microseconds per call. */
async function ruleTimes(riskContext: GatewayDeps['riskContext'], portfolioId: string, costs: GatewayDeps['executionCosts']): Promise<Array<[string, number]>> {
  let context: RiskContext | undefined;
  const order = { portfolioId, symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: quantity('1'), limitPrice: null, strategyId: 'bench', signal: SIGNAL, stopLoss: null, takeProfit: null } as const;
  await riskContext.evaluateOrders([order], (snapshot) => {
    context = buildRiskContext({ ...snapshot, costs: snapshot.instrument ? costs(snapshot.instrument) : NO_COSTS, asOf: new Date() });
    return decide(context);
  });
  const rounds = 2000;
  const time = (fn: () => unknown) => {
    const started = performance.now();
    for (let i = 0; i < rounds; i++) fn();
    return ((performance.now() - started) * 1000) / rounds;
  };
  const input = context!;
  // Each rule on a fresh copy of the context (a rule may memoise on the context object).
  const build = time(() => buildRiskContext(input));
  const snapshotStarted = performance.now();
  for (let i = 0; i < 20; i++) await riskContext.evaluateOrders([order], (snapshot) => decide(buildRiskContext({ ...snapshot, costs: NO_COSTS, asOf: new Date() })));
  return [
    ['a validate-only decision: read-only transaction, snapshot, context and rules (ms × 1000)', (performance.now() - snapshotStarted) * 1000 / 20],
    ['building the context', build],
    ...PRE_TRADE_RULES.map((rule): [string, number] => [rule.name, time(() => rule({ ...input }))]),
  ];
}

function reportDecisions(timings: readonly DecisionTiming[], rules: Array<[string, number]>): void {
  const pct = (values: number[], p: number) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)] ?? NaN;
  };
  const decideMs = timings.map((t) => t.decideMs);
  const txMs = timings.map((t) => t.transactionMs);
  console.log(`The risk decision inside the activity, one client (its only lock wait: the previous order's booking), every rule on, 20 positions with a year of history (${timings.length} decisions)`);
  console.log(`  ${''.padEnd(52)} ${'p50'.padStart(8)} ${'p99'.padStart(8)}`);
  console.log(`  ${'context and every rule (ms)'.padEnd(52)} ${pct(decideMs, 0.5).toFixed(2).padStart(8)} ${pct(decideMs, 0.99).toFixed(2).padStart(8)}`);
  console.log(`  ${'the transaction: lock, snapshot, decision, write (ms)'.padEnd(52)} ${pct(txMs, 0.5).toFixed(2).padStart(8)} ${pct(txMs, 0.99).toFixed(2).padStart(8)}`);
  const lockMs = timings.map((t) => t.lockAndSnapshotMs);
  console.log(`  ${'  of which the locks and the snapshot (ms)'.padEnd(52)} ${pct(lockMs, 0.5).toFixed(2).padStart(8)} ${pct(lockMs, 0.99).toFixed(2).padStart(8)}`);
  console.log('');
  console.log('Each rule on its own (µs per call, 2000 calls on fresh copies of the bench portfolio\'s context)');
  for (const [name, us] of rules) console.log(`  ${name.padEnd(52)} ${us.toFixed(1).padStart(8)}`);
  console.log('');
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
