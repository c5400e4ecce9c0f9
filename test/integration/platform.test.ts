import { spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client as TemporalClient, Connection } from '@temporalio/client';
import { Client as PgClient } from 'pg';
import { startEmbeddedPostgres } from '../../src/platform/embedded-database';
import { findFreePort } from '../../src/platform/free-port';
import { parentProcessId } from '../../src/platform/process-info';
import { resolveTemporalCli } from '../../src/platform/temporal-cli';
import { isTemporalReachable, startTemporalDevServer } from '../../src/platform/temporal-dev-server';
import { createTestDatabase } from '../support/test-database';
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import { ensureSearchAttributes, searchAttributeCliFlags, SearchAttributeTypeConflictError } from '../../src/adapters/temporal/search-attribute-registry';
import { RISKFLOW_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';

// Starts real servers; do not depend on the config's testTimeout (jest ignores it inside `projects`).
jest.setTimeout(60_000);

const projectRoot = path.resolve(__dirname, '..', '..');
const KEYWORD = 2; // temporal.api.enums.v1.IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD

const tempDirs: string[] = [];
async function tempDir(prefix: string): Promise<string> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  tempDirs.push(dir);
  return dir;
}
afterAll(async () => {
  await Promise.all(tempDirs.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function query<T extends Record<string, unknown>>(url: string, sql: string): Promise<T[]> {
  const client = new PgClient({ connectionString: url });
  await client.connect();
  try {
    return (await client.query<T>(sql)).rows;
  } finally {
    await client.end();
  }
}

/** Runs test/support/fixtures/hold-embedded-postgres.ts in its own process until it reports READY. */
function holdPostgresInChildProcess(dataDir: string, port: number): Promise<{ pid: number; url: string }> {
  const fixture = path.join(projectRoot, 'test', 'support', 'fixtures', 'hold-embedded-postgres.ts');
  const child = spawn(process.execPath, ['--import', 'tsx', fixture, dataDir, String(port)], {
    cwd: projectRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  return new Promise((resolve, reject) => {
    const onData = (chunk: Buffer): void => {
      output += chunk.toString();
      const ready = /READY (\S+)/.exec(output);
      if (ready?.[1] !== undefined && child.pid !== undefined) resolve({ pid: child.pid, url: ready[1] });
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => reject(new Error(`fixture exited with ${code ?? 'a signal'}: ${output}`)));
  });
}

async function postmasterPid(dataDir: string): Promise<number> {
  return Number((await readFile(path.join(dataDir, 'postmaster.pid'), 'utf8')).split('\n')[0]);
}

describe('platform', () => {
  it('when a test database is created, then it accepts tables and rows, and drop removes it', async () => {
    const database = await createTestDatabase('platform_test');

    await query(database.url, 'CREATE TABLE positions (symbol text PRIMARY KEY, quantity numeric NOT NULL)');
    await query(database.url, "INSERT INTO positions VALUES ('AAPL', 10), ('MSFT', 5)");
    const rows = await query<{ count: string }>(database.url, 'SELECT count(*) AS count FROM positions');
    await database.drop();

    expect(rows[0]?.count).toBe('2');
    const adminUrl = process.env.RISKFLOW_TEST_DATABASE_URL ?? '';
    const name = new URL(database.url).pathname.slice(1);
    const left = await query(adminUrl, `SELECT 1 FROM pg_database WHERE datname = '${name}'`);
    expect(left).toHaveLength(0);
  });

  it('when the global Temporal server is asked, then it answers and has the PortfolioId, Symbol and OrderStatus search attributes', async () => {
    const address = process.env.RISKFLOW_TEST_TEMPORAL_ADDRESS ?? '';

    const reachable = await isTemporalReachable(address);
    const connection = await Connection.connect({ address });
    const listed = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    await connection.close();

    expect(reachable).toBe(true);
    expect(listed.customAttributes).toMatchObject({ PortfolioId: KEYWORD, Symbol: KEYWORD, OrderStatus: KEYWORD });
  });

  it('when the global Temporal server is asked for a task queue\'s partitions, then each kind has one (a first workflow task never waits on a partition without a poller)', async () => {
    const connection = await Connection.connect({ address: process.env.RISKFLOW_TEST_TEMPORAL_ADDRESS ?? '' });
    try {
      const partitions = await connection.workflowService.listTaskQueuePartitions({ namespace: 'default', taskQueue: { name: `partitions-${process.pid}` } });

      expect(partitions.workflowTaskQueuePartitions).toHaveLength(1);
      expect(partitions.activityTaskQueuePartitions).toHaveLength(1);
    } finally {
      await connection.close();
    }
  });

  it('when embedded PostgreSQL is stopped and started on the same data dir, then a table keeps its rows', async () => {
    const dataDir = path.join(await tempDir('riskflow-pg-restart-'), 'data');
    const options = { dataDir, port: await findFreePort(), user: 'riskflow', password: 's3cret:/@', database: 'books' };

    const first = await startEmbeddedPostgres(options);
    await query(first.url, 'CREATE TABLE fills (id int PRIMARY KEY, symbol text NOT NULL)');
    await query(first.url, "INSERT INTO fills VALUES (1, 'AAPL'), (2, 'MSFT'), (3, 'NVDA')");
    await first.stop();
    const second = await startEmbeddedPostgres(options);
    const rows = await query<{ id: number; symbol: string }>(second.url, 'SELECT id, symbol FROM fills ORDER BY id');
    await second.stop();

    expect(second.url).toBe(first.url);
    expect(rows).toEqual([
      { id: 1, symbol: 'AAPL' },
      { id: 2, symbol: 'MSFT' },
      { id: 3, symbol: 'NVDA' },
    ]);
  });

  it('when the process that started embedded PostgreSQL is SIGKILLed (alone, with its host, or with the server too), then it starts again with its rows', async () => {
    const dataDir = path.join(await tempDir('riskflow-pg-crash-'), 'data');
    const port = await findFreePort();
    const crashes = ['parent', 'parent and host', 'parent, host and postmaster'] as const;

    const counts: string[] = [];
    for (const crash of crashes) {
      const held = await holdPostgresInChildProcess(dataDir, port);
      await query(held.url, 'CREATE TABLE IF NOT EXISTS crashes (id serial PRIMARY KEY)');
      await query(held.url, 'INSERT INTO crashes DEFAULT VALUES');
      const postmaster = await postmasterPid(dataDir);
      const host = await parentProcessId(postmaster);
      process.kill(held.pid, 'SIGKILL');
      if (crash !== 'parent' && host !== undefined) process.kill(host, 'SIGKILL');
      if (crash === 'parent, host and postmaster') process.kill(postmaster, 'SIGKILL');

      const restarted = await startEmbeddedPostgres({ dataDir, port, user: 'riskflow', password: 'riskflow', database: 'crash_test' });
      const rows = await query<{ count: string }>(restarted.url, 'SELECT count(*) AS count FROM crashes');
      await restarted.stop();
      counts.push(rows[0]?.count ?? 'none');
    }

    expect(counts).toEqual(['1', '2', '3']);
  });

  it('when the Temporal dev server with a db file is restarted, then a started workflow is still running and missing search attributes are registered once', async () => {
    const cliPath = await resolveTemporalCli({ projectRoot, env: process.env, log: () => undefined });
    const options = {
      cliPath,
      host: '127.0.0.1',
      port: await findFreePort(),
      dbFile: path.join(await tempDir('riskflow-temporal-db-'), 'temporal.sqlite'),
      namespace: 'default',
      searchAttributes: { PortfolioId: 'Keyword' },
    };
    const workflowId = `platform-persistence-${Date.now()}`;

    const first = await startTemporalDevServer(options);
    const firstConnection = await Connection.connect({ address: first.address });
    await new TemporalClient({ connection: firstConnection }).workflow.start('NoSuchWorkflow', {
      taskQueue: 'platform-test-no-worker',
      workflowId,
    });
    await firstConnection.close();
    await first.stop();
    const stoppedReachable = await isTemporalReachable(first.address, 1_000);

    // The file predates every attribute but PortfolioId: the flags of a restart are ignored, registration adds them.
    const second = await startTemporalDevServer({ ...options, searchAttributes: searchAttributeCliFlags(RISKFLOW_SEARCH_ATTRIBUTES) });
    const secondConnection = await Connection.connect({ address: second.address });
    const description = await new TemporalClient({ connection: secondConnection }).workflow.getHandle(workflowId).describe();
    const added = await ensureSearchAttributes(secondConnection, 'default', RISKFLOW_SEARCH_ATTRIBUTES);
    const addedAgain = await ensureSearchAttributes(secondConnection, 'default', RISKFLOW_SEARCH_ATTRIBUTES);
    const conflict = await ensureSearchAttributes(secondConnection, 'default', [defineSearchAttributeKey('PortfolioId', SearchAttributeType.INT)]).catch((err: unknown) => err);
    await secondConnection.close();
    await second.stop();

    expect(added.sort()).toEqual(RISKFLOW_SEARCH_ATTRIBUTES.map((a) => a.name).filter((name) => name !== 'PortfolioId').sort());
    expect(addedAgain).toEqual([]);
    expect(conflict).toBeInstanceOf(SearchAttributeTypeConflictError);

    expect(stoppedReachable).toBe(false);
    expect(description.type).toBe('NoSuchWorkflow');
    expect(description.status.name).toBe('RUNNING');
  });
});
