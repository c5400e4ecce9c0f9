import type { Knex } from 'knex';
import { createReferenceDataRepository } from '../adapters/db/reference-data.repository';
import { startDemoQuoteFeed } from '../adapters/market-data/demo-quote-feed';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';

export const DEFAULT_PAPER_ACCOUNT = { id: 'paper', name: 'Paper trading', kind: 'paper', broker: 'paper' } as const;

/** The default paper account, and on request the demo market. Idempotent: runs at every start. */
export async function seedReferenceData(db: Knex, options: { demoMarket: boolean; asOf: Date; logger: Logger }): Promise<void> {
  const referenceData = createReferenceDataRepository(db);
  await referenceData.ensureAccount(DEFAULT_PAPER_ACCOUNT);
  if (options.demoMarket) {
    const { instrumentsAdded } = await referenceData.loadDemoMarket(options.asOf);
    if (instrumentsAdded > 0) options.logger.info('demo market loaded', { instrumentsAdded });
  }
}

/** Seeds reference data and, with the demo market on, keeps its quotes fresh until stopped. */
export async function startReferenceData(db: Knex, options: { demoMarket: boolean; clock: Clock; logger: Logger }): Promise<{ stop(): void }> {
  await seedReferenceData(db, { demoMarket: options.demoMarket, asOf: options.clock.now(), logger: options.logger });
  return options.demoMarket ? startDemoQuoteFeed(createReferenceDataRepository(db), options.clock, options.logger) : { stop: () => undefined };
}
