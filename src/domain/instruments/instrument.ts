import type { Decimal } from '../values/decimal';

export const ASSET_CLASSES = ['EQUITY', 'ETF', 'CRYPTO', 'FUTURE', 'FX'] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];

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
