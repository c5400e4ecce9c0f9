import { dec, type Decimal, type DecimalString } from './decimal';

declare const QUANTITY: unique symbol;
declare const SIGNED_QUANTITY: unique symbol;

/**
 * An amount of an instrument where a side (BUY/SELL) says the direction: never negative. Branded,
 * so a price or a signed position cannot be passed where a quantity is meant. Arithmetic on it
 * yields a plain Decimal; brand the result again only where it is a quantity.
 */
export type Quantity = Decimal & { readonly [QUANTITY]: 'Quantity' };

/** A position's size: negative is short. */
export type SignedQuantity = Decimal & { readonly [SIGNED_QUANTITY]: 'SignedQuantity' };

export class NegativeQuantityError extends Error {
  readonly code = 'NEGATIVE_QUANTITY';
  override readonly name = 'NegativeQuantityError';
  constructor(readonly value: string) {
    super(`a quantity is never negative (the side gives the direction): ${value}`);
  }
}

export function quantity(value: Decimal | DecimalString): Quantity {
  const d = dec(value);
  if (d.isNegative() && !d.isZero()) throw new NegativeQuantityError(d.toFixed());
  return d as Quantity;
}

export function signedQuantity(value: Decimal | DecimalString): SignedQuantity {
  return dec(value) as SignedQuantity;
}
