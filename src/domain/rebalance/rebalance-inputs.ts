import type { Instrument } from '../instruments/instrument';
import { Decimal, ZERO, sum } from '../values/decimal';
import { Money } from '../values/money';
import type { Price } from '../values/price';
import { signedQuantity, type SignedQuantity } from '../values/quantity';
import { RebalancePlanError } from './rebalance-plan-error';
import type { AssetBand, RebalancePortfolio, RebalanceQuote, Weight } from './rebalance-types';

/** The portfolio, checked: one entry per symbol, every symbol priced and with an instrument in the base currency. */
export interface CheckedPortfolio {
  readonly currency: string;
  readonly cash: Money;
  readonly quantities: ReadonlyMap<string, SignedQuantity>;
  readonly equity: Money;
  readonly weights: ReadonlyMap<string, Weight>;
  readonly priceOf: (symbol: string) => Price;
  readonly instrumentOf: (symbol: string) => Instrument;
  readonly quoteOf: (symbol: string) => RebalanceQuote | undefined;
}

function finite(field: string, value: Decimal): Decimal {
  if (!value.isFinite()) throw new RebalancePlanError('REBALANCE_VALUE_NOT_FINITE', field, 'must be a finite number');
  return value;
}

/** Checks every symbol the plan touches (positions and targets) and values the portfolio at the marks. */
export function checkPortfolio(portfolio: RebalancePortfolio, targetSymbols: readonly string[]): CheckedPortfolio {
  const currency = portfolio.cash.currency;
  finite('portfolio.cash', portfolio.cash.amount);
  const quantities = new Map<string, SignedQuantity>();
  for (const [i, p] of portfolio.positions.entries()) {
    finite(`portfolio.positions[${i}].quantity`, p.quantity);
    if (quantities.has(p.symbol)) throw new RebalancePlanError('REBALANCE_DUPLICATE_POSITION', `portfolio.positions[${i}].symbol`, `${p.symbol} appears twice`);
    quantities.set(p.symbol, p.quantity);
  }
  const symbols = [...new Set([...quantities.keys(), ...targetSymbols])].sort();
  for (const symbol of symbols) {
    const instrument = portfolio.instruments[symbol];
    if (instrument === undefined) throw new RebalancePlanError('REBALANCE_UNKNOWN_INSTRUMENT', `portfolio.instruments.${symbol}`, `no instrument for ${symbol}`);
    if (instrument.currency !== currency) {
      throw new RebalancePlanError('REBALANCE_CURRENCY_MISMATCH', `portfolio.instruments.${symbol}.currency`, `${symbol} trades in ${instrument.currency}, the portfolio is in ${currency}`);
    }
    finite(`portfolio.instruments.${symbol}.lotSize`, instrument.lotSize);
    if (!instrument.lotSize.gt(0)) throw new RebalancePlanError('REBALANCE_SETTING_INVALID', `portfolio.instruments.${symbol}.lotSize`, 'must be positive');
    const mark = portfolio.marks[symbol];
    if (mark === undefined) throw new RebalancePlanError('REBALANCE_MISSING_PRICE', `portfolio.marks.${symbol}`, `no mark for ${symbol}`);
    finite(`portfolio.marks.${symbol}`, mark);
    if (!mark.gt(0)) throw new RebalancePlanError('REBALANCE_PRICE_NOT_POSITIVE', `portfolio.marks.${symbol}`, 'must be positive');
    const quote = portfolio.quotes?.[symbol];
    if (quote !== undefined) {
      finite(`portfolio.quotes.${symbol}.bid`, quote.bid);
      finite(`portfolio.quotes.${symbol}.ask`, quote.ask);
      if (quote.ask.lt(quote.bid)) throw new RebalancePlanError('REBALANCE_SETTING_INVALID', `portfolio.quotes.${symbol}`, 'ask is below bid');
    }
  }
  const values = new Map<string, Decimal>();
  for (const symbol of symbols) values.set(symbol, (quantities.get(symbol) ?? ZERO).times(portfolio.marks[symbol] as Price));
  const equity = portfolio.cash.plus(Money.of(sum([...values.values()]), currency));
  if (!equity.isPositive()) throw new RebalancePlanError('REBALANCE_EQUITY_NOT_POSITIVE', 'portfolio', `equity at marks is ${equity.toString()}`);
  const weights = new Map<string, Weight>();
  for (const symbol of symbols) weights.set(symbol, (values.get(symbol) as Decimal).div(equity.amount));
  for (const symbol of symbols) if (!quantities.has(symbol)) quantities.set(symbol, signedQuantity(ZERO));
  return {
    currency,
    cash: portfolio.cash,
    quantities,
    equity,
    weights,
    priceOf: (s) => portfolio.marks[s] as Price,
    instrumentOf: (s) => portfolio.instruments[s] as Instrument,
    quoteOf: (s) => portfolio.quotes?.[s],
  };
}

/** Target weights: finite, ≥ 0, Σ ≤ 1 (the remainder is cash). */
export function checkTargetWeights(weights: Readonly<Record<string, Weight>>, field: string): Map<string, Weight> {
  const out = new Map<string, Weight>();
  for (const symbol of Object.keys(weights).sort()) {
    const w = finite(`${field}.${symbol}`, weights[symbol] as Decimal);
    if (w.isNegative() && !w.isZero()) throw new RebalancePlanError('REBALANCE_WEIGHT_NEGATIVE', `${field}.${symbol}`, 'a target weight is never negative');
    out.set(symbol, w);
  }
  if (sum([...out.values()]).gt(1)) throw new RebalancePlanError('REBALANCE_WEIGHTS_EXCEED_ONE', field, 'target weights sum to more than 1');
  return out;
}

/** Asset bands: each within [0, 1], min and max both or neither, min ≤ target ≤ max. Answers the targets. */
export function checkAssetBands(bands: Readonly<Record<string, AssetBand>>): Record<string, Weight> {
  const targets: Record<string, Weight> = {};
  for (const symbol of Object.keys(bands).sort()) {
    const b = bands[symbol] as AssetBand;
    for (const key of ['target', 'min', 'max'] as const) {
      const v = b[key];
      if (v === undefined) continue;
      finite(`targets.bands.${symbol}.${key}`, v);
      if (v.isNegative() || v.gt(1)) throw new RebalancePlanError('REBALANCE_BAND_INVALID', `targets.bands.${symbol}.${key}`, 'must be within [0, 1]');
    }
    if ((b.min === undefined) !== (b.max === undefined)) throw new RebalancePlanError('REBALANCE_BAND_INVALID', `targets.bands.${symbol}`, 'give min and max together, or neither');
    if (b.min !== undefined && b.max !== undefined && (b.min.gt(b.target) || b.target.gt(b.max))) {
      throw new RebalancePlanError('REBALANCE_BAND_INVALID', `targets.bands.${symbol}`, 'needs min ≤ target ≤ max');
    }
    targets[symbol] = b.target;
  }
  return targets;
}
