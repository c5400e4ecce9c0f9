import { type Decimal, ZERO } from '../values/decimal';

/**
 * A portfolio's rules for rebalances: how many approvers a plan needs, and when a plan may trade
 * without one. Amounts are in the portfolio's base currency.
 */
export interface RebalancePolicy {
  /** A plan whose gross traded value (Σ |leg notional|) is above this needs two distinct approvers, neither the requester; null: one suffices. */
  readonly twoApproversAbove: Decimal | null;
  /** Mode `automatic` may skip approval at all (only under the limits below). */
  readonly automaticAllowed: boolean;
  /** Automatic only when the plan's gross traded value is at most this; null: no limit of this kind. */
  readonly automaticMaxTradedValue: Decimal | null;
  /** Automatic only when the plan's expected cost is at most this percentage of equity (0.5 = 0.5 %); null: no limit of this kind. */
  readonly automaticMaxCostPct: Decimal | null;
  /** An approved plan waits for its instruments' markets to open (trading calendar) before it trades. */
  readonly respectMarketHours: boolean;
}

/** No policy stored: one approver, never automatic, trade around the clock (paper trading). */
export const DEFAULT_REBALANCE_POLICY: RebalancePolicy = {
  twoApproversAbove: null, automaticAllowed: false, automaticMaxTradedValue: null, automaticMaxCostPct: null, respectMarketHours: false,
};

/** What the policy asks of one plan. */
export interface ApprovalRequirement {
  /** 1 or 2 distinct approvers (never the requester). */
  readonly approvalsRequired: number;
  /** The plan trades without approval (mode automatic, allowed, under every limit). */
  readonly automatic: boolean;
  /** Why: the rule that set the number of approvers, or why automatic fell back to approval. */
  readonly reason: string | null;
}

export interface PlanSize {
  /** Σ |leg notional| in the base currency. */
  readonly grossTradedValue: Decimal;
  /** Expected cost as a fraction of pre-trade equity. */
  readonly expectedCostFraction: Decimal;
  readonly currency: string;
}

/**
 * The approval a plan needs under the policy. Mode `automatic` that the policy does not allow, or a
 * plan above a limit, falls back to manual approval with the reason stated (the requester asked for
 * a rebalance; refusing it outright would lose the plan, trading it would break the policy).
 */
export function approvalRequirement(policy: RebalancePolicy, size: PlanSize, mode: 'manual' | 'automatic'): ApprovalRequirement {
  const gross = size.grossTradedValue;
  const two = policy.twoApproversAbove !== null && gross.gt(policy.twoApproversAbove);
  const approvalsRequired = two ? 2 : 1;
  const sizeReason = two ? `gross traded value ${gross.toFixed()} ${size.currency} is above ${policy.twoApproversAbove!.toFixed()}: two distinct approvers needed` : null;
  if (mode !== 'automatic') return { approvalsRequired, automatic: false, reason: sizeReason };
  const refusals: string[] = [];
  if (!policy.automaticAllowed) refusals.push('the portfolio\'s rebalance policy does not allow automatic mode');
  else {
    if (two) refusals.push(sizeReason!);
    if (policy.automaticMaxTradedValue !== null && gross.gt(policy.automaticMaxTradedValue)) {
      refusals.push(`gross traded value ${gross.toFixed()} ${size.currency} is above the automatic limit ${policy.automaticMaxTradedValue.toFixed()}`);
    }
    const costPct = size.expectedCostFraction.times(100);
    if (policy.automaticMaxCostPct !== null && costPct.gt(policy.automaticMaxCostPct)) {
      refusals.push(`expected cost ${costPct.toDecimalPlaces(6).toFixed()} % of equity is above the automatic limit ${policy.automaticMaxCostPct.toFixed()} %`);
    }
  }
  if (refusals.length === 0) return { approvalsRequired: 0, automatic: true, reason: 'approved automatically under the portfolio\'s rebalance policy' };
  return { approvalsRequired, automatic: false, reason: `mode automatic fell back to manual approval: ${refusals.join('; ')}` };
}

/** Σ |leg notional| of a plan's legs. */
export function grossTradedValue(notionals: readonly Decimal[]): Decimal {
  return notionals.reduce((s, n) => s.plus(n.abs()), ZERO);
}

