import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import express from 'express';
import { createDatabase, migrateToLatest } from '../src/adapters/db/knex-database';
import { createJsonLogger } from '../src/adapters/logging/json-logger';
import { loadConfig } from '../src/config/config';
import { RISKFLOW_SEARCH_ATTRIBUTES } from '../src/contracts/search-attributes';
import { searchAttributeCliFlags } from '../src/adapters/temporal/search-attribute-registry';
import { authenticate } from '../src/gateway/api-key-auth';
import { composeGateway } from '../src/system/compose-gateway';
import { listen } from '../src/gateway/listen';
import { startEmbeddedPostgres } from '../src/platform/embedded-database';
import { findFreePort } from '../src/platform/free-port';
import { resolveTemporalCli } from '../src/platform/temporal-cli';
import { startTemporalDevServer } from '../src/platform/temporal-dev-server';
import { Money } from '../src/domain/values/money';
import { systemClock } from '../src/ports/clock.port';
import { seedReferenceData } from '../src/system/reference-data';
import { composeWorker } from '../workers/compose-worker';
import { pingUpdate } from './ceiling.workflow';
import { runLoad, summarise, type LoadSummary } from './load-generator';

const ROOT = path.resolve(__dirname, '..');
const REQUESTS = Number(process.env.BENCH_REQUESTS ?? 400);
const CONCURRENCY = Number(process.env.BENCH_CONCURRENCY ?? 16);
const WARMUP = Math.min(50, Math.ceil(REQUESTS / 10));
const KEY = 'demo-trader-key';

/**
 * The order path (`POST /v1/orders`: gateway → update-with-start → order workflow → risk decision
 * in Postgres → answer) beside a ceiling measured in the same run on the same servers: an empty
 * workflow started and answered the same way (HTTP, auth, update-with-start) through the same
 * process. The ratios are what to watch; the absolute figures depend on the machine.
 */
