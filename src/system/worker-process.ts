import { Client } from '@temporalio/client';
import { NativeConnection } from '@temporalio/worker';
import { createHmacCommandSignature } from '../adapters/security/hmac-command-signature';
import { composeWorker } from '../../workers/compose-worker';
import { createDatabase, migrateToLatest } from '../adapters/db/knex-database';
import type { RiskflowConfig } from '../config/config';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import { resolveCommandSigningKey } from './command-signing-key';
import { ensureReconciliationSchedule } from './reconciliation-schedule';
import { ensureDailyRiskSchedule } from './daily-risk-schedule';
import { databaseUrl } from './embedded-defaults';
import { startReferenceData } from './reference-data';
import { StopStack } from './stop-stack';
import { temporalConnectionOptions } from './temporal-connection-options';
import { registerSearchAttributes } from './temporal-connections';

export interface RunningWorker {
  /** Settles when the worker stops (after stop(), or on a fatal error). */
  readonly running: Promise<void>;
  stop(): Promise<void>;
}

/** The worker process: database migrated, reference data seeded, search attributes registered, then the worker polling. */
export async function startWorkerProcess(config: RiskflowConfig, { logger, clock }: { logger: Logger; clock: Clock }): Promise<RunningWorker> {
  const stack = new StopStack(logger);
  return stack.starting(async () => {
    const db = createDatabase(databaseUrl(config));
    stack.push(() => db.destroy());
    await migrateToLatest(db);
    const referenceData = await startReferenceData(db, { demoMarket: config.demoMarket, clock, logger });
    stack.push(async () => referenceData.stop());
    await registerSearchAttributes(config);
    const connection = await NativeConnection.connect(await temporalConnectionOptions(config.temporal.address, config.temporal.security));
    stack.push(() => connection.close());
    const signingKey = await resolveCommandSigningKey(config);
    const worker = await composeWorker(config, { connection, db, clock, signingKey });
    await ensureReconciliationSchedule(new Client({ connection, namespace: config.temporal.namespace }), {
      taskQueue: config.temporal.taskQueue, intervalMinutes: config.reconcileIntervalMinutes, signer: createHmacCommandSignature(signingKey), now: clock.now(),
    });
    if (config.dailyRisk.scheduleEnabled) {
      await ensureDailyRiskSchedule(new Client({ connection, namespace: config.temporal.namespace }), {
        taskQueue: config.temporal.taskQueue, settings: config.dailyRisk, signer: createHmacCommandSignature(signingKey), now: clock.now(),
      });
    }
    const running = worker.run();
    stack.push(async () => {
      worker.shutdown();
      await running.catch(() => undefined);
    });
    logger.info('worker running', { temporal: config.temporal.address, namespace: config.temporal.namespace, taskQueue: config.temporal.taskQueue });
    return { running, stop: () => stack.stopAll() };
  });
}
