import { Decimal } from '../values/decimal';

/** How a portfolio sizes positions. Fractions are decimals (0.02 = 2 % of equity). */
export interface SizingSettings {
  /** Most of equity all open positions may lose at their stops, this one included. */
  readonly maxPortfolioRisk: Decimal;
  /** Most of equity one position may lose at its stop. */
  readonly maxPositionRisk: Decimal;
  /** The share of equity a position starts from (confidence weighting scales it). */
  readonly baseSize: Decimal;
  /** How much a confidence of 1 multiplies the base size. */
  readonly confidenceMultiplier: Decimal;
  /** The fraction of full Kelly to bet. */
  readonly kellyFraction: Decimal;
  /** Below this confidence a signal sizes nothing. */
  readonly minConfidence: Decimal;
}

export const DEFAULT_SIZING_SETTINGS: SizingSettings = Object.freeze({
  maxPortfolioRisk: new Decimal('0.02'),
  maxPositionRisk: new Decimal('0.005'),
  baseSize: new Decimal('0.02'),
  confidenceMultiplier: new Decimal('2'),
  kellyFraction: new Decimal('0.25'),
  minConfidence: new Decimal('0.6'),
});
