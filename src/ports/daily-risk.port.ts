import type { KillSwitchScope } from '../contracts/kill-switch-contracts';
import type { DailyRiskSettings, LimitBreach, PortfolioDayInput, PortfolioDayResult } from '../domain/daily-risk';
import type { TradingState } from '../domain/risk/trading-state';

/** A stored snapshot, as the API shows it (decimals as strings). */
export interface RiskSnapshotRecord {
  readonly portfolioId: string;
  readonly date: string;
  readonly runId: string;
  readonly currency: string;
  readonly equity: string;
  readonly cash: string;
  readonly dailyPnl: string;
  readonly realizedPnl: string;
  readonly unrealizedPnl: string;
  readonly tradingState: TradingState;
  readonly risk: Record<string, unknown>;
  readonly performance: Record<string, unknown>;
  readonly breaches: readonly LimitBreach[];
  readonly computedAt: Date;
}

/** What recording a day did: the breaches new for that day (a re-run finds none), the state before and after. */
export interface RecordedDay {
  readonly newBreaches: readonly LimitBreach[];
  readonly stateBefore: TradingState;
  readonly stateAfter: TradingState;
  /** Webhook deliveries queued in the same transaction (outbox). */
  readonly deliveryIds: readonly string[];
}

export interface RecordDayInput {
  readonly runId: string;
  readonly portfolioId: string;
  readonly date: string;
  readonly currency: string;
  readonly result: PortfolioDayResult;
  /** Where the day's events are posted (one delivery per URL). */
  readonly webhookUrls: readonly string[];
}

/** The daily run's storage: inputs per portfolio and day, snapshots, breaches and the states they latch. */
export interface DailyRiskStore {
  /** Every portfolio, or those of `only` that exist. */
  listPortfolioIds(only?: readonly string[]): Promise<string[]>;
  /** Null when there is no such portfolio. */
  loadPortfolioDay(portfolioId: string, date: string, lookbackDays: number): Promise<PortfolioDayInput & { readonly currency: string } | null>;
  /**
   * In one transaction: the day's breaches recorded (once per portfolio, date and limit), the state
   * latched by the new ones (audited), the snapshot inserted or replaced, and the webhooks queued.
   */
  recordDay(input: RecordDayInput): Promise<RecordedDay>;
  listSnapshots(filter: { portfolioIds: 'all' | readonly string[]; from?: string; to?: string; limit: number }): Promise<RiskSnapshotRecord[]>;
  /** The latest `limit` snapshots of one portfolio, newest first. */
  latestSnapshots(portfolioId: string, limit: number): Promise<RiskSnapshotRecord[]>;
  findSettings(portfolioId: string): Promise<DailyRiskSettings>;
  /** Replaces the portfolio's daily-risk settings (audited with before and after). */
  writeSettings(portfolioId: string, settings: DailyRiskSettings, principal: string): Promise<DailyRiskSettings>;
}

/** Stop-outs and the cooldowns they start (protections). */
export interface StopOutsPort {
  /**
   * Records a stop-out (once per order id) and, when the portfolio's protection says so, starts a
   * cooldown: an ACTIVE portfolio becomes REDUCING until `cooldownUntil` (audited, and announced:
   * `deliveryIds` are the webhook deliveries queued with the change, to hand on after it).
   */
  recordStopOut(portfolioId: string, symbol: string, at: Date, orderId?: string): Promise<{ cooldownUntil: Date | null; deliveryIds: readonly string[] }>;
  /** Ends the cooldown: back to ACTIVE only if the state is still the one the cooldown set (audited and announced likewise). */
  releaseCooldown(portfolioId: string, until: Date): Promise<{ released: boolean; deliveryIds: readonly string[] }>;
}


/** What the kill switch reads: the open orders it must cancel, in its scope. */
export interface KillSwitchReads {
  /** Orders still open (approved or working) in the scope, oldest first. */
  openOrders(scope: KillSwitchScope): Promise<Array<{ orderId: string; portfolioId: string }>>;
  /** Every account (for `all`). */
  accountIds(): Promise<string[]>;
}
