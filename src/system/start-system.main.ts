import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createJsonLogger } from '../adapters/logging/json-logger';
import { searchAttributeCliFlags } from '../adapters/temporal/search-attribute-registry';
import { loadConfig, type RiskflowConfig } from '../config/config';
import { RISKFLOW_SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { DEMO_PORTFOLIO } from '../domain/market/demo-market';
import { startEmbeddedPostgres } from '../platform/embedded-database';
import { resolveTemporalCli } from '../platform/temporal-cli';
import { isTemporalReachable, startTemporalDevServer } from '../platform/temporal-dev-server';
import { systemClock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import { EMBEDDED_DATABASE, dataPaths } from './embedded-defaults';
import { startGatewayProcess } from './gateway-process';
import { stopOnSignals } from './process-lifecycle';
import { StopStack, type Stopper } from './stop-stack';
import { startWorkerProcess } from './worker-process';

async function startTemporal(config: RiskflowConfig, logger: Logger): Promise<{ uiUrl: string | undefined; stop?: Stopper }> {
  const { address } = config.temporal;
  // A server reached over TLS or with an API key is never one npm start runs itself.
  if (config.temporal.security.tls) {
    logger.info('using the configured Temporal server (TLS)', { address });
    return { uiUrl: undefined };
  }
  if (await isTemporalReachable(address)) {
    logger.info('using the Temporal server already running', { address });
    return { uiUrl: undefined };
  }
  const cliPath = await resolveTemporalCli({ projectRoot: config.projectRoot, env: process.env, log: (m) => logger.info(m) });
  const paths = dataPaths(config);
  await mkdir(path.dirname(paths.temporalDb), { recursive: true });
  const [host = '127.0.0.1', port = '7233'] = address.split(':');
  logger.info('starting the Temporal dev server', { address, db: paths.temporalDb });
  const server = await startTemporalDevServer({
    cliPath, host, port: Number(port), uiPort: config.temporal.uiPort, dbFile: paths.temporalDb,
    namespace: config.temporal.namespace, searchAttributes: searchAttributeCliFlags(RISKFLOW_SEARCH_ATTRIBUTES), logFile: paths.temporalLog,
  });
  return { uiUrl: server.uiUrl, stop: () => server.stop() };
}

async function startDatabase(config: RiskflowConfig, logger: Logger): Promise<{ stop?: Stopper }> {
  if (config.databaseUrl) return {};
  logger.info('starting the embedded PostgreSQL', { port: config.embeddedPostgresPort });
  const pg = await startEmbeddedPostgres({
    dataDir: dataPaths(config).postgres, port: config.embeddedPostgresPort, ...EMBEDDED_DATABASE, log: (m) => logger.debug(m),
  });
  return { stop: () => pg.stop() };
}

/** `npm start`: Temporal, PostgreSQL, the worker and the gateway in one command, on embedded defaults. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, path.resolve(__dirname, '../..'));
  const logger = createJsonLogger(config.logLevel, { process: 'riskflow' });
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger(config.logLevel === 'debug' ? 'INFO' : 'WARN') });
  const stack = new StopStack(logger);
  stopOnSignals(logger, () => stack.stopAll());

  try {
    await mkdir(config.dataDir, { recursive: true });
    const [temporal, database] = await Promise.all([startTemporal(config, logger), startDatabase(config, logger)]);
    if (temporal.stop) stack.push(temporal.stop);
    if (database.stop) stack.push(database.stop);
    const worker = await startWorkerProcess(config, { logger, clock: systemClock });
    stack.push(() => worker.stop());
    const gateway = await startGatewayProcess(config, { logger, clock: systemClock });
    stack.push(() => gateway.stop());
    printBanner(config, temporal.uiUrl);
  } catch (err) {
    logger.error('start failed', { error: err instanceof Error ? err.message : String(err) });
    await stack.stopAll();
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
      const scope = grant.portfolios === 'all' ? '' : grant.portfolios.includes(DEMO_PORTFOLIO.id) ? ` (only "${DEMO_PORTFOLIO.name}", ${DEMO_PORTFOLIO.id})` : ' (its portfolios only)';
      lines.push(`    ${grant.key.padEnd(22)} ${grant.principal} [${grant.roles.join(', ')}]${scope}`);
    }
  }
  lines.push('  Stop with Ctrl-C.', '');
  process.stdout.write(lines.join('\n') + '\n');
}

void main();
