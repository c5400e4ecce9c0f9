import { readFile } from 'node:fs/promises';
import { randomBytes, randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type WorkflowBundle } from '@temporalio/worker';
import type { Knex } from 'knex';
import { composeWorker, type ComposedWorker } from '../../workers/compose-worker';
import { createDatabase, migrateToLatest } from '../../src/adapters/db/knex-database';
import { createJsonLogger } from '../../src/adapters/logging/json-logger';
import { loadConfig, type ApiKeyGrant, type RiskflowConfig } from '../../src/config/config';
import type { GatewayDeps } from '../../src/gateway/gateway-deps';
import { listen } from '../../src/gateway/listen';
import type { Clock } from '../../src/ports/clock.port';
import type { Logger } from '../../src/ports/logger.port';
import { systemClock } from '../../src/ports/clock.port';
import { composeGateway } from '../../src/system/compose-gateway';
import { GATEWAY_CONNECTION_TUNING } from '../../src/system/temporal-connection-options';
import { seedReferenceData } from '../../src/system/reference-data';
import { createTestDatabase } from './test-database';

export const KEYS = {
  viewer: 'demo-viewer-key', trader: 'demo-trader-key', approver: 'demo-approver-key', admin: 'demo-admin-key',
} as const;

/** The paper venue's fee in tests: 10 bp, no slippage, no minimum. */
export const TEST_PAPER_FEE_BPS = '10';

let runtimeInstalled = false;

/** One Temporal runtime per test process, logging warnings only. */
export function installQuietRuntime(): void {
  if (runtimeInstalled) return;
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  runtimeInstalled = true;
}

export function temporalAddress(): string {
  const address = process.env.RISKFLOW_TEST_TEMPORAL_ADDRESS;
  if (!address) throw new Error('RISKFLOW_TEST_TEMPORAL_ADDRESS is not set: run through jest (global setup)');
  return address;
}

/**
 * The configuration a test system runs with, read through the same loadConfig as every process:
 * the shared Temporal server, the test's database and task queue, development mode (demo keys).
 */
export function testConfig(env: Record<string, string>): RiskflowConfig {
  return loadConfig({ TEMPORAL_ADDRESS: temporalAddress(), PAPER_FEE_BPS: TEST_PAPER_FEE_BPS, LOG_LEVEL: 'silent', DEMO_MARKET: 'true', ...env }, path.resolve(__dirname, '../..'));
}

/** The workflow bundle built once in global setup, so each test file skips the bundler. */
export async function sharedWorkflowBundle(): Promise<WorkflowBundle | undefined> {
  const file = process.env.RISKFLOW_TEST_WORKFLOW_BUNDLE;
  return file ? { code: await readFile(file, 'utf8') } : undefined;
}

export interface TestDatabase {
  readonly url: string;
  readonly db: Knex;
  close(): Promise<void>;
}

/** A fresh, migrated database with the paper account and the demo market. */
export async function migratedTestDatabase(prefix: string, asOf = new Date()): Promise<TestDatabase> {
  const created = await createTestDatabase(prefix);
  const db = createDatabase(created.url);
  await migrateToLatest(db);
  await seedReferenceData(db, { demoMarket: true, asOf, logger: createJsonLogger('silent') });
  return {
    url: created.url,
    db,
    close: async () => {
      await db.destroy();
      await created.drop();
    },
  };
}

export interface TestSystem {
  readonly config: RiskflowConfig;
  /** The key the gateway signs commands with and the worker verifies them with. */
  readonly signingKey: Buffer;
  readonly db: Knex;
  readonly databaseUrl: string;
  readonly client: Client;
  readonly taskQueue: string;
  readonly baseUrl: string;
  readonly deps: GatewayDeps;
  /** Starts the in-process worker (already running unless started with `worker: false`). */
  startWorker(): Promise<void>;
  /** Stops it, as a worker that goes away. */
  stopWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** A whole Riskflow on the shared Temporal server: own database, own task queue, gateway on a free port. */
export async function startTestSystem(prefix: string, options: { worker?: boolean; clock?: Clock; decisionTimeoutMs?: number; logger?: Logger; apiKeys?: readonly ApiKeyGrant[]; env?: Record<string, string> } = {}): Promise<TestSystem> {
  installQuietRuntime();
  const clock = options.clock ?? systemClock;
  const database = await migratedTestDatabase(prefix, clock.now());
  const taskQueue = `${prefix}-${randomUUID()}`;
  const config = testConfig({
    DATABASE_URL: database.url, TEMPORAL_TASK_QUEUE: taskQueue, ORDER_DECISION_TIMEOUT_MS: String(options.decisionTimeoutMs ?? 30_000),
    ...(options.apiKeys && { RISKFLOW_API_KEYS: JSON.stringify(options.apiKeys) }),
    ...options.env,
  });
  const connection = await Connection.connect({ address: temporalAddress(), ...GATEWAY_CONNECTION_TUNING });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const signingKey = randomBytes(32);
  const { app, deps } = composeGateway(config, { client, db: database.db, clock, logger: options.logger ?? createJsonLogger('silent'), signingKey });
  const server = await listen(app, '127.0.0.1', 0);

  let worker: ComposedWorker | undefined;
  let workerRun: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  const startWorker = async () => {
    nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
    const bundle = await sharedWorkflowBundle();
    worker = await composeWorker(config, { connection: nativeConnection, db: database.db, clock, signingKey, ...(bundle && { workflowBundle: bundle }) });
    workerRun = worker.run();
  };
  const stopWorker = async () => {
    worker?.shutdown();
    await workerRun;
    await nativeConnection?.close();
    worker = undefined;
    nativeConnection = undefined;
  };
  if (options.worker !== false) await startWorker();

  return {
    config, signingKey, db: database.db, databaseUrl: database.url, client, taskQueue, baseUrl: `http://127.0.0.1:${server.port}`, deps,
    startWorker,
    stopWorker,
    async stop() {
      await server.close();
      await stopWorker();
      await connection.close();
      await database.close();
    },
  };
}

/** A small HTTP client for the gateway: JSON in, status and JSON out. */
export function apiClient(baseUrl: string, key: string | null = KEYS.admin) {
  return async <T = Record<string, unknown>>(method: string, path: string, body?: unknown): Promise<{ status: number; body: T }> => {
    const res = await fetch(baseUrl + path, {
      method,
      headers: { 'content-type': 'application/json', ...(key && { authorization: `Bearer ${key}` }) },
      ...(body !== undefined && { body: typeof body === 'string' ? body : JSON.stringify(body) }),
    });
    const text = await res.text();
    return { status: res.status, body: (text ? JSON.parse(text) : null) as T };
  };
}

/** Polls the books until the order reaches one of the statuses (tests only: the product never polls). */
export async function waitForOrderStatus(db: Knex, orderId: string, statuses: readonly string[], timeoutMs = 30_000): Promise<string> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await db('orders').where({ id: orderId }).first<{ status: string } | undefined>('status');
    if (row && statuses.includes(row.status)) return row.status;
    if (Date.now() > deadline) throw new Error(`order ${orderId} is ${row?.status ?? 'missing'}, not ${statuses.join('|')}, after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
