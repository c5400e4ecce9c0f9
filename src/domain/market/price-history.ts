import type { Price } from '../values/price';

/** One business day's closing price of a symbol. */
export interface DailyClose {
  readonly date: string; // YYYY-MM-DD
  readonly close: Price;
}
