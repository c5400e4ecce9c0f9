import DecimalJs from 'decimal.js';

/**
 * Money, prices and quantities are decimals, never floats. One configured Decimal class for the
 * whole system: 40 significant digits and banker's rounding (financial convention).
 */
export const Decimal = DecimalJs.clone({ precision: 40, rounding: DecimalJs.ROUND_HALF_EVEN, toExpNeg: -30, toExpPos: 40 });
export type Decimal = InstanceType<typeof Decimal>;
export type Rounding = DecimalJs.Rounding;

/** A decimal as it travels on every wire (HTTP, Temporal payloads, Postgres numeric). */
export type DecimalString = string;

const DECIMAL_PATTERN = /^-?(0|[1-9]\d*)(\.\d+)?$/;

export class InvalidDecimalError extends Error {
  readonly code = 'INVALID_DECIMAL';
  override readonly name = 'InvalidDecimalError';
  constructor(readonly input: unknown) {
    super(`not a decimal string: ${JSON.stringify(input)}`);
  }
}

export function isDecimalString(value: unknown): value is DecimalString {
  return typeof value === 'string' && value.length <= 64 && DECIMAL_PATTERN.test(value);
}

/** Parses a wire decimal. Numbers are refused: a float has already lost precision. */
export function dec(value: DecimalString | Decimal): Decimal {
  if (value instanceof Decimal) return value;
  if (!isDecimalString(value)) throw new InvalidDecimalError(value);
  return new Decimal(value);
}

/** Canonical wire form: plain notation, no exponent, trailing zeros removed. */
export function toWire(value: Decimal): DecimalString {
  const fixed = value.toFixed();
  return fixed === '-0' ? '0' : fixed;
}

export const ZERO = new Decimal(0);

export function sum(values: readonly Decimal[]): Decimal {
  return values.reduce((acc, v) => acc.plus(v), ZERO);
}

/** True when value is an exact multiple of step (step > 0). */
export function isMultipleOf(value: Decimal, step: Decimal): boolean {
  return step.isZero() ? true : value.mod(step).isZero();
}
