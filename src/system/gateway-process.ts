import { Client, Connection } from '@temporalio/client';
import { createDatabase, migrateToLatest } from '../adapters/db/knex-database';
import type { RiskflowConfig } from '../config/config';
import { listen } from '../gateway/listen';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import { resolveCommandSigningKey } from './command-signing-key';
import { composeGateway } from './compose-gateway';
import { GATEWAY_CONNECTION_TUNING, temporalConnectionOptions } from './temporal-connection-options';
import { databaseUrl } from './embedded-defaults';
import { StopStack } from './stop-stack';
import { registerSearchAttributes } from './temporal-connections';

export interface RunningGateway {
  readonly url: string;
  stop(): Promise<void>;
}

/** The gateway process: database migrated, Temporal client connected, HTTP served. */
export async function startGatewayProcess(config: RiskflowConfig, { logger, clock }: { logger: Logger; clock: Clock }): Promise<RunningGateway> {
  const stack = new StopStack(logger);
  return stack.starting(async () => {
    const db = createDatabase(databaseUrl(config));
    stack.push(() => db.destroy());
    await migrateToLatest(db);
    await registerSearchAttributes(config);
    const connection = await Connection.connect({ ...(await temporalConnectionOptions(config.temporal.address, config.temporal.security)), ...GATEWAY_CONNECTION_TUNING });
    stack.push(() => connection.close());
    const client = new Client({ connection, namespace: config.temporal.namespace });
    const { app } = composeGateway(config, { client, db, clock, logger, signingKey: await resolveCommandSigningKey(config) });
    const server = await listen(app, config.gateway.host, config.gateway.port);
    stack.push(() => server.close());
    const url = `http://${config.gateway.host}:${server.port}`;
    logger.info('gateway listening', { url });
    return { url, stop: () => stack.stopAll() };
  });
}
