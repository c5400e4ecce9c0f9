import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { OrderStatus } from '../domain/orders/order';
import type { DecimalString } from '../domain/values/decimal';
import type { AdjustmentSpec } from '../domain/rebalance/adjustment-inputs';
import type { PlaceOrderCommand } from './order-contracts';

/**
 * A rebalance's life: PLANNING → PENDING_APPROVAL → APPROVED → EXECUTING → COMPLETED, or
 * NO_ACTION_NEEDED, DRY_RUN (planned only), REJECTED, EXPIRED (no decision by the deadline),
 * PARTIALLY_EXECUTED (a leg did not fill: the remaining buys were not sent), FAILED (the plan was
 * refused, e.g. its cost above the cap).
 */
export const REBALANCE_STATUSES = [
  'PLANNING', 'PENDING_APPROVAL', 'APPROVED', 'EXECUTING', 'COMPLETED',
  'NO_ACTION_NEEDED', 'DRY_RUN', 'REJECTED', 'EXPIRED', 'PARTIALLY_EXECUTED', 'FAILED',
] as const;
export type RebalanceStatus = (typeof REBALANCE_STATUSES)[number];

/** automatic: trades without approval only where the portfolio's policy allows it and the plan is under its limits; otherwise it waits for approval like manual, with the reason stated. */
export const REBALANCE_MODES = ['manual', 'dry_run', 'automatic'] as const;
export type RebalanceMode = (typeof REBALANCE_MODES)[number];

/** Where the targets come from; weights are decimal strings (fractions of equity; the rest is cash). */
export type RebalanceMethodDto =
  | { readonly type: 'target-weights'; readonly targets: Readonly<Record<string, DecimalString>> }
  | { readonly type: 'strategy-bands'; readonly bands?: Readonly<Record<string, { readonly target: DecimalString; readonly min: DecimalString; readonly max: DecimalString; readonly threshold: DecimalString }>> }
  /** The portfolio's stored target set (PUT /v1/portfolios/:id/targets), read when the plan is made. */
  | { readonly type: 'stored' }
  /** The analytics optimiser over the stored daily closes of the holdings (and `symbols`): its weights become the targets. */
  | { readonly type: 'optimizer'; readonly objective: RebalanceOptimizerObjective; readonly constraints?: RebalanceOptimizerConstraints; readonly symbols?: readonly string[]; readonly lookbackDays?: number };

/** Objectives the optimizer method offers: those that need only the closes (returns and covariance). */
export const REBALANCE_OPTIMIZER_OBJECTIVES = ['min_variance', 'max_sharpe', 'risk_parity', 'max_diversification'] as const;
export type RebalanceOptimizerObjective = (typeof REBALANCE_OPTIMIZER_OBJECTIVES)[number];

/** Long-only weight bounds and a sector cap (sectors from the instruments); statistics, so plain numbers. */
export interface RebalanceOptimizerConstraints {
  readonly minWeight?: number;
  readonly maxWeight?: number;
  readonly bounds?: Readonly<Record<string, readonly [number, number]>>;
  readonly maxSectorWeight?: number;
}

/**
 * Reshapes the method's targets before planning, from figures the planning activity measures in
 * the stored daily closes: a momentum tilt toward recent risers, a mean-reversion tilt toward
 * recent fallers (strength ≥ 0; weights × (1 ± strength × trailing return)), or risk parity
 * (inverse-volatility weights over the same symbols and invested total).
 */
export type RebalanceAdjustmentDto = AdjustmentSpec;

export interface RebalanceSettingsDto {
  readonly driftThreshold?: DecimalString;
  readonly cashBuffer?: DecimalString;
  readonly maxCostFraction?: DecimalString;
  readonly turnoverCap?: DecimalString | null;
  /** A leg's price moving more than this (a fraction) between the plan and its execution re-plans it for approval again (default 0.02). */
  readonly priceTolerance?: DecimalString;
}

/** What the gateway hands the rebalance workflow, signed like every command from outside. */
export interface StartRebalanceCommand {
  readonly rebalanceId: string;
  readonly portfolioId: string;
  readonly mode: RebalanceMode;
  readonly method: RebalanceMethodDto;
  readonly settings: RebalanceSettingsDto;
  /** Optional: measured and applied when the plan is made (and again at a re-plan). */
  readonly adjustment?: RebalanceAdjustmentDto;
  /** How long the plan waits for a decision before it expires. */
  readonly approvalDeadlineSeconds: number;
  readonly requestedBy: string;
  readonly issuedAt: string;
  /** Started by a portfolio's rebalance schedule (its id). */
  readonly scheduleId?: string;
  /** A DCA tranche: this one (1-based) of `tranches`, each planning 1/(remaining tranches) of the remaining move. */
  readonly tranche?: number;
  readonly tranches?: number;
  /**
   * REDUCE_RISK (a liquidation, a daily run's de-risking proposal): the legs are exits (order
   * purpose EXIT), so they pass a HALTED state while they only reduce positions.
   */
  readonly purpose?: 'REDUCE_RISK';
  readonly signature: string;
}

