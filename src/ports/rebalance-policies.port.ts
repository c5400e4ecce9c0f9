import type { RebalancePolicy } from '../domain/rebalance/rebalance-policy';
import type { DecimalString } from '../domain/values/decimal';

/** A portfolio's rebalance policy on the wire: amounts and percentages as decimal strings. */
export interface RebalancePolicyDto {
  readonly twoApproversAbove: DecimalString | null;
  readonly automaticAllowed: boolean;
  readonly automaticMaxTradedValue: DecimalString | null;
  readonly automaticMaxCostPct: DecimalString | null;
  readonly respectMarketHours: boolean;
}

export interface StoredRebalancePolicy extends RebalancePolicyDto {
  readonly portfolioId: string;
  /** Null when no policy is stored (the defaults apply). */
  readonly updatedBy: string | null;
  readonly updatedAt: string | null;
}

export interface AssetTargetDto {
  readonly target: DecimalString;
  readonly min?: DecimalString;
  readonly max?: DecimalString;
}

export interface StrategyTargetDto {
  readonly target: DecimalString;
  readonly min: DecimalString;
  readonly max: DecimalString;
  readonly threshold: DecimalString;
}

/** A stored target set: per asset (optional bands) or per strategy (bands), never both. */
export type TargetSetDto =
  | { readonly assets: Readonly<Record<string, AssetTargetDto>> }
  | { readonly strategies: Readonly<Record<string, StrategyTargetDto>> };

export interface StoredTargetSet {
  readonly portfolioId: string;
  readonly targets: TargetSetDto;
  readonly updatedBy: string;
  readonly updatedAt: string;
}

/** A portfolio's rebalance schedule as stored (its definition as it was put). */
export interface StoredRebalanceSchedule {
  readonly portfolioId: string;
  readonly scheduleId: string;
  readonly definition: Readonly<Record<string, unknown>>;
  readonly updatedBy: string;
  readonly updatedAt: string;
  /** issuedAt of the signed command the schedule runs (null: put before it was recorded). */
  readonly commandIssuedAt: string | null;
}

/** Per-portfolio rebalance rules and target sets in PostgreSQL; every change audited. */
export interface RebalancePoliciesStore {
  /** The stored policy, or the defaults (one approver, never automatic, no market hours). */
  policy(portfolioId: string): Promise<StoredRebalancePolicy>;
  /** The policy the planner applies. */
  policyForPlanning(portfolioId: string): Promise<RebalancePolicy>;
  putPolicy(portfolioId: string, policy: RebalancePolicyDto, principal: string): Promise<StoredRebalancePolicy>;
  targetSet(portfolioId: string): Promise<StoredTargetSet | null>;
  /** Replaces the whole set (audited with the previous one). */
  putTargetSet(portfolioId: string, targets: TargetSetDto, principal: string): Promise<StoredTargetSet>;
  schedule(portfolioId: string): Promise<StoredRebalanceSchedule | null>;
  /** `commandIssuedAt`: the signed command's issuedAt, which identifies this version of the schedule. */
  putSchedule(portfolioId: string, scheduleId: string, definition: Readonly<Record<string, unknown>>, principal: string, commandIssuedAt: string): Promise<StoredRebalanceSchedule>;
  /** False when there was none. */
  deleteSchedule(portfolioId: string, principal: string): Promise<boolean>;
}
