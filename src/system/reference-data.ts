import type { Knex } from 'knex';
import { createPortfoliosRepository } from '../adapters/db/portfolios.repository';
import { createReferenceDataRepository } from '../adapters/db/reference-data.repository';
import { DEMO_PORTFOLIO } from '../domain/market/demo-market';
import { Money } from '../domain/values/money';
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
    // The portfolio the scoped demo key may trade.
    const portfolios = createPortfoliosRepository(db);
    if (!(await portfolios.exists(DEMO_PORTFOLIO.id))) {
      await portfolios.createPortfolio({
        id: DEMO_PORTFOLIO.id, accountId: DEFAULT_PAPER_ACCOUNT.id, name: DEMO_PORTFOLIO.name,
        initialCash: Money.of(DEMO_PORTFOLIO.initialCash, DEMO_PORTFOLIO.currency), createdBy: 'system',
      }).catch(async (err: unknown) => {
        if (!(await portfolios.exists(DEMO_PORTFOLIO.id))) throw err; // created concurrently by another process: fine
      });
    }
  }
}

/** Seeds reference data and, with the demo market on, keeps its quotes fresh until stopped. */
export async function startReferenceData(db: Knex, options: { demoMarket: boolean; clock: Clock; logger: Logger }): Promise<{ stop(): void }> {
  await seedReferenceData(db, { demoMarket: options.demoMarket, asOf: options.clock.now(), logger: options.logger });
  return options.demoMarket ? startDemoQuoteFeed(createReferenceDataRepository(db), options.clock, options.logger) : { stop: () => undefined };
}
