import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createRiskflowWorker } from '../../workers/create-worker';
import { createDatabase, migrateToLatest } from '../adapters/db/knex-database';
import { createJsonLogger } from '../adapters/logging/json-logger';
import { loadConfig, type RiskflowConfig } from '../config/config';
import { RISKFLOW_SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { createApp } from '../gateway/create-app';
import { createGatewayDeps } from '../gateway/create-gateway-deps';
import { listen } from '../gateway/listen';
import { startEmbeddedPostgres } from '../platform/embedded-database';
import { resolveTemporalCli } from '../platform/temporal-cli';
import { ensureSearchAttributes, isTemporalReachable, startTemporalDevServer } from '../platform/temporal-dev-server';
import { systemClock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import { EMBEDDED_DATABASE, dataPaths } from './embedded-defaults';
import { paperCostModel } from './paper-costs';
import { stopOnSignals } from './process-lifecycle';
import { startReferenceData } from './reference-data';

type Stopper = () => Promise<void>;

async function startTemporal(config: RiskflowConfig, logger: Logger): Promise<{ uiUrl: string | undefined; stop?: Stopper }> {
  const { address } = config.temporal;
  if (await isTemporalReachable(address)) {
    logger.info('using the Temporal server already running', { address });
    const connection = await Connection.connect({ address });
    await ensureSearchAttributes(connection, config.temporal.namespace, RISKFLOW_SEARCH_ATTRIBUTES);
    await connection.close();
    return { uiUrl: undefined };
  }
  const cliPath = await resolveTemporalCli({ projectRoot: config.projectRoot, env: process.env, log: (m) => logger.info(m) });
  const paths = dataPaths(config);
  await mkdir(path.dirname(paths.temporalDb), { recursive: true });
  const [host = '127.0.0.1', port = '7233'] = address.split(':');
  logger.info('starting the Temporal dev server', { address, db: paths.temporalDb });
  const server = await startTemporalDevServer({
    cliPath, host, port: Number(port), uiPort: config.temporal.uiPort, dbFile: paths.temporalDb,
    namespace: config.temporal.namespace, searchAttributes: RISKFLOW_SEARCH_ATTRIBUTES, logFile: paths.temporalLog,
  });
  return { uiUrl: server.uiUrl, stop: () => server.stop() };
}

async function startDatabase(config: RiskflowConfig, logger: Logger): Promise<{ url: string; stop?: Stopper }> {
  if (config.databaseUrl) return { url: config.databaseUrl };
  logger.info('starting the embedded PostgreSQL', { port: config.embeddedPostgresPort });
  const pg = await startEmbeddedPostgres({
    dataDir: dataPaths(config).postgres, port: config.embeddedPostgresPort, ...EMBEDDED_DATABASE, log: (m) => logger.debug(m),
  });
  return { url: pg.url, stop: () => pg.stop() };
}

/** `npm start`: Temporal, PostgreSQL, the worker and the gateway in one command, on embedded defaults. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, path.resolve(__dirname, '../..'));
  const logger = createJsonLogger(config.logLevel, { process: 'riskflow' });
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger(config.logLevel === 'debug' ? 'INFO' : 'WARN') });
  const stoppers: Stopper[] = [];
  const stopAll = async () => {
    for (const stop of stoppers.reverse()) {
      await stop().catch((err: unknown) => logger.warn('stop step failed', { error: err instanceof Error ? err.message : String(err) }));
    }
  };
  stopOnSignals(logger, stopAll);

  try {
    await mkdir(config.dataDir, { recursive: true });
    const [temporal, database] = await Promise.all([startTemporal(config, logger), startDatabase(config, logger)]);
    if (temporal.stop) stoppers.push(temporal.stop);
    if (database.stop) stoppers.push(database.stop);

    const db = createDatabase(database.url);
    stoppers.push(() => db.destroy());
    await migrateToLatest(db);
    const referenceData = await startReferenceData(db, { demoMarket: config.demoMarket, clock: systemClock, logger });
    stoppers.push(async () => referenceData.stop());

    const nativeConnection = await NativeConnection.connect({ address: config.temporal.address });
    const worker = await createRiskflowWorker({
      connection: nativeConnection, namespace: config.temporal.namespace, db, paperCosts: paperCostModel(config), clock: systemClock, taskQueue: config.temporal.taskQueue,
    });
    const workerRun = worker.run();
    stoppers.push(async () => {
      worker.shutdown();
      await workerRun;
      await nativeConnection.close();
    });

    const connection = await Connection.connect({ address: config.temporal.address });
    stoppers.push(() => connection.close());
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const app = createApp(createGatewayDeps({ client, db, namespace: config.temporal.namespace, apiKeys: config.apiKeys, logger, clock: systemClock, taskQueue: config.temporal.taskQueue, decisionTimeoutMs: config.gateway.decisionTimeoutMs }));
    const server = await listen(app, config.gateway.host, config.gateway.port);
    stoppers.push(() => server.close());

    printBanner(config, temporal.uiUrl);
  } catch (err) {
    logger.error('start failed', { error: err instanceof Error ? err.message : String(err) });
    await stopAll();
    process.exit(1);
  }
}

function printBanner(config: RiskflowConfig, uiUrl: string | undefined): void {
  const lines = [
    '',
    'Riskflow is running.',
    `  Gateway      http://${config.gateway.host}:${config.gateway.port}   (health: /health)`,
    `  Temporal UI  ${uiUrl ?? `the UI of the Temporal server at ${config.temporal.address}`}`,
    `  Temporal     ${config.temporal.address} (namespace ${config.temporal.namespace})`,
    `  PostgreSQL   ${config.databaseUrl ? 'DATABASE_URL' : `embedded, port ${config.embeddedPostgresPort}, data in ${dataPaths(config).postgres}`}`,
  ];
  if (config.environment === 'development') {
    lines.push('  Demo API keys (development only; send as "Authorization: Bearer <key>"):');
    for (const grant of config.apiKeys.filter((g) => g.key.startsWith('demo-'))) {
      lines.push(`    ${grant.key.padEnd(20)} ${grant.principal} [${grant.roles.join(', ')}]`);
    }
  }
  lines.push('  Stop with Ctrl-C.', '');
  process.stdout.write(lines.join('\n') + '\n');
}

void main();
