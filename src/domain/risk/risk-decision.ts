import { toWire, type Decimal } from '../values/decimal';
import type { Money } from '../values/money';
import type { Price } from '../values/price';
import type { RiskReasonCode } from './risk-reason-codes';

export type { RiskReasonCode } from './risk-reason-codes';

export interface RiskReason {
  readonly code: RiskReasonCode;
  readonly message: string;
  /** The configured limit, when the rule has one. */
  readonly limit?: string;
  /** The value the order would reach. */
  readonly actual?: string;
}

export interface RiskDecision {
  readonly approved: boolean;
  readonly reasons: readonly RiskReason[];
  /** Price used to value the order (limit or reference quote), when one was available. */
  readonly referencePrice?: Price;
  /** Estimated order notional at the reference price. */
  readonly estimatedNotional?: Money;
  readonly evaluatedAt: Date;
}

type Measure = Decimal | Money | number;
const measure = (v: Measure): string => (typeof v === 'number' ? String(v) : 'currency' in v ? v.toWire() : toWire(v));

/** A reason with the limit and the actual value when the rule has them. */
export function riskReason(code: RiskReasonCode, message: string, limit?: Measure, actual?: Measure): RiskReason {
  return { code, message, ...(limit !== undefined && { limit: measure(limit) }), ...(actual !== undefined && { actual: measure(actual) }) };
}
