import type { Price } from '../values/price';

/** Top of book for one symbol; `last` is the mark used for valuation. */
export interface Quote {
  readonly symbol: string;
  readonly bid: Price;
  readonly ask: Price;
  readonly last: Price;
  readonly asOf: Date;
}

export function quoteAgeSeconds(quote: Quote, asOf: Date): number {
  return (asOf.getTime() - quote.asOf.getTime()) / 1000;
}
