/**
 * The daily risk run for 100, 200 and 400 portfolios × 50 positions over 3 years of daily history
 * (756 weekdays of closes for a 200-symbol universe, all analysed: DAILY_RISK_LOOKBACK_DAYS=756), on
 * a real Temporal dev server and embedded PostgreSQL: the whole dailyRiskWorkflow (accept, fan out
 * `DAILY_RISK_CONCURRENCY` at a time, read, analyse, record snapshots) timed from start to result.
 * Prints the time at each size against the 60 s target for 100, and the ratios to linear growth.
 * Run: node --import tsx bench/daily-risk.bench.ts [sizes, default 100,200,400]
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, Runtime } from '@temporalio/worker';
import { createDatabase, migrateToLatest } from '../src/adapters/db/knex-database';
import { createJsonLogger } from '../src/adapters/logging/json-logger';
import { createHmacCommandSignature } from '../src/adapters/security/hmac-command-signature';
import { loadConfig } from '../src/config/config';
import { dailyRiskSignedFields } from '../src/contracts/command-signatures';
import { dailyRiskWorkflowId, type DailyRiskCommand, type DailyRiskReport } from '../src/contracts/daily-risk-contracts';
import { seedReferenceData } from '../src/system/reference-data';
import { WORKFLOWS_PATH } from '../workers/compose-worker';
import { BENCH_ROOT, runStops, startBenchServers, startBenchWorker } from './bench-platform';

const SIZES = (process.argv[2] ?? '100,200,400').split(',').map(Number);
const UNIVERSE = 200;
const POSITIONS = 50;
const DAYS = 756;
const TARGET_MS = 60_000;
const AS_OF = '2026-03-06'; // a Friday: the last close

async function main(): Promise<void> {
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const servers = await startBenchServers();
  const { stops } = servers;
  try {
    const bundle = await bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: new DefaultLogger('WARN') });
    const temporal = { address: servers.temporalAddress };
    const pg = { url: servers.databaseUrl };
    const config = loadConfig({
      TEMPORAL_ADDRESS: temporal.address, DATABASE_URL: pg.url, TEMPORAL_TASK_QUEUE: 'bench-daily-risk', LOG_LEVEL: 'warn',
      DAILY_RISK_LOOKBACK_DAYS: String(DAYS), DAILY_RISK_CONCURRENCY: process.env.DAILY_RISK_CONCURRENCY ?? '16',
    }, BENCH_ROOT);
    const db = createDatabase(pg.url, { min: 2, max: 24 });
    stops.unshift(() => db.destroy());
    await migrateToLatest(db);
    await seedReferenceData(db, { demoMarket: false, asOf: new Date(), logger: createJsonLogger('silent') });

    // The universe and its history, seeded in SQL: random walks with a fixed seed, weekdays only.
    const seeded = performance.now();
    await db.raw(`insert into instruments (symbol, name, asset_class, currency, tick_size, lot_size, min_notional, sector)
      select 'S' || lpad(i::text, 3, '0'), 'bench ' || i, 'EQUITY', 'USD', 0.01, 1, 0, (array['TECH','FIN','HEALTH','ENERGY','INDUSTRIAL','CONSUMER','UTILITIES','MATERIALS'])[1 + i % 8]
      from generate_series(0, ${UNIVERSE - 1}) i`);
    await db.raw(`select setseed(0.42)`);
    await db.raw(`insert into price_history (symbol, date, close)
      select symbol, date, round((100 * exp(sum(step) over (partition by symbol order by date)))::numeric, 4)
      from (select 'S' || lpad(i::text, 3, '0') as symbol, d::date as date, 0.015 * (random() - 0.5) + 0.0002 as step
            from generate_series(0, ${UNIVERSE - 1}) i,
                 (select d from generate_series(?::date - interval '${Math.ceil(DAYS * 7 / 5) + 7} days', ?::date, interval '1 day') d
                   where extract(isodow from d) < 6 order by d desc limit ${DAYS + 1}) days) walk`, [AS_OF, AS_OF]);
    const maxSize = Math.max(...SIZES);
    const ids = Array.from({ length: maxSize }, () => randomUUID());
    await db('portfolios').insert(ids.map((id, k) => ({ id, account_id: 'paper', name: `bench ${k}`, base_currency: 'USD', cash: '100000', created_by: 'bench' })));
    const positions = ids.flatMap((id, k) => Array.from({ length: POSITIONS }, (_, j) => ({
      portfolio_id: id, symbol: `S${String((k * 7 + j * 4) % UNIVERSE).padStart(3, '0')}`, quantity: String(10 + ((k + j) % 40)), average_cost: '95', realized_pnl: '0',
    })));
    for (let i = 0; i < positions.length; i += 5000) await db('positions').insert(positions.slice(i, i + 5000));
    await db.raw('analyze');
    console.log(`seeded ${UNIVERSE} symbols × ${DAYS + 1} closes and ${maxSize} portfolios × ${POSITIONS} positions in ${((performance.now() - seeded) / 1000).toFixed(1)} s`);

    const signingKey = randomBytes(32);
    await startBenchWorker(config, { temporalAddress: temporal.address, db, signingKey, workflowBundle: bundle }, stops);
    const connection = await Connection.connect({ address: temporal.address });
    stops.unshift(() => connection.close());
    const client = new Client({ connection });
    const signer = createHmacCommandSignature(signingKey);

    const runFor = async (n: number): Promise<number> => {
      const unsigned = { runId: randomUUID(), date: AS_OF, portfolioIds: ids.slice(0, n), requestedBy: 'bench', issuedAt: new Date().toISOString() };
      const command: DailyRiskCommand = { ...unsigned, signature: signer.sign('daily-risk', dailyRiskSignedFields(unsigned)) };
      const t0 = performance.now();
      const report = await client.workflow.execute('dailyRiskWorkflow', { workflowId: dailyRiskWorkflowId(command.runId), taskQueue: config.temporal.taskQueue, args: [command] }) as DailyRiskReport;
      const ms = performance.now() - t0;
      const day = report.dates[0]!;
      if (day.checked !== n || day.failed.length > 0) throw new Error(`run for ${n}: checked ${day.checked}, failed ${JSON.stringify(day.failed.slice(0, 3))}`);
      return ms;
    };
    await runFor(Math.min(10, SIZES[0]!)); // warm-up: JIT, connections, the first workflow task
    const times = new Map<number, number>();
    for (const n of SIZES) {
      const ms = await runFor(n);
      times.set(n, ms);
      console.log(`daily risk run, ${n} portfolios × ${POSITIONS} positions × ${DAYS} days (concurrency ${config.dailyRisk.concurrency}): ${(ms / 1000).toFixed(2)} s, ${(ms / n).toFixed(1)} ms per portfolio`);
    }
    const base = SIZES[0]!;
    const baseMs = times.get(base)!;
    if (base === 100) console.log(`ratio to the ${TARGET_MS / 1000} s target at 100 portfolios: ${(baseMs / TARGET_MS).toFixed(3)} (${baseMs <= TARGET_MS ? 'met' : 'NOT met'})`);
    for (const n of SIZES.slice(1)) {
      const ratio = times.get(n)! / (baseMs * (n / base));
      console.log(`time at ${n} vs linear from ${base}: ${ratio.toFixed(2)} (1.00 = linear; ${ratio <= 1.25 ? 'linear' : 'worse than linear'})`);
    }
    const rows = await db('risk_snapshots').count<Array<{ count: string }>>('* as count');
    console.log(`snapshots stored: ${rows[0]!.count} (one per portfolio and date: re-runs replaced)`);
  } finally {
    await runStops(stops);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
