import { randomBytes, randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import type { Knex } from 'knex';
import { fromInstrument } from '../src/adapters/db/row-mappers';
import { DEMO_INSTRUMENTS } from '../src/domain/market/demo-market';
import { Money } from '../src/domain/values/money';
import { price } from '../src/domain/values/price';
import { composeGateway } from '../src/system/compose-gateway';
import { startWorkerProcess } from '../test/support/worker-process';
import { openBenchDatabase, runStops, startBenchGateway, startBenchServers } from './bench-platform';
import { percentile } from './load-generator';
import { parseStat } from './process-cpu';

const LEVELS = (process.env.BENCH_EXIT_LEVELS ?? '1000,2000,4000').split(',').map(Number);
const SYMBOLS = 50;
/** Price steps per level: one quote per symbol per second for STEPS seconds. */
const STEPS = Number(process.env.BENCH_EXIT_STEPS ?? 60);
/** Stops crossed per second, whatever the number of exits: the wake-up's cost, not the order path's throughput, is what grows with N. */
const CROSSINGS_PER_SECOND = Number(process.env.BENCH_EXIT_CROSSINGS ?? 4);
/** Where the stops of the exits that never trigger sit. */
const FAR_STOP = '50.00';
const TICK = 0.05;
const START_CONCURRENCY = 16;
const KEY = 'demo-trader-key';
const ADMIN = 'demo-admin-key';

interface LevelResult {
  readonly workflows: number;
  /** Exit workflows alive during the run: this level's and the idle ones of earlier levels. */
  readonly held: number;
  readonly tranches: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly workerCpuPct: number;
  readonly workerPeakRssMb: number;
  readonly drainSeconds: number;
}

async function call(baseUrl: string, method: string, path: string, body: unknown, key = KEY): Promise<{ status: number; body: unknown }> {
  const res = await fetch(baseUrl + path, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${key}` }, body: JSON.stringify(body) });
  return { status: res.status, body: await res.json() };
}

/** CPU seconds (user + system) and resident memory of a process, from /proc. */
async function processUsage(pid: number): Promise<{ cpuSeconds: number; rssMb: number }> {
  const { ownCpuMs } = parseStat(await readFile(`/proc/${pid}/stat`, 'utf8'));
  const status = await readFile(`/proc/${pid}/status`, 'utf8');
  const rssKb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0);
  return { cpuSeconds: ownCpuMs / 1000, rssMb: rssKb / 1024 };
}

async function inBatches<T>(items: readonly T[], concurrency: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < items.length) await work(items[next++]!);
  }));
}

const bidAt = (step: number) => (100 - TICK * (step + 1)).toFixed(2);

/**
 * Exit workflows at scale: N long positions across 50 symbols, each with an exit workflow and a
 * stop. Every second each symbol's quote steps down one tick of 0.05 through the gateway
 * (PUT /v1/quotes): CROSSINGS_PER_SECOND stops sit on the levels the quotes pass, the other exits'
 * stops far below, so the same few exits trigger each second whatever N is, and only the exits a
 * quote crosses are woken (their trigger levels are in PostgreSQL). Measured per tranche: the delay
 * from the quote that crossed its stop (the PUT's start) to the broker's receipt of the exit order
 * (the paper venue's order row); and the worker process's CPU and peak memory over the run, with
 * N idle exit workflows held.
 */
async function main(): Promise<void> {
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const servers = await startBenchServers();
  const { stops } = servers;
  try {
    const taskQueue = 'bench-exits';
    const signingKey = randomBytes(32);
    const { config, db } = await openBenchDatabase(servers, taskQueue);
    const symbols = await seedSymbols(db);

    // The real worker entry point as its own process: its CPU and memory are measured from /proc.
    const worker = startWorkerProcess({
      TEMPORAL_ADDRESS: servers.temporalAddress, TEMPORAL_TASK_QUEUE: taskQueue, DATABASE_URL: servers.databaseUrl, LOG_LEVEL: 'info',
      RISKFLOW_COMMAND_SIGNING_KEY: signingKey.toString('hex'), PAPER_FEE_BPS: '0',
    });
    stops.unshift(async () => {
      if (worker.child.exitCode === null) {
        worker.child.kill('SIGTERM');
        await new Promise((r) => worker.child.once('exit', r));
      }
    });
    await worker.ready;

    const { deps, baseUrl } = await startBenchGateway(config, { temporalAddress: servers.temporalAddress, db, signingKey }, stops);

    const results: LevelResult[] = [];
    for (const workflows of LEVELS) {
      const positions = await seedPositions(db, deps, symbols, workflows);
      for (const symbol of symbols) await call(baseUrl, 'PUT', `/v1/quotes/${symbol}`, { bid: '100.00', ask: '100.01', last: '100.00' }, ADMIN);
      await inBatches(positions, START_CONCURRENCY, async (p) => {
        const answer = await call(baseUrl, 'POST', `/v1/positions/${p.positionId}/exit-plan`, { stopLoss: { price: p.stop } });
        if (answer.status !== 201) throw new Error(`exit plan refused ${answer.status}: ${JSON.stringify(answer.body)}`);
      });

      const triggered = positions.filter((p) => p.stop !== FAR_STOP);
      const held = Number((await db('position_exits').where({ status: 'ACTIVE' }).count<{ count: string }[]>('* as count'))[0]!.count);
      const crossedAt = new Map<string, number>(); // `${symbol}@${bid}` → when the quote was sent
      const before = await processUsage(worker.child.pid!);
      let peakRss = before.rssMb;
      const began = Date.now();
      for (let step = 0; step < STEPS; step++) {
        const due = began + step * 1000;
        await new Promise((r) => setTimeout(r, Math.max(0, due - Date.now())));
        await Promise.all(symbols.map(async (symbol) => {
          const bid = bidAt(step);
          crossedAt.set(`${symbol}@${bid}`, Date.now());
          const answer = await call(baseUrl, 'PUT', `/v1/quotes/${symbol}`, { bid, ask: (Number(bid) + 0.01).toFixed(2), last: bid }, ADMIN);
          if (answer.status !== 200) throw new Error(`quote refused ${answer.status}: ${JSON.stringify(answer.body)}`);
        }));
        peakRss = Math.max(peakRss, (await processUsage(worker.child.pid!)).rssMb);
      }
      const drainBegan = Date.now();
      for (;;) {
        const open = await db('position_exits').whereIn('position_id', triggered.map((p) => p.positionId)).whereNot({ status: 'CLOSED' }).count<{ count: string }[]>('* as count');
        if (Number(open[0]!.count) === 0) break;
        if (Date.now() - drainBegan > 600_000) throw new Error(`${open[0]!.count} exits still open 10 minutes after the last quote`);
        peakRss = Math.max(peakRss, (await processUsage(worker.child.pid!)).rssMb);
        await new Promise((r) => setTimeout(r, 500));
      }
      const after = await processUsage(worker.child.pid!);
      const wall = (Date.now() - began) / 1000;

      const rows = await db('exit_tranches as t').join('orders as o', 'o.id', 't.order_id').join('paper_orders as p', 'p.client_order_id', 'o.broker_client_order_id')
        .join('position_lifecycles as l', 'l.id', 't.position_id').whereIn('t.position_id', positions.map((p) => p.positionId))
        .select<Array<{ position_id: string; symbol: string; received: Date }>>('t.position_id', 'l.symbol', 'p.created_at as received');
      const stopOf = new Map(positions.map((p) => [p.positionId, p.stop]));
      const delays = rows.map((r) => r.received.getTime() - crossedAt.get(`${r.symbol}@${stopOf.get(r.position_id)}`)!).sort((a, b) => a - b);
      results.push({
        workflows, held, tranches: delays.length, p50Ms: percentile(delays, 50), p99Ms: percentile(delays, 99), maxMs: delays[delays.length - 1] ?? NaN,
        workerCpuPct: ((after.cpuSeconds - before.cpuSeconds) / wall) * 100, workerPeakRssMb: peakRss, drainSeconds: (Date.now() - drainBegan) / 1000,
      });
      console.log(`${workflows} exits: ${delays.length} tranches, p99 ${results[results.length - 1]!.p99Ms.toFixed(0)} ms`);
    }
    report(results);
  } finally {
    await runStops(stops);
  }
}

/** 50 symbols of 100.00, tick 0.01, lot 1: the demo market's first instrument, renamed. */
async function seedSymbols(db: Knex): Promise<string[]> {
  const symbols = Array.from({ length: SYMBOLS }, (_, i) => `EXIT${String(i).padStart(2, '0')}`);
  await db('instruments').insert(symbols.map((symbol) => fromInstrument({ ...DEMO_INSTRUMENTS[0]!, symbol, name: symbol, tickSize: price('0.01') })));
  await db('account_risk_limits').insert({ account_id: 'paper', max_order_value: '1000000000', max_order_quantity: '1000000', allowed_symbols: null, updated_by: 'bench' }).onConflict('account_id').ignore();
  return symbols;
}

/** N long positions of 10 at 100.00 (one per symbol per portfolio), stops spread over the STEPS levels the quotes step through. */
async function seedPositions(db: Knex, deps: ReturnType<typeof composeGateway>['deps'], symbols: readonly string[], count: number): Promise<Array<{ positionId: string; stop: string }>> {
  const out: Array<{ positionId: string; stop: string }> = [];
  for (let p = 0; p * symbols.length < count; p++) {
    const portfolioId = randomUUID();
    await deps.portfolios.createPortfolio({ id: portfolioId, accountId: 'paper', name: `exits-${count}-${p}`, initialCash: Money.of('100000000', 'USD'), createdBy: 'bench' });
    await db('risk_limits').where({ portfolio_id: portfolioId }).update({
      max_position_pct_of_equity: '1', max_gross_leverage: '10', max_open_positions: 1000, max_quote_age_seconds: 86400, max_order_quantity: '1000000',
      max_daily_trades: 1000000, max_orders_per_window: 1000000, price_collar_pct: '0.5',
    });
    const batch = symbols.slice(0, Math.min(symbols.length, count - p * symbols.length)).map((symbol, i) => {
      const j = p * symbols.length + i;
      return { symbol, positionId: randomUUID(), stop: j < STEPS * CROSSINGS_PER_SECOND ? bidAt(j % STEPS) : FAR_STOP };
    });
    await db('position_lifecycles').insert(batch.map((b) => ({
      id: b.positionId, portfolio_id: portfolioId, symbol: b.symbol, direction: 'LONG', status: 'OPEN', entry_price: '100', opened_quantity: '10', quantity: '10', realized_pnl: '0', opened_at: new Date(),
    })));
    await db('positions').insert(batch.map((b) => ({ portfolio_id: portfolioId, symbol: b.symbol, quantity: '10', average_cost: '100', realized_pnl: '0', position_id: b.positionId })));
    out.push(...batch.map(({ positionId, stop }) => ({ positionId, stop })));
  }
  return out;
}

function report(results: readonly LevelResult[]): void {
  const base = results[0]!;
  console.log('');
  console.log(`Exit triggers: a quote per symbol per second across ${SYMBOLS} symbols for ${STEPS} s, crossing ${CROSSINGS_PER_SECOND} stops per second (delay: crossing quote sent → exit order at the broker)`);
  console.log(`  ${'exits'.padStart(6)} ${'held'.padStart(6)} ${'tranches'.padStart(9)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)} ${'p99 × first'.padStart(12)} ${'worker CPU %'.padStart(13)} ${'peak RSS MB'.padStart(12)} ${'drain s'.padStart(8)}`);
  for (const r of results) {
    console.log(`  ${String(r.workflows).padStart(6)} ${String(r.held).padStart(6)} ${String(r.tranches).padStart(9)} ${r.p50Ms.toFixed(0).padStart(8)} ${r.p99Ms.toFixed(0).padStart(8)} ${r.maxMs.toFixed(0).padStart(8)} ${(r.p99Ms / base.p99Ms).toFixed(2).padStart(12)} ${r.workerCpuPct.toFixed(0).padStart(13)} ${r.workerPeakRssMb.toFixed(0).padStart(12)} ${r.drainSeconds.toFixed(1).padStart(8)}`);
  }
  console.log(`  target: p99 under 1000 ms at ${base.workflows} exits (${base.p99Ms < 1000 ? 'met' : 'NOT met'})`);
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
