import type { MarketDataRepository } from '../adapters/db/market-data.repository';
import type { OrdersRepository } from '../adapters/db/orders.repository';
import type { PortfoliosRepository } from '../adapters/db/portfolios.repository';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import type { Principal } from './api-key-auth';
import type { HealthReport } from './health-probe';
import type { OrderWorkflows } from './order-workflows';

export interface GatewayDeps {
  readonly orders: OrdersRepository;
  readonly portfolios: PortfoliosRepository;
  readonly marketData: MarketDataRepository;
  readonly orderWorkflows: OrderWorkflows;
  readonly authenticateKey: (key: string) => Principal | null;
  readonly health: () => Promise<HealthReport>;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly newId: () => string;
}
