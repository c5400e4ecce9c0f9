import { toWire, type Decimal } from '../values/decimal';
import type { Money } from '../values/money';
import type { Price } from '../values/price';
import type { LimitScope } from './risk-limits';
import type { RiskReasonCode } from './risk-reason-codes';

export type { RiskReasonCode } from './risk-reason-codes';

export interface RiskReason {
  readonly code: RiskReasonCode;
  readonly message: string;
  /** The configured limit, when the rule has one. */
  readonly limit?: string;
  /** The value the order would reach. */
  readonly actual?: string;
  /** Whose limit it is, when more than the portfolio can set one. */
  readonly scope?: Exclude<LimitScope, 'default'>;
}

/** What a signal the order carries promises, against what the order costs. */
export interface SignalAssessment {
  readonly strategyId: string;
  readonly confidence: number;
  /** Probability of a move the order's way less the probability of a move against it. */
  readonly directionalEdge: number | null;
  /** Expected return × notional, less the expected costs; null without an expected return or a price. */
  readonly expectedEdge: Money | null;
  readonly expectedCost: Money | null;
}

export interface RiskDecision {
  readonly approved: boolean;
  readonly reasons: readonly RiskReason[];
  /** Price used to value the order (limit or reference quote), when one was available. */
  readonly referencePrice?: Price;
  /** Estimated order notional at the reference price. */
  readonly estimatedNotional?: Money;
  readonly evaluatedAt: Date;
  /** What the decision assumed or could not check, stated (too little history for a correlation, ...). */
  readonly notes?: readonly string[];
  readonly signal?: SignalAssessment;
}



/** A limit or an actual value: an amount, a count, or a state's name. */
type Measure = Decimal | Money | number | string;
const measure = (v: Measure): string => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : 'currency' in v ? v.toWire() : toWire(v));

/** A reason with the limit and the actual value when the rule has them. */
export function riskReason(code: RiskReasonCode, message: string, limit?: Measure, actual?: Measure, scope?: RiskReason['scope']): RiskReason {
  return {
    code, message, ...(limit !== undefined && { limit: measure(limit) }), ...(actual !== undefined && { actual: measure(actual) }), ...(scope !== undefined && { scope }),
  };
}
