import { Decimal } from '../values/decimal';

/** Pre-trade limits of one portfolio. Amounts are in its base currency; fractions are decimals (0.25 = 25 %). */
export interface RiskLimits {
  /** Largest notional of a single order. */
  readonly maxOrderValue: Decimal;
  /** Largest |position value| after the order as a fraction of equity. */
  readonly maxPositionPctOfEquity: Decimal;
  /** Most distinct symbols held (or being bought) at once. */
  readonly maxOpenPositions: number;
  /** Largest gross exposure / equity after the order. */
  readonly maxGrossLeverage: Decimal;
  /** Symbols that may be traded; null allows every known instrument. */
  readonly allowedSymbols: readonly string[] | null;
  /** A quote older than this is stale and the order is denied. */
  readonly maxQuoteAgeSeconds: number;
  /** Whether a sell may take a position below zero. */
  readonly allowShort: boolean;
}

export const DEFAULT_RISK_LIMITS: RiskLimits = Object.freeze({
  maxOrderValue: new Decimal('100000'),
  maxPositionPctOfEquity: new Decimal('0.25'),
  maxOpenPositions: 20,
  maxGrossLeverage: new Decimal('1'),
  allowedSymbols: null,
  maxQuoteAgeSeconds: 300,
  allowShort: false,
});
