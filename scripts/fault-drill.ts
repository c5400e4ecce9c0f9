/**
 * The fault drill: a stream of orders (each retried until it has an answer) and quotes, while the
 * worker, the gateway, Temporal and PostgreSQL are SIGKILLed and restarted in turn; then the books
 * are checked: every acknowledged order exists once and is final or legitimately resting, every
 * venue execution is booked once, cash = deposits + ledger, positions = fills.
 *
 *   npm run drill                        # about two minutes, every fault three times
 *   DRILL_SECONDS=25 DRILL_ROUNDS=1 npm run drill     # the short form CI runs (test/e2e/fault-drill.test.ts)
 *
 * It starts its own Temporal dev server (with a SQLite file, so a killed one comes back with its
 * workflows) and its own embedded PostgreSQL in a temporary folder, on free loopback ports.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client as PgClient } from 'pg';
import { searchAttributeCliFlags } from '../src/adapters/temporal/search-attribute-registry';
import { RISKFLOW_SEARCH_ATTRIBUTES } from '../src/contracts/search-attributes';
import { Decimal } from '../src/domain/values/decimal';
import { startEmbeddedPostgres, type EmbeddedPostgres } from '../src/platform/embedded-database';
import { findFreePort } from '../src/platform/free-port';
import { resolveTemporalCli } from '../src/platform/temporal-cli';
import { startTemporalDevServer, type TemporalDevServer } from '../src/platform/temporal-dev-server';

const ROOT = path.resolve(__dirname, '..');
const SECONDS = Number(process.env.DRILL_SECONDS ?? 120);
const ROUNDS = Number(process.env.DRILL_ROUNDS ?? 3);
const CLIENTS = Number(process.env.DRILL_CLIENTS ?? 4);
const KEY = 'demo-admin-key';
const SYMBOLS = ['AAPL', 'MSFT', 'JPM', 'XOM'];

const log = (message: string) => process.stdout.write(`[drill ${new Date().toISOString().slice(11, 19)}] ${message}\n`);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Platform {
  temporal: TemporalDevServer;
  postgres: EmbeddedPostgres;
  worker: ChildProcess;
  gateway: ChildProcess;
}

async function main(): Promise<number> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'riskflow-drill-'));
  const cliPath = await resolveTemporalCli({ projectRoot: ROOT, env: process.env, log });
  const ports = { temporal: await findFreePort(), postgres: await findFreePort(), gateway: await findFreePort() };
  const pgOptions = { dataDir: path.join(dir, 'pg'), port: ports.postgres, user: 'drill', password: 'drill', database: 'drill' };
  const temporalOptions = {
    cliPath, host: '127.0.0.1', port: ports.temporal, dbFile: path.join(dir, 'temporal.db'), namespace: 'default',
    searchAttributes: searchAttributeCliFlags(RISKFLOW_SEARCH_ATTRIBUTES),
  };
  const env = {
    PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', TEMPORAL_ADDRESS: `127.0.0.1:${ports.temporal}`,
    DATABASE_URL: `postgres://drill:drill@127.0.0.1:${ports.postgres}/drill`, GATEWAY_PORT: String(ports.gateway), LOG_LEVEL: 'info',
    RISKFLOW_COMMAND_SIGNING_KEY: randomBytes(32).toString('hex'), RISKFLOW_DATA_DIR: dir, RECONCILE_INTERVAL_MINUTES: '1',
    ORDER_DECISION_TIMEOUT_MS: '10000',
  };
  const processOutput: string[] = [];
  const launch = async (script: string, ready: string): Promise<ChildProcess> => {
    const child = spawn(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    const onData = (c: Buffer) => {
      out += c.toString();
      processOutput.push(c.toString());
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', onData);
    for (let i = 0; i < 240 && !out.includes(ready); i++) {
      if (child.exitCode !== null) break;
      await sleep(250);
    }
    if (!out.includes(ready)) throw new Error(`${script} did not start: ${out.slice(-2000)}`);
    return child;
  };
  const kill = async (child: ChildProcess) => {
    if (child.exitCode === null && child.signalCode === null) {
      child.kill('SIGKILL');
      await new Promise((r) => child.once('exit', r));
    }
  };
  const base = `http://127.0.0.1:${ports.gateway}`;
  const gatewayReady = async () => {
    for (let i = 0; i < 240; i++) {
      try {
        if ((await fetch(`${base}/health`)).status < 600) return;
      } catch {
        // not yet
      }
      await sleep(250);
    }
  };

  log(`starting Temporal (:${ports.temporal}), PostgreSQL (:${ports.postgres}), a worker and a gateway (:${ports.gateway}) in ${dir}`);
  const platform: Partial<Platform> = {};

  const faults: Array<[string, () => Promise<void>]> = [
    ['worker', async () => {
      await kill(platform.worker!);
      await sleep(1_000);
      platform.worker = await launch('workers/worker.main.ts', 'worker running');
    }],
    ['gateway', async () => {
      await kill(platform.gateway!);
      await sleep(500);
      platform.gateway = await launch('src/system/gateway.main.ts', 'gateway listening');
    }],
    ['Temporal', async () => {
      process.kill(platform.temporal!.pid, 'SIGKILL');
      await platform.temporal!.stop();
      await sleep(1_000);
      platform.temporal = await startTemporalDevServer(temporalOptions);
    }],
    ['PostgreSQL', async () => {
      const postmaster = Number((await readFile(path.join(pgOptions.dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
      process.kill(postmaster, 'SIGKILL');
      await platform.postgres!.stop().catch(() => undefined);
      await sleep(1_000);
      platform.postgres = await startEmbeddedPostgres(pgOptions);
    }],
  ];

  let code = 1;
  try {
    platform.temporal = await startTemporalDevServer(temporalOptions);
    platform.postgres = await startEmbeddedPostgres(pgOptions);
    platform.worker = await launch('workers/worker.main.ts', 'worker running');
    platform.gateway = await launch('src/system/gateway.main.ts', 'gateway listening');
    await gatewayReady();
    const api = async (method: string, url: string, body?: unknown) => {
      const res = await fetch(base + url, { method, headers: { 'content-type': 'application/json', authorization: `Bearer ${KEY}` }, ...(body !== undefined && { body: JSON.stringify(body) }) });
      return { status: res.status, body: (await res.json().catch(() => null)) as Record<string, unknown> | null };
    };
    /** Sends until an answer that settles it (a retry is safe: the client request id makes it idempotent). */
    const untilAnswered = async (method: string, url: string, body: unknown, settled: (s: number) => boolean, giveUpMs = 120_000) => {
      const deadline = Date.now() + giveUpMs;
      for (;;) {
        try {
          const res = await api(method, url, body);
          if (settled(res.status)) return res;
        } catch {
          // the gateway is down: retry
        }
        if (Date.now() > deadline) return null;
        await sleep(300);
      }
    };

    const portfolio = await untilAnswered('POST', '/v1/portfolios', { name: 'drill', initialCash: '10000000' }, (s) => s === 201);
    const portfolioId = String(portfolio!.body!.portfolioId);
    await untilAnswered('PUT', `/v1/portfolios/${portfolioId}/risk-limits`, {
      maxOrderValue: '1000000', maxPositionPctOfEquity: '1', maxOpenPositions: 50, maxGrossLeverage: '1', maxQuoteAgeSeconds: 86_400,
    }, (s) => s === 200);
    const prices = new Map(SYMBOLS.map((s, i) => [s, 100 + i * 50]));
    const quote = (symbol: string) => {
      const last = prices.get(symbol)!;
      return { bid: (last - 0.05).toFixed(2), ask: (last + 0.05).toFixed(2), last: last.toFixed(2) };
    };
    for (const symbol of SYMBOLS) await untilAnswered('PUT', `/v1/quotes/${symbol}`, quote(symbol), (s) => s === 200);

    const acknowledged = new Map<string, string>(); // clientRequestId → orderId
    let unanswered = 0;
    let stop = false;
    const client = async (lane: number) => {
      for (let n = 0; !stop; n++) {
        const symbol = SYMBOLS[(lane + n) % SYMBOLS.length]!;
        const last = prices.get(symbol)!;
        const clientRequestId = `drill-${lane}-${n}`;
        const body = n % 3 === 2
          ? { portfolioId, symbol, side: 'BUY', type: 'LIMIT', quantity: '1', limitPrice: (last - 1).toFixed(2), clientRequestId }
          : { portfolioId, symbol, side: n % 5 === 4 ? 'SELL' : 'BUY', quantity: '1', clientRequestId };
        const res = await untilAnswered('POST', '/v1/orders', body, (s) => s === 201 || s === 200);
        if (res?.body?.orderId) acknowledged.set(clientRequestId, String(res.body.orderId));
        else unanswered += 1;
      }
    };
    const market = async () => {
      while (!stop) {
        for (const symbol of SYMBOLS) prices.set(symbol, Math.round((prices.get(symbol)! + (Math.random() - 0.5) * 3) * 100) / 100);
        const symbol = SYMBOLS[Math.floor(Math.random() * SYMBOLS.length)]!;
        await untilAnswered('PUT', `/v1/quotes/${symbol}`, quote(symbol), (s) => s === 200, 30_000);
        await sleep(400);
      }
    };

    log(`${CLIENTS} clients place orders for ${SECONDS} s; each fault ${ROUNDS} time(s)`);
    const load = Promise.all([...Array.from({ length: CLIENTS }, (_, i) => client(i)), market()]);
    const slot = (SECONDS * 1000) / (faults.length * ROUNDS + 1);
    for (let round = 0; round < ROUNDS; round++) {
      for (const [name, fault] of faults) {
        await sleep(slot);
        log(`SIGKILL ${name}`);
        await fault();
        log(`${name} back`);
      }
    }
    await sleep(slot);
    stop = true;
    await load;
    log(`${acknowledged.size} orders acknowledged, ${unanswered} never answered; waiting for the books to settle`);

    const pg = new PgClient({ connectionString: env.DATABASE_URL });
    await pg.connect();
    try {
      const openCount = async () => Number((await pg.query(`select count(*) from orders where status in ('PENDING_RISK','APPROVED')`)).rows[0].count);
      for (let i = 0; i < 120 && (await openCount()) > 0; i++) await sleep(500);
      // Anything a killed process stranded is settled by the reconciliation every worker schedules; ask for one now.
      await untilAnswered('POST', '/v1/admin/reconciliations', { graceSeconds: 0 }, (s) => s === 200 || s === 202);
      await sleep(3_000);
      const violations = await checkBooks(pg, portfolioId, acknowledged);
      if (unanswered > 0) violations.push(`${unanswered} orders got no answer within 120 s of retries`);
      if (violations.length === 0) {
        log(`books consistent: ${acknowledged.size} orders, every fault survived`);
        code = 0;
      } else {
        for (const v of violations) log(`VIOLATION ${v}`);
      }
    } finally {
      await pg.end();
    }
  } catch (err) {
    log(`drill failed: ${err instanceof Error ? err.stack : String(err)}`);
    log(processOutput.join('').slice(-4000));
  } finally {
    await Promise.allSettled([platform.gateway && kill(platform.gateway), platform.worker && kill(platform.worker)]);
    await Promise.allSettled([platform.temporal?.stop(), platform.postgres?.stop()]);
    await rm(dir, { recursive: true, force: true });
  }
  return code;
}

