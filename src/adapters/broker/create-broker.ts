import type { Knex } from 'knex';
import type { BrokerSettings } from '../../config/config';
import { dec } from '../../domain/values/decimal';
import type { BrokerPort } from '../../ports/broker.port';
import type { Clock } from '../../ports/clock.port';
import type { MarketDataReader, QuoteTicks } from '../../ports/market-data.port';
import { createPaperBroker } from './paper/paper-broker.adapter';

export interface BrokerResources {
  readonly db: Knex;
  readonly marketData: Pick<MarketDataReader, 'findMarket'>;
  readonly ticks: Pick<QuoteTicks, 'ticksSince'>;
  readonly clock: Clock;
}

/** The broker the configuration names. Paper is the embedded default; ccxt and IB adapters arrive later. */
export function createBroker(settings: BrokerSettings, resources: BrokerResources): BrokerPort {
  switch (settings.kind) {
    case 'paper':
      return createPaperBroker({
        ...resources,
        costs: { feeBps: dec(settings.paper.feeBps), slippageBps: dec(settings.paper.slippageBps), minFee: dec(settings.paper.minFee) },
      });
  }
}
