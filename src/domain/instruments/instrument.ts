import type { Decimal } from '../values/decimal';

export type AssetClass = 'EQUITY' | 'ETF' | 'CRYPTO' | 'FUTURE' | 'FX';

/** Trading rules of one tradable symbol. */
export interface Instrument {
  readonly symbol: string;
  readonly name: string;
  readonly assetClass: AssetClass;
  readonly currency: string;
  readonly tickSize: Decimal;
  readonly lotSize: Decimal;
  readonly minNotional: Decimal;
  readonly sector: string;
}
