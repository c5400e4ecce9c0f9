import type { Money } from '../values/money';
import type { Price } from '../values/price';
import type { Quantity } from '../values/quantity';

export const ASSET_CLASSES = ['EQUITY', 'ETF', 'CRYPTO', 'FUTURE', 'FX'] as const;
export type AssetClass = (typeof ASSET_CLASSES)[number];

/** Trading rules of one tradable symbol. Prices and the minimum notional are in `currency`. */
export interface Instrument {
  readonly symbol: string;
  readonly name: string;
  readonly assetClass: AssetClass;
  readonly currency: string;
  readonly tickSize: Price;
  readonly lotSize: Quantity;
  readonly minNotional: Money;
  readonly sector: string;
}
