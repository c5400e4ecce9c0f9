import type { Instrument } from '../../../../src/domain/instruments/instrument';
import type { RebalanceInput, RebalancePortfolio, RebalanceSettings } from '../../../../src/domain/rebalance';
import { Decimal } from '../../../../src/domain/values/decimal';
import { Money } from '../../../../src/domain/values/money';
import { price } from '../../../../src/domain/values/price';
import { quantity, signedQuantity } from '../../../../src/domain/values/quantity';

export const d = (v: string | number): Decimal => new Decimal(v);
export const usd = (v: string | number): Money => Money.of(new Decimal(v), 'USD');

export function instrument(symbol: string, lot = '1', minNotional = '0'): Instrument {
  return {
    symbol, name: symbol, assetClass: 'EQUITY', currency: 'USD', tickSize: price('0.01'), lotSize: quantity(lot), minNotional: usd(minNotional), sector: 'Tech',
  };
}

/** cash, then [symbol, quantity, mark, lot?, minNotional?] per instrument. */
export function portfolio(cash: string, rows: Array<[string, string, string, string?, string?]>): RebalancePortfolio {
  return {
    cash: usd(cash),
    positions: rows.filter(([, q]) => q !== '0').map(([symbol, q]) => ({ symbol, quantity: signedQuantity(q) })),
    marks: Object.fromEntries(rows.map(([s, , m]) => [s, price(m)])),
    instruments: Object.fromEntries(rows.map(([s, , , lot, min]) => [s, instrument(s, lot ?? '1', min ?? '0')])),
  };
}

export const FREE: Partial<RebalanceSettings> = {
  costs: { feeRate: d(0), minFee: d(0), slippageRate: d(0) },
  cashBuffer: d(0),
};

export const weights = (w: Record<string, string>): RebalanceInput['targets'] => ({
  type: 'target-weights', weights: Object.fromEntries(Object.entries(w).map(([k, v]) => [k, d(v)])),
});
