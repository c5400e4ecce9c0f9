import type { Clock } from '../ports/clock.port';
import type { CommandSigner } from '../ports/command-signature.port';
import type { Logger } from '../ports/logger.port';
import type { MarketDataPort, QuoteTicks } from '../ports/market-data.port';
import type { OrderReadModel, OrderRequestClaims } from '../ports/orders.port';
import type { PortfoliosPort } from '../ports/portfolios.port';
import type { SignalSettingsPort } from '../ports/signal-settings.port';
import type { Principal } from './api-key-auth';
import type { HealthReport } from './health-probe';
import type { OrderWorkflows } from './order-workflows';
import type { PortfolioAccess } from './portfolio-access';
import type { ReconciliationWorkflows } from './reconciliation-workflows';

/** Everything the routes use: ports, the gateway's contact with Temporal, and process services. */
export interface GatewayDeps {
  readonly orders: OrderReadModel;
  readonly orderRequests: OrderRequestClaims;
  readonly portfolios: PortfoliosPort;
  readonly access: PortfolioAccess;
  readonly marketData: MarketDataPort;
  readonly quoteTicks: QuoteTicks;
  readonly orderWorkflows: OrderWorkflows;
  readonly reconciliations: ReconciliationWorkflows;
  /** Per-portfolio strategy weights and thresholds of signal combination. */
  readonly signalSettings: SignalSettingsPort;
  /** Signs every command the gateway sends into a workflow. */
  readonly signer: CommandSigner;
  readonly authenticateKey: (key: string) => Principal | null;
  readonly health: () => Promise<HealthReport>;
  readonly logger: Logger;
  readonly clock: Clock;
  readonly newId: () => string;
  readonly settings: GatewaySettings;
}

/** Rules of the gateway that configuration sets. */
export interface GatewaySettings {
  /** How far a quote's asOf may be from the clock, either way. */
  readonly quoteMaxSkewSeconds: number;
}
