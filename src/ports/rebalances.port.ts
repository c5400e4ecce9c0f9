import type { RebalanceDecisionRecord, RebalanceLegOutcome, RebalancePlanDto, RebalanceState, RebalanceStatus, StartRebalanceCommand } from '../contracts/rebalance-contracts';
import type { Instrument } from '../domain/instruments/instrument';
import type { Money } from '../domain/values/money';
import type { Price } from '../domain/values/price';
import type { SignedQuantity } from '../domain/values/quantity';

/** A portfolio as the rebalance planner reads it. */
export interface PortfolioForRebalance {
  readonly cash: Money;
  readonly positions: ReadonlyArray<{ readonly symbol: string; readonly quantity: SignedQuantity; readonly strategy: string | null }>;
  readonly marks: Readonly<Record<string, Price>>;
  readonly quotes: Readonly<Record<string, { readonly bid: Price; readonly ask: Price }>>;
  readonly instruments: Readonly<Record<string, Instrument>>;
}

/** Rebalances in PostgreSQL: the request, the plan, every decision and leg, every transition audited. */
export interface RebalancesStore {
  /** Null when there is no such portfolio. Instruments and quotes of held symbols and of `alsoSymbols`. */
  portfolioForRebalance(portfolioId: string, alsoSymbols: readonly string[]): Promise<PortfolioForRebalance | null>;
  /** Records the request (once) and its plan; a repeat leaves what is recorded. */
  recordPlan(command: StartRebalanceCommand, status: RebalanceStatus, plan: RebalancePlanDto | null, reason: string | null, approvalsRequired?: number): Promise<void>;
  recordDecision(rebalanceId: string, decision: RebalanceDecisionRecord): Promise<void>;
  /** A re-plan before execution: the new plan and its version replace the approved one (audited). */
  replacePlan(rebalanceId: string, status: RebalanceStatus, plan: RebalancePlanDto | null, reason: string | null, approvalsRequired?: number): Promise<void>;
  /** Moves the status (audited) and records the legs' outcomes so far. */
  recordProgress(rebalanceId: string, status: RebalanceStatus, legs: readonly RebalanceLegOutcome[], reason: string | null, principal: string): Promise<void>;
  find(rebalanceId: string): Promise<RebalanceState | null>;
  /** The last `count` stored daily closes per symbol, oldest first (floats: they feed statistics). */
  recentCloses(symbols: readonly string[], count: number): Promise<Map<string, Array<{ date: string; close: number }>>>;
  list(portfolioId: string, status: RebalanceStatus | undefined, limit: number): Promise<RebalanceState[]>;
}