async function main(): Promise<void> {
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'riskflow-bench-'));
  const stops: Array<() => Promise<void>> = [async () => rm(tempDir, { recursive: true, force: true })];
  try {
    const cliPath = await resolveTemporalCli({ projectRoot: ROOT, env: process.env, log: (m) => console.log(m) });
    const [temporal, pg, bundle] = await Promise.all([
      (async () => startTemporalDevServer({ cliPath, host: '127.0.0.1', port: await findFreePort(), namespace: 'default', searchAttributes: searchAttributeCliFlags(RISKFLOW_SEARCH_ATTRIBUTES) }))(),
      (async () => startEmbeddedPostgres({ dataDir: path.join(tempDir, 'pg'), port: await findFreePort(), user: 'bench', password: 'bench', database: 'bench' }))(),
      bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'bench-workflows.ts'), logger: new DefaultLogger('WARN') }),
    ]);
    stops.unshift(() => temporal.stop(), () => pg.stop());

    const db = createDatabase(pg.url, { min: 2, max: 20 });
    stops.unshift(() => db.destroy());
    await migrateToLatest(db);
    await seedReferenceData(db, { demoMarket: true, asOf: new Date(), logger: createJsonLogger('silent') });

    const taskQueue = 'bench';
    const config = loadConfig({ TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: pg.url, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' }, ROOT);
    const nativeConnection = await NativeConnection.connect({ address: temporal.address });
    const worker = await composeWorker(config, { connection: nativeConnection, db, clock: systemClock, workflowBundle: bundle });
    const workerRun = worker.run();
    stops.unshift(async () => {
      worker.shutdown();
      await workerRun;
      await nativeConnection.close();
    });

    const connection = await Connection.connect({ address: temporal.address });
    stops.unshift(() => connection.close());
    const client = new Client({ connection, namespace: 'default' });
    const { app, deps } = composeGateway(config, { client, db, clock: systemClock, logger: createJsonLogger('warn') });
    const gateway = await listen(app, '127.0.0.1', 0);
    stops.unshift(() => gateway.close());

    // The ceiling: the same HTTP, JSON and auth stack, the same client and server, an empty workflow.
    const ceilingApp = express();
    ceilingApp.use(express.json());
    ceilingApp.use(authenticate(deps.authenticateKey));
    ceilingApp.post('/ceiling', async (_req, res) => {
      const start = new WithStartWorkflowOperation('ceilingWorkflow', { workflowId: `ceiling-${randomUUID()}`, taskQueue, args: [], workflowIdConflictPolicy: 'USE_EXISTING' });
      res.status(201).json({ answer: await client.workflow.executeUpdateWithStart(pingUpdate, { startWorkflowOperation: start, updateId: 'ping' }) });
    });
    const ceiling = await listen(ceilingApp, '127.0.0.1', 0);
    stops.unshift(() => ceiling.close());

    const portfolioId = randomUUID();
    await deps.portfolios.createPortfolio({ id: portfolioId, accountId: 'paper', name: 'bench', initialCash: Money.of('1000000000', 'USD'), createdBy: 'bench' });
    await db('risk_limits').where({ portfolio_id: portfolioId }).update({ max_position_pct_of_equity: '1', max_gross_leverage: '10', max_open_positions: 100, max_quote_age_seconds: 86400 });

    const post = async (url: string, body: unknown, expected: (status: number, json: { status?: string; decision?: { approved: boolean } }) => boolean) => {
      const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, body: JSON.stringify(body) });
      const json = (await res.json()) as { status?: string; decision?: { approved: boolean } };
      if (!expected(res.status, json)) throw new Error(`unexpected answer ${res.status}: ${JSON.stringify(json)}`);
    };
    const symbols = ['AAPL', 'MSFT', 'JPM', 'XOM', 'SPY'];
    const placeOrder = (i: number) => post(`http://127.0.0.1:${gateway.port}/v1/orders`,
      { portfolioId, symbol: symbols[i % symbols.length], side: 'BUY', quantity: '1' }, (s, j) => s === 201 && j.decision?.approved === true);
    const pingCeiling = () => post(`http://127.0.0.1:${ceiling.port}/ceiling`, {}, (s) => s === 201);

    console.log(`warming up (${WARMUP} requests each)…`);
    await runLoad(WARMUP, CONCURRENCY, placeOrder);
    await runLoad(WARMUP, CONCURRENCY, pingCeiling);

    // Interleave two rounds each so neither side gets a systematically quieter moment.
    console.log(`measuring ${REQUESTS} requests each at concurrency ${CONCURRENCY}…`);
    const half = Math.ceil(REQUESTS / 2);
    const c1 = await runLoad(half, CONCURRENCY, pingCeiling);
    const o1 = await runLoad(half, CONCURRENCY, placeOrder);
    const o2 = await runLoad(REQUESTS - half, CONCURRENCY, placeOrder);
    const c2 = await runLoad(REQUESTS - half, CONCURRENCY, pingCeiling);
    const merge = (a: typeof c1, b: typeof c1) => ({ latenciesMs: [...a.latenciesMs, ...b.latenciesMs], elapsedMs: a.elapsedMs + b.elapsedMs });
    report(summarise(merge(o1, o2)), summarise(merge(c1, c2)));
  } finally {
    for (const stop of stops) await stop().catch((err: unknown) => console.error('stop failed:', err));
  }
}

function report(orders: LoadSummary, ceiling: LoadSummary): void {
  const row = (name: string, o: number, c: number, unit: string) =>
    `${name.padEnd(22)} ${o.toFixed(1).padStart(10)} ${c.toFixed(1).padStart(10)} ${(o / c).toFixed(2).padStart(8)}   ${unit}`;
  console.log('');
  console.log(`${'POST /v1/orders'.padEnd(22)} ${'orders'.padStart(10)} ${'ceiling'.padStart(10)} ${'ratio'.padStart(8)}`);
  console.log(row('throughput', orders.throughputPerSec, ceiling.throughputPerSec, 'requests/s (ratio: share of the ceiling)'));
  console.log(row('latency p50', orders.p50Ms, ceiling.p50Ms, 'ms (ratio: times the ceiling)'));
  console.log(row('latency p99', orders.p99Ms, ceiling.p99Ms, 'ms (ratio: times the ceiling)'));
  console.log('');
}

main().then(() => process.exit(0), (err: unknown) => {
  console.error(err);
  process.exit(1);
});
