import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createJsonLogger } from '../../src/adapters/logging/json-logger';
import { listen } from '../../src/gateway/listen';
import { findFreePort } from '../../src/platform/free-port';
import { systemClock } from '../../src/ports/clock.port';
import { composeGateway } from '../../src/system/compose-gateway';
import { GATEWAY_CONNECTION_TUNING } from '../../src/system/temporal-connection-options';
import { reconciliationScheduleId } from '../../src/contracts/reconciliation-contracts';
import { apiClient, KEYS, startTestSystem, temporalAddress, testConfig, type TestSystem } from '../support/test-system';

const ROOT = path.resolve(__dirname, '../..');

/** Processes whose command line names the folder (a postmaster left running in it). */
async function pgrep(folder: string): Promise<string[]> {
  const { execFile } = await import('node:child_process');
  return new Promise((resolve) => execFile('pgrep', ['-f', folder], (_err, stdout) => resolve(stdout.split('\n').filter(Boolean))));
}
let system: TestSystem;
beforeAll(async () => {
  system = await startTestSystem('outages', { env: { WORKER_HEARTBEAT_SECONDS: '1', WORKER_SILENCE_SECONDS: '3' } });
});
afterAll(async () => system?.stop());

/** A gateway on the system's database whose Temporal does not answer (nothing listens at its address). */
async function gatewayWithoutTemporal() {
  const address = `127.0.0.1:${await findFreePort()}`;
  const connection = Connection.lazy({ address, ...GATEWAY_CONNECTION_TUNING });
  const config = testConfig({ DATABASE_URL: system.databaseUrl, TEMPORAL_ADDRESS: address, TEMPORAL_TASK_QUEUE: system.taskQueue });
  const { app } = composeGateway(config, { client: new Client({ connection }), db: system.db, clock: systemClock, logger: createJsonLogger('silent'), signingKey: system.signingKey });
  const server = await listen(app, '127.0.0.1', 0);
  return { baseUrl: `http://127.0.0.1:${server.port}`, stop: async () => { await server.close(); await connection.close().catch(() => undefined); } };
}

describe('outages answered fast and truthfully', () => {
  it('when Temporal does not answer, then /health answers within seconds naming Temporal, and an order is 503 saying whether it may have been placed', async () => {
    const gateway = await gatewayWithoutTemporal();
    try {
      const started = Date.now();
      const health = await apiClient(gateway.baseUrl, null)<{ status: string; components: { temporal: { status: string }; database: { status: string } } }>('GET', '/health');
      expect(Date.now() - started).toBeLessThan(5_000); // it used to hang about 20 s
      expect(health).toMatchObject({ status: 503, body: { status: 'degraded', components: { temporal: { status: 'down' }, database: { status: 'up' } } } });

      const admin = apiClient(system.baseUrl, KEYS.admin);
      const { body: portfolio } = await admin<{ portfolioId: string }>('POST', '/v1/portfolios', { name: 'outage', initialCash: '1000' });
      const trader = apiClient(gateway.baseUrl, KEYS.trader);
      const withKey = await trader<{ error: { code: string; details: { mayHaveBeenPlaced: boolean; retrySafe: boolean } } }>('POST', '/v1/orders', { portfolioId: portfolio.portfolioId, symbol: 'AAPL', side: 'BUY', quantity: '1', clientRequestId: 'outage-1' });
      expect(withKey).toMatchObject({ status: 503, body: { error: { code: 'SERVICE_UNAVAILABLE', details: { mayHaveBeenPlaced: true, retrySafe: true } } } });
      const withoutKey = await trader<{ error: { details: { retrySafe: boolean } } }>('POST', '/v1/orders', { portfolioId: portfolio.portfolioId, symbol: 'AAPL', side: 'BUY', quantity: '1' });
      expect(withoutKey).toMatchObject({ status: 503, body: { error: { details: { retrySafe: false } } } });
    } finally {
      await gateway.stop();
    }
  });

  it('when the worker stops, then /health shows it missing within the configured silence', async () => {
    const health = apiClient(system.baseUrl, null);
    expect((await health<{ status: string }>('GET', '/health')).body.status).toBe('ok');
    await system.stopWorker();
    let report: { status: string; components: { worker: { status: string } } } | undefined;
    for (let i = 0; i < 50 && report?.components.worker.status !== 'down'; i++) {
      report = (await health<NonNullable<typeof report>>('GET', '/health')).body;
      if (report.components.worker.status !== 'down') await new Promise((r) => setTimeout(r, 250));
    }
    expect(report).toMatchObject({ status: 'degraded', components: { worker: { status: 'down' } } });
    await system.startWorker();
  });

  it('when npm start gets Ctrl-C, then it runs its orderly stop to the end', async () => {
    const dataDir = await mkdtemp(path.join(os.tmpdir(), 'riskflow-ctrl-c-'));
    const taskQueue = `ctrl-c-${Date.now()}`;
    const child = spawn('npm', ['start'], {
      cwd: ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'],
      env: {
        // The embedded PostgreSQL makes the stop take a while, as it does for a user.
        PATH: process.env.PATH, HOME: process.env.HOME, TEMPORAL_ADDRESS: temporalAddress(), EMBEDDED_POSTGRES_PORT: String(await findFreePort()), RISKFLOW_DATA_DIR: dataDir,
        TEMPORAL_TASK_QUEUE: taskQueue, GATEWAY_PORT: String(await findFreePort()), LOG_LEVEL: 'info', DEMO_MARKET: 'false',
      },
    });
    let output = '';
    child.stdout!.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr!.on('data', (c: Buffer) => (output += c.toString()));
    const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
    try {
      for (let i = 0; i < 240 && !output.includes('Riskflow is running.'); i++) await new Promise((r) => setTimeout(r, 250));
      expect(output).toContain('Riskflow is running.');
      process.kill(-child.pid!, 'SIGINT'); // as the terminal does: the whole foreground process group
      await exited;
      expect(output).toContain('"message":"stopped"');
      expect(output).not.toContain('exiting now');
      // The embedded PostgreSQL was stopped, not orphaned.
      expect(await pgrep(dataDir)).toEqual([]);
    } finally {
      if (child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(-child.pid!, 'SIGKILL');
        } catch {
          // already gone
        }
      }
      await rm(dataDir, { recursive: true, force: true });
      await system.client.schedule.getHandle(reconciliationScheduleId(taskQueue)).delete().catch(() => undefined);
    }
  });
});