/** Spread a scheduled move over tranches: one rebalance each, `intervalSeconds` apart, each approved on its own. */
export interface RebalanceDcaDto {
  readonly tranches: number;
  readonly intervalSeconds: number;
}

/**
 * What a portfolio's rebalance schedule starts at every calendar match, signed by the gateway when
 * the schedule was put (its own kind, scheduled-rebalance, over these fields): the worker verifies it and issues
 * each tranche's own signed StartRebalanceCommand.
 */
export interface ScheduledRebalanceCommand {
  readonly scheduleId: string;
  readonly portfolioId: string;
  readonly mode: 'manual' | 'automatic';
  readonly method: RebalanceMethodDto;
  readonly settings: RebalanceSettingsDto;
  readonly adjustment?: RebalanceAdjustmentDto;
  readonly approvalDeadlineSeconds: number;
  readonly dca: RebalanceDcaDto | null;
  readonly requestedBy: string;
  readonly issuedAt: string;
  readonly signature: string;
}

/** A scheduled run's account: each tranche's rebalance and how it ended. */
export interface ScheduledTrancheOutcome {
  readonly tranche: number;
  readonly rebalanceId: string;
  readonly status: RebalanceStatus;
  readonly reason: string | null;
}

/** One Temporal Schedule per portfolio. */
export const rebalanceScheduleId = (portfolioId: string) => `rebalance-schedule-${portfolioId}`;

/** An approver's decision, as the gateway signs it: for this rebalance, this plan version, by this principal. */
export interface RebalanceDecisionCommand {
  readonly rebalanceId: string;
  readonly decision: 'approve' | 'reject';
  /** The plan version the approver saw: any other is refused. */
  readonly planVersion: string;
  readonly comment: string | null;
  readonly decidedBy: string;
  readonly issuedAt: string;
  readonly signature: string;
}

/** One leg as executed: the order it became and where it ended. */
export interface RebalanceLegOutcome {
  readonly leg: number;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly quantity: DecimalString;
  readonly orderId: string | null;
  readonly status: OrderStatus | 'NOT_SENT';
  readonly filledQuantity: DecimalString;
}

export interface RebalanceDecisionRecord {
  readonly decision: 'approve' | 'reject';
  readonly decidedBy: string;
  readonly planVersion: string;
  readonly comment: string | null;
  readonly decidedAt: string;
}

/** The plan on the wire: the planner's own canonical form (decimal strings), its version beside. */
export type RebalancePlanDto = Readonly<Record<string, unknown>> & { readonly version: string; readonly status: string; readonly legs: ReadonlyArray<Readonly<Record<string, unknown>>> };

/** What the workflow knows: its query's answer, and every update's. */
export interface RebalanceState {
  readonly rebalanceId: string;
  readonly portfolioId: string;
  readonly status: RebalanceStatus;
  readonly planVersion: string | null;
  readonly plan: RebalancePlanDto | null;
  readonly decisions: readonly RebalanceDecisionRecord[];
  readonly legs: readonly RebalanceLegOutcome[];
  readonly reason: string | null;
  /** Distinct approvers the plan needs under the portfolio's policy (0: approved automatically). */
  readonly approvalsRequired: number;
}

/** A leg ready to be placed: the order command, signed by the worker after the approval was verified. */
export interface SignedRebalanceLeg {
  readonly leg: number;
  readonly command: PlaceOrderCommand;
}

/** Failures the decision messages answer with; the gateway maps them to HTTP. */
export const REBALANCE_MESSAGE_FAILURES = {
  /** The plan is not waiting for a decision (decided, expired, executed): 409. */
  RebalanceNotPending: 'RebalanceNotPending',
  /** The decision names another plan version than the one waiting: 409. */
  PlanVersionMismatch: 'PlanVersionMismatch',
  /** The requester may not decide their own plan (four eyes): 403. */
  SelfApproval: 'SelfApproval',
  /** This approver already approved the plan waiting (a second approval must come from someone else): 409. */
  AlreadyApproved: 'AlreadyApproved',
} as const;

export const rebalanceWorkflowId = (rebalanceId: string) => `rebalance-${rebalanceId}`;

/** Approve or reject synchronously: the validator refuses a decision that cannot apply before it is recorded. */
export const decideRebalanceUpdate = defineUpdate<RebalanceState, [RebalanceDecisionCommand]>('decideRebalance');
/** The same approval as a signal, the way other services approve: an invalid one is audited and ignored. */
export const approveSignal = defineSignal<[RebalanceDecisionCommand]>('approve');
export const rebalanceStateQuery = defineQuery<RebalanceState>('rebalanceState');
/** Sent with update-with-start: answers once the plan is made (or the rebalance ended without one). */
export const awaitPlanUpdate = defineUpdate<RebalanceState>('awaitPlan');
