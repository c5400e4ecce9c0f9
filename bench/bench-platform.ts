import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createDatabase, migrateToLatest } from '../src/adapters/db/knex-database';
import { createJsonLogger } from '../src/adapters/logging/json-logger';
import { loadConfig, type RiskflowConfig } from '../src/config/config';
import { listen } from '../src/gateway/listen';
import { composeGateway } from '../src/system/compose-gateway';
import { seedReferenceData } from '../src/system/reference-data';
import { systemClock } from '../src/ports/clock.port';
import { composeWorker } from '../workers/compose-worker';
import { searchAttributeCliFlags } from '../src/adapters/temporal/search-attribute-registry';
import { RISKFLOW_SEARCH_ATTRIBUTES } from '../src/contracts/search-attributes';
import { startEmbeddedPostgres } from '../src/platform/embedded-database';
import { findFreePort } from '../src/platform/free-port';
import { resolveTemporalCli } from '../src/platform/temporal-cli';
import { startTemporalDevServer } from '../src/platform/temporal-dev-server';

export const BENCH_ROOT = path.resolve(__dirname, '..');

/**
 * The dev server hands tasks out at most 20 times a second on its one history shard
 * (`history.transferProcessorMaxPollRPS`), which rounds one client's latencies up to 50 ms beats;
 * BENCH_DISPATCH_RPS lifts that limit to show each side's own time.
 */
export const BENCH_DISPATCH_RPS = process.env.BENCH_DISPATCH_RPS;

/** A benchmark's own Temporal dev server on a free loopback port, with BENCH_DISPATCH_RPS applied. */
export async function startBenchTemporal() {
  const cliPath = await resolveTemporalCli({ projectRoot: BENCH_ROOT, env: process.env, log: (m) => console.log(m) });
  return startTemporalDevServer({
    cliPath, host: '127.0.0.1', port: await findFreePort(), namespace: 'default', searchAttributes: searchAttributeCliFlags(RISKFLOW_SEARCH_ATTRIBUTES),
    ...(BENCH_DISPATCH_RPS !== undefined && { dynamicConfig: { 'history.transferProcessorMaxPollRPS': Number(BENCH_DISPATCH_RPS) } }),
  });
}

/** A benchmark's own Temporal dev server and PostgreSQL, on free loopback ports; `stops` tears down in reverse order. */
export async function startBenchServers(): Promise<{ temporalAddress: string; databaseUrl: string; stops: Array<() => Promise<void>> }> {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'riskflow-bench-'));
  const stops: Array<() => Promise<void>> = [async () => rm(tempDir, { recursive: true, force: true })];
  const [temporal, pg] = await Promise.all([
    startBenchTemporal(),
    (async () => startEmbeddedPostgres({ dataDir: path.join(tempDir, 'pg'), port: await findFreePort(), user: 'bench', password: 'bench', database: 'bench' }))(),
  ]);
  stops.unshift(() => temporal.stop(), () => pg.stop());
  return { temporalAddress: temporal.address, databaseUrl: pg.url, stops };
}

/** Runs the stops in order, each even if an earlier one failed. */
export async function runStops(stops: ReadonlyArray<() => Promise<void>>): Promise<void> {
  for (const stop of stops) await stop().catch((err: unknown) => console.error('stop failed:', err));
}

/** The worker in this process (composeWorker), running until the stops shut it down. */
export async function startBenchWorker(config: RiskflowConfig, options: Omit<Parameters<typeof composeWorker>[1], 'connection' | 'clock'> & { temporalAddress: string }, stops: Array<() => Promise<void>>): Promise<void> {
  const { temporalAddress, ...rest } = options;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress });
  const worker = await composeWorker(config, { ...rest, connection: nativeConnection, clock: systemClock });
  const workerRun = worker.run();
  stops.unshift(async () => {
    worker.shutdown();
    await workerRun;
    await nativeConnection.close();
  });
}

/** The configuration on the bench's servers, and their database migrated and seeded with the demo market (closed by the stops). */
export async function openBenchDatabase(servers: { temporalAddress: string; databaseUrl: string; stops: Array<() => Promise<void>> }, taskQueue = 'bench'): Promise<{ config: RiskflowConfig; db: Knex }> {
  const config = loadConfig({ TEMPORAL_ADDRESS: servers.temporalAddress, DATABASE_URL: servers.databaseUrl, TEMPORAL_TASK_QUEUE: taskQueue, LOG_LEVEL: 'warn' }, BENCH_ROOT);
  const db = createDatabase(servers.databaseUrl, { min: 2, max: 20 });
  servers.stops.unshift(() => db.destroy());
  await migrateToLatest(db);
  await seedReferenceData(db, { demoMarket: true, asOf: new Date(), logger: createJsonLogger('silent') });
  return { config, db };
}

/** The gateway in this process (composeGateway) on a free loopback port, with its own Temporal client; closed by the stops. */
export async function startBenchGateway(config: RiskflowConfig, { temporalAddress, db, signingKey }: { temporalAddress: string; db: Knex; signingKey: Buffer }, stops: Array<() => Promise<void>>) {
  const connection = await Connection.connect({ address: temporalAddress });
  stops.unshift(() => connection.close());
  const client = new Client({ connection, namespace: 'default' });
  const { app, deps } = composeGateway(config, { client, db, clock: systemClock, logger: createJsonLogger('warn'), signingKey });
  const gateway = await listen(app, '127.0.0.1', 0);
  stops.unshift(() => gateway.close());
  return { client, deps, baseUrl: `http://127.0.0.1:${gateway.port}` };
}
