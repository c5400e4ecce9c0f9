import { dec, type Decimal, type DecimalString } from './decimal';

declare const PRICE: unique symbol;

/**
 * A price per unit of an instrument, in the instrument's quote currency. Branded so that it is not
 * mistaken for a quantity or an amount of money; price × quantity is money only once a currency
 * is given (see notional in money.ts).
 */
export type Price = Decimal & { readonly [PRICE]: 'Price' };

export function price(value: Decimal | DecimalString): Price {
  return dec(value) as Price;
}