/** The invariants of the books after the drill; each broken one is a line. */
async function checkBooks(pg: PgClient, portfolioId: string, acknowledged: ReadonlyMap<string, string>): Promise<string[]> {
  const violations: string[] = [];
  const rows = async <T>(sql: string, params: unknown[] = []) => (await pg.query(sql, params)).rows as T[];

  const orders = await rows<{ id: string; client_request_id: string; status: string }>('select id, client_request_id, status from orders where portfolio_id = $1', [portfolioId]);
  const byId = new Map(orders.map((o) => [o.id, o]));
  for (const [requestId, orderId] of acknowledged) {
    const order = byId.get(orderId);
    if (!order) violations.push(`acknowledged order ${orderId} (${requestId}) is not in the books`);
    else if (!['FILLED', 'DENIED', 'VALIDATED', 'CANCELLED', 'REJECTED', 'WORKING'].includes(order.status)) violations.push(`order ${orderId} is still ${order.status}`);
  }
  for (const r of await rows<{ client_request_id: string; n: string }>('select client_request_id, count(*) n from orders where portfolio_id = $1 group by 1 having count(*) > 1', [portfolioId])) {
    violations.push(`client request ${r.client_request_id} has ${r.n} orders`);
  }
  for (const r of await rows<{ id: string }>('select id from orders where filled_quantity > quantity and portfolio_id = $1', [portfolioId])) violations.push(`order ${r.id} is over-filled`);
  for (const r of await rows<{ client_order_id: string }>('select client_order_id from paper_executions group by 1 having count(*) > 1')) violations.push(`venue order ${r.client_order_id} executed twice`);
  for (const r of await rows<{ execution_id: string }>('select e.execution_id from paper_executions e left join fills f on f.broker_execution_id = e.execution_id where f.id is null')) {
    violations.push(`venue execution ${r.execution_id} is not booked`);
  }
  // A resting order is legitimate only if no quote since it reached the venue crossed it (one that
  // crossed between the decision and the submission, and moved back, found nothing to fill there).
  for (const r of await rows<{ id: string }>(`
      select o.id from orders o join paper_orders v on v.client_order_id = o.broker_client_order_id
      where o.portfolio_id = $1 and o.status = 'WORKING' and exists (
        select 1 from quote_ticks t where t.symbol = o.symbol and t.created_at > v.created_at
          and ((o.side = 'BUY' and t.ask <= o.limit_price) or (o.side = 'SELL' and t.bid >= o.limit_price)))`, [portfolioId])) {
    violations.push(`order ${r.id} rests although a quote crossed it`);
  }
  const [cash] = await rows<{ cash: string; ledger: string }>(`
      select p.cash::text, (select coalesce(sum(amount), 0)::text from ledger_entries l where l.portfolio_id = p.id and l.symbol is null) as ledger
      from portfolios p where p.id = $1`, [portfolioId]);
  if (!new Decimal(cash!.cash).eq(cash!.ledger)) violations.push(`cash ${cash!.cash} is not deposits + ledger ${cash!.ledger}`);
  for (const r of await rows<{ symbol: string; position: string; fills: string }>(`
      select s.symbol, coalesce(p.quantity, 0)::text as position,
             coalesce((select sum(case when f.side = 'BUY' then f.quantity else -f.quantity end) from fills f where f.portfolio_id = $1 and f.symbol = s.symbol), 0)::text as fills
      from (select distinct symbol from fills where portfolio_id = $1) s left join positions p on p.portfolio_id = $1 and p.symbol = s.symbol`, [portfolioId])) {
    if (!new Decimal(r.position).eq(r.fills)) violations.push(`${r.symbol} position ${r.position} is not the fills' ${r.fills}`);
  }
  return violations;
}

main().then((code) => process.exit(code), (err: unknown) => {
  process.stderr.write(`${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
