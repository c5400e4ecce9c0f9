import type { Decimal } from '../values/decimal';

/** Top of book for one symbol; `last` is the mark used for valuation. */
export interface Quote {
  readonly symbol: string;
  readonly bid: Decimal;
  readonly ask: Decimal;
  readonly last: Decimal;
  readonly asOf: Date;
}

export function quoteAgeSeconds(quote: Quote, asOf: Date): number {
  return (asOf.getTime() - quote.asOf.getTime()) / 1000;
}
