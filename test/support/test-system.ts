import { readFile } from 'node:fs/promises';
import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime, type Worker, type WorkflowBundle } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createRiskflowWorker } from '../../workers/create-worker';
import { createDatabase, migrateToLatest } from '../../src/adapters/db/knex-database';
import { createJsonLogger } from '../../src/adapters/logging/json-logger';
import { DEMO_API_KEYS } from '../../src/config/config';
import { createApp } from '../../src/gateway/create-app';
import { createGatewayDeps } from '../../src/gateway/create-gateway-deps';
import type { GatewayDeps } from '../../src/gateway/gateway-deps';
import { listen } from '../../src/gateway/listen';
import type { PaperCostModel } from '../../src/domain/broker/paper-execution';
import { Decimal } from '../../src/domain/values/decimal';
import type { Clock } from '../../src/ports/clock.port';
import { systemClock } from '../../src/ports/clock.port';
import { seedReferenceData } from '../../src/system/reference-data';
import { createTestDatabase } from './test-database';

export const TEST_PAPER_COSTS: PaperCostModel = { feeBps: new Decimal(10), slippageBps: new Decimal(0), minFee: new Decimal(0) };
export const KEYS = {
  viewer: 'demo-viewer-key', trader: 'demo-trader-key', approver: 'demo-approver-key', admin: 'demo-admin-key',
} as const;

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
  readonly db: Knex;
  readonly databaseUrl: string;
  readonly client: Client;
  readonly taskQueue: string;
  readonly baseUrl: string;
  readonly deps: GatewayDeps;
  /** Starts the in-process worker (already running unless started with `worker: false`). */
  startWorker(): Promise<void>;
  stop(): Promise<void>;
}

/** A whole Riskflow on the shared Temporal server: own database, own task queue, gateway on a free port. */
export async function startTestSystem(prefix: string, options: { worker?: boolean; clock?: Clock; decisionTimeoutMs?: number } = {}): Promise<TestSystem> {
  installQuietRuntime();
  const clock = options.clock ?? systemClock;
  const database = await migratedTestDatabase(prefix, clock.now());
  const taskQueue = `${prefix}-${randomUUID()}`;
  const connection = await Connection.connect({ address: temporalAddress() });
  const client = new Client({ connection, namespace: 'default' });
  const logger = createJsonLogger('silent');
  const deps = createGatewayDeps({ client, db: database.db, namespace: 'default', apiKeys: DEMO_API_KEYS, logger, clock, taskQueue, decisionTimeoutMs: options.decisionTimeoutMs ?? 30_000 });
  const server = await listen(createApp(deps), '127.0.0.1', 0);

  let worker: Worker | undefined;
  let workerRun: Promise<void> | undefined;
  let nativeConnection: NativeConnection | undefined;
  const startWorker = async () => {
    nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
    const bundle = await sharedWorkflowBundle();
    worker = await createRiskflowWorker({
      connection: nativeConnection, namespace: 'default', db: database.db, paperCosts: TEST_PAPER_COSTS, clock, taskQueue,
      ...(bundle && { workflowBundle: bundle }),
    });
    workerRun = worker.run();
  };
  if (options.worker !== false) await startWorker();

  return {
    db: database.db, databaseUrl: database.url, client, taskQueue, baseUrl: `http://127.0.0.1:${server.port}`, deps,
    startWorker,
    async stop() {
      await server.close();
      if (worker) {
        worker.shutdown();
        await workerRun;
      }
      await nativeConnection?.close();
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
