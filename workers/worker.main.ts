import path from 'node:path';
import { Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { createDatabase, migrateToLatest } from '../src/adapters/db/knex-database';
import { createJsonLogger } from '../src/adapters/logging/json-logger';
import { loadConfig } from '../src/config/config';
import { RISKFLOW_SEARCH_ATTRIBUTES } from '../src/contracts/search-attributes';
import { ensureSearchAttributes } from '../src/platform/temporal-dev-server';
import { systemClock } from '../src/ports/clock.port';
import { databaseUrl } from '../src/system/embedded-defaults';
import { paperCostModel } from '../src/system/paper-costs';
import { stopOnSignals } from '../src/system/process-lifecycle';
import { startReferenceData } from '../src/system/reference-data';
import { createRiskflowWorker } from './create-worker';

/** `npm run worker`: the worker alone, against TEMPORAL_ADDRESS and DATABASE_URL (or the embedded defaults). */
async function main(): Promise<void> {
  const config = loadConfig(process.env, path.resolve(__dirname, '..'), { servesHttp: false });
  const logger = createJsonLogger(config.logLevel, { process: 'worker' });
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger(config.logLevel === 'debug' ? 'INFO' : 'WARN') });
  const db = createDatabase(databaseUrl(config));
  await migrateToLatest(db);
  const referenceData = await startReferenceData(db, { demoMarket: config.demoMarket, clock: systemClock, logger });
  const client = await Connection.connect({ address: config.temporal.address });
  await ensureSearchAttributes(client, config.temporal.namespace, RISKFLOW_SEARCH_ATTRIBUTES);
  await client.close();
  const connection = await NativeConnection.connect({ address: config.temporal.address });
  const worker = await createRiskflowWorker({ connection, namespace: config.temporal.namespace, db, paperCosts: paperCostModel(config), clock: systemClock, taskQueue: config.temporal.taskQueue });
  stopOnSignals(logger, async () => worker.shutdown());
  logger.info('worker running', { temporal: config.temporal.address, namespace: config.temporal.namespace });
  await worker.run();
  referenceData.stop();
  await connection.close();
  await db.destroy();
}

main().catch((err: unknown) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
