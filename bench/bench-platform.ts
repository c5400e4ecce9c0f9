import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { NativeConnection } from '@temporalio/worker';
import type { RiskflowConfig } from '../src/config/config';
import { systemClock } from '../src/ports/clock.port';
import { composeWorker } from '../workers/compose-worker';
import { searchAttributeCliFlags } from '../src/adapters/temporal/search-attribute-registry';
import { RISKFLOW_SEARCH_ATTRIBUTES } from '../src/contracts/search-attributes';
import { startEmbeddedPostgres } from '../src/platform/embedded-database';
import { findFreePort } from '../src/platform/free-port';
import { resolveTemporalCli } from '../src/platform/temporal-cli';
import { startTemporalDevServer } from '../src/platform/temporal-dev-server';

export const BENCH_ROOT = path.resolve(__dirname, '..');

/** A benchmark's own Temporal dev server and PostgreSQL, on free loopback ports; `stops` tears down in reverse order. */
export async function startBenchServers(dynamicConfig: Readonly<Record<string, string | number | boolean>> = {}): Promise<{ temporalAddress: string; databaseUrl: string; stops: Array<() => Promise<void>> }> {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'riskflow-bench-'));
  const stops: Array<() => Promise<void>> = [async () => rm(tempDir, { recursive: true, force: true })];
  const cliPath = await resolveTemporalCli({ projectRoot: BENCH_ROOT, env: process.env, log: (m) => console.log(m) });
  const [temporal, pg] = await Promise.all([
    (async () => startTemporalDevServer({ cliPath, host: '127.0.0.1', port: await findFreePort(), namespace: 'default', searchAttributes: searchAttributeCliFlags(RISKFLOW_SEARCH_ATTRIBUTES), dynamicConfig }))(),
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
