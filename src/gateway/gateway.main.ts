import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { createDatabase, migrateToLatest } from '../adapters/db/knex-database';
import { createJsonLogger } from '../adapters/logging/json-logger';
import { loadConfig } from '../config/config';
import { systemClock } from '../ports/clock.port';
import { databaseUrl } from '../system/embedded-defaults';
import { stopOnSignals } from '../system/process-lifecycle';
import { createApp } from './create-app';
import { createGatewayDeps } from './create-gateway-deps';
import { listen } from './listen';

/** `npm run gateway`: the HTTP gateway alone. */
async function main(): Promise<void> {
  const config = loadConfig(process.env, path.resolve(__dirname, '../..'));
  const logger = createJsonLogger(config.logLevel, { process: 'gateway' });
  const db = createDatabase(databaseUrl(config));
  await migrateToLatest(db);
  const connection = await Connection.connect({ address: config.temporal.address });
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const app = createApp(createGatewayDeps({ client, db, namespace: config.temporal.namespace, apiKeys: config.apiKeys, logger, clock: systemClock, taskQueue: config.temporal.taskQueue, decisionTimeoutMs: config.gateway.decisionTimeoutMs }));
  const server = await listen(app, config.gateway.host, config.gateway.port);
  logger.info('gateway listening', { url: `http://${config.gateway.host}:${config.gateway.port}` });
  stopOnSignals(logger, async () => {
    await server.close();
    await connection.close();
    await db.destroy();
  });
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
