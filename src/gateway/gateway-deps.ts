import type { Clock } from '../ports/clock.port';
import type { CommandSigner } from '../ports/command-signature.port';
import type { Logger } from '../ports/logger.port';
import type { MarketDataPort, QuoteTicks } from '../ports/market-data.port';
import type { OrderReadModel, OrderRequestClaims } from '../ports/orders.port';
import type { PortfoliosPort } from '../ports/portfolios.port';
import type { RiskLimitsPort } from '../ports/risk-limits.port';
import type { RiskContextPort } from '../ports/risk-context.port';
import type { Instrument } from '../domain/instruments/instrument';
import type { ExecutionCostEstimate } from '../domain/risk/execution-cost-estimate';
import type { SizingSettingsStore } from '../ports/sizing.port';
import type { SignalSettingsPort } from '../ports/signal-settings.port';
import type { Principal } from './api-key-auth';
import type { HealthReport } from './health-probe';
import type { OrderWorkflows } from './order-workflows';
import type { PortfolioAccess } from './portfolio-access';
import type { ReconciliationWorkflows } from './reconciliation-workflows';
import type { AnalyticsWorkflows } from './analytics-workflows';
import type { AnalyticsPayloads } from '../ports/analytics-payloads.port';
import type { RiskBudgetsStore } from '../ports/risk-budgets.port';
import type { RebalancesStore } from '../ports/rebalances.port';
import type { ExitsStore, ExitTriggerIndex } from '../ports/exits.port';
import type { ExitWorkflows } from './exit-workflows';
import type { RebalanceWorkflows } from './rebalance-workflows';
import type { DailyRiskWorkflows } from './daily-risk-workflows';
import type { DailyRiskStore } from '../ports/daily-risk.port';
import type { KillSwitchWorkflows } from './kill-switch-workflows';
import type { RebalancePoliciesStore } from '../ports/rebalance-policies.port';
import type { WebhookHandOff } from '../ports/webhooks.port';
import type { RebalanceSchedules } from '../ports/rebalance-schedules.port';

/** Everything the routes use: ports, the gateway's contact with Temporal, and process services. */
export interface GatewayDeps {
  readonly orders: OrderReadModel;
  readonly orderRequests: OrderRequestClaims;
  readonly portfolios: PortfoliosPort;
  readonly riskLimits: RiskLimitsPort;
  /** Decides orders without recording them (validate-only at scale). */
  readonly riskContext: Pick<RiskContextPort, 'evaluateOrders'>;
  /** The configured broker's cost model, for decisions the gateway takes without a workflow. */
  readonly executionCosts: (instrument: Instrument) => ExecutionCostEstimate;
  readonly access: PortfolioAccess;
  readonly sizingSettings: SizingSettingsStore;
  readonly marketData: MarketDataPort;
  readonly quoteTicks: QuoteTicks;
  readonly orderWorkflows: OrderWorkflows;
  readonly reconciliations: ReconciliationWorkflows;
  readonly analyticsWorkflows: AnalyticsWorkflows;
  /** Large analytics inputs and results, by reference. */
  readonly analyticsPayloads: AnalyticsPayloads;
  readonly riskBudgets: RiskBudgetsStore;
  readonly rebalances: RebalancesStore;
  readonly rebalanceWorkflows: RebalanceWorkflows;
  readonly exits: ExitsStore & ExitTriggerIndex;
  readonly exitWorkflows: ExitWorkflows;
  /** Per-portfolio rebalance policies and stored target sets. */
  readonly rebalancePolicies: RebalancePoliciesStore;
  /** Portfolios' rebalance schedules (Temporal Schedules). */
  readonly rebalanceSchedules: RebalanceSchedules;
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
  readonly dailyRiskWorkflows: DailyRiskWorkflows;
  /** Snapshots and the latest risk report (reads). */
  readonly riskSnapshots: Pick<DailyRiskStore, 'listSnapshots' | 'latestSnapshots' | 'findSettings' | 'writeSettings'>;
  /** The kill switch's workflow. */
  readonly killSwitchWorkflows: KillSwitchWorkflows;
  /** Delivery of the webhooks an admin's state change queued. */
  readonly webhookHandOff: WebhookHandOff;
}

/** Rules of the gateway that configuration sets. */
export interface GatewaySettings {
  /** How far a quote's asOf may be from the clock, either way. */
  readonly quoteMaxSkewSeconds: number;
}
