import { Decimal, dec, toWire, type DecimalString, type Rounding } from './decimal';
import type { Price } from './price';
import type { Quantity, SignedQuantity } from './quantity';

/** ISO 4217 codes, and the upper-case tickers crypto venues quote in (USDT, BTC). */
const CURRENCY_PATTERN = /^[A-Z][A-Z0-9]{2,9}$/;

export class CurrencyMismatchError extends Error {
  readonly code = 'CURRENCY_MISMATCH';
  override readonly name = 'CurrencyMismatchError';
  constructor(readonly left: string, readonly right: string) {
    super(`cannot combine ${left} with ${right}: convert first`);
  }
}

export class InvalidCurrencyError extends Error {
  readonly code = 'INVALID_CURRENCY';
  override readonly name = 'InvalidCurrencyError';
  constructor(readonly currency: string) {
    super(`not a currency code: ${JSON.stringify(currency)}`);
  }
}

/**
 * An amount in one currency. Adding, comparing or dividing two amounts in different currencies
 * is an error, never a silent mix: conversion has to be explicit.
 */
export class Money {
  private constructor(readonly amount: Decimal, readonly currency: string) {}

  static of(amount: Decimal | DecimalString, currency: string): Money {
    if (!CURRENCY_PATTERN.test(currency)) throw new InvalidCurrencyError(currency);
    return new Money(dec(amount), currency);
  }

  static zero(currency: string): Money {
    return Money.of(new Decimal(0), currency);
  }

  static sum(values: readonly Money[], currency: string): Money {
    return values.reduce((acc, v) => acc.plus(v), Money.zero(currency));
  }

  static max(a: Money, b: Money): Money {
    return a.gte(b) ? a : b;
  }

  private same(other: Money): Decimal {
    if (other.currency !== this.currency) throw new CurrencyMismatchError(this.currency, other.currency);
    return other.amount;
  }

  plus(other: Money): Money {
    return new Money(this.amount.plus(this.same(other)), this.currency);
  }

  minus(other: Money): Money {
    return new Money(this.amount.minus(this.same(other)), this.currency);
  }

  /** Scales by a pure number (a rate, a fraction, a count). */
  times(factor: Decimal | number): Money {
    return new Money(this.amount.times(factor), this.currency);
  }

  /** The ratio of two amounts in one currency: a pure number. */
  ratioTo(other: Money): Decimal {
    return this.amount.div(this.same(other));
  }

  neg(): Money {
    return new Money(this.amount.neg(), this.currency);
  }

  abs(): Money {
    return new Money(this.amount.abs(), this.currency);
  }

  toDecimalPlaces(places: number, rounding: Rounding = Decimal.ROUND_HALF_EVEN): Money {
    return new Money(this.amount.toDecimalPlaces(places, rounding), this.currency);
  }

  isZero(): boolean {
    return this.amount.isZero();
  }

  isNegative(): boolean {
    return this.amount.isNegative() && !this.amount.isZero();
  }

  isPositive(): boolean {
    return this.amount.isPositive() && !this.amount.isZero();
  }

  lt(other: Money): boolean {
    return this.amount.lt(this.same(other));
  }

  lte(other: Money): boolean {
    return this.amount.lte(this.same(other));
  }

  gt(other: Money): boolean {
    return this.amount.gt(this.same(other));
  }

  gte(other: Money): boolean {
    return this.amount.gte(this.same(other));
  }

  eq(other: Money): boolean {
    return this.currency === other.currency && this.amount.eq(other.amount);
  }

  /** The amount in canonical wire form; the currency travels beside it where the wire needs it. */
  toWire(): DecimalString {
    return toWire(this.amount);
  }

  toString(): string {
    return `${this.toWire()} ${this.currency}`;
  }
}

/** The value of a quantity at a price, in the currency the price is quoted in. */
export function notional(qty: Quantity | SignedQuantity, at: Price, currency: string): Money {
  return Money.of(qty.times(at), currency);
}
