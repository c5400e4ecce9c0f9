import type { Decimal } from '../values/decimal';

/** Stable reason codes: clients and dashboards match on these, so never rename one. */
export const RISK_REASON_CODES = [
  'INVALID_QUANTITY',
  'INVALID_PRICE',
  'PRICE_TICK_SIZE',
  'LOT_SIZE',
  'MIN_NOTIONAL',
  'MAX_ORDER_VALUE',
  'MAX_POSITION_PCT_OF_EQUITY',
  'MAX_OPEN_POSITIONS',
  'MAX_GROSS_LEVERAGE',
  'INSUFFICIENT_CASH',
  'INSUFFICIENT_POSITION',
  'SYMBOL_NOT_ALLOWED',
  'UNKNOWN_INSTRUMENT',
  'QUOTE_MISSING',
  'QUOTE_STALE',
] as const;
export type RiskReasonCode = (typeof RISK_REASON_CODES)[number];

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
  readonly referencePrice?: Decimal;
  /** Estimated order notional at the reference price. */
  readonly estimatedNotional?: Decimal;
  readonly evaluatedAt: Date;
}
