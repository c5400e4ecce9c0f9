import type { Instrument } from '../instruments/instrument';
import { Decimal } from '../values/decimal';
import { Money } from '../values/money';
import { price, type Price } from '../values/price';
import { quantity } from '../values/quantity';
import type { DailyClose } from './price-history';

/** The demo portfolio loaded with the demo market: a fixed id, so a demo key can be scoped to it. */
export const DEMO_PORTFOLIO = { id: 'de300000-0000-4000-8000-000000000001', name: 'Demo fund', initialCash: '100000', currency: 'USD' } as const;

/** The deterministic demo market loaded on first start, so a new user can trade at once. */
export interface DemoInstrument extends Instrument {
  readonly startPrice: Price;
  readonly annualVolatility: number;
  readonly seed: number;
}

const usdEquity = { assetClass: 'EQUITY', currency: 'USD', tickSize: price('0.01'), lotSize: quantity('1'), minNotional: Money.of('1', 'USD') } as const;

export const DEMO_INSTRUMENTS: readonly DemoInstrument[] = [
  { symbol: 'AAPL', name: 'Apple Inc.', ...usdEquity, sector: 'Technology', startPrice: price('190.00'), annualVolatility: 0.28, seed: 11 },
  { symbol: 'MSFT', name: 'Microsoft Corp.', ...usdEquity, sector: 'Technology', startPrice: price('410.00'), annualVolatility: 0.25, seed: 23 },
  { symbol: 'JPM', name: 'JPMorgan Chase & Co.', ...usdEquity, sector: 'Financials', startPrice: price('195.00'), annualVolatility: 0.22, seed: 37 },
  { symbol: 'XOM', name: 'Exxon Mobil Corp.', ...usdEquity, sector: 'Energy', startPrice: price('110.00'), annualVolatility: 0.24, seed: 41 },
  { symbol: 'SPY', name: 'SPDR S&P 500 ETF', assetClass: 'ETF', currency: 'USD', tickSize: price('0.01'), lotSize: quantity('1'), minNotional: Money.of('1', 'USD'), sector: 'Index', startPrice: price('520.00'), annualVolatility: 0.16, seed: 53 },
  { symbol: 'BTC-USD', name: 'Bitcoin', assetClass: 'CRYPTO', currency: 'USD', tickSize: price('0.01'), lotSize: quantity('0.0001'), minNotional: Money.of('10', 'USD'), sector: 'Crypto', startPrice: price('65000.00'), annualVolatility: 0.6, seed: 67 },
];


/** mulberry32: a tiny seeded generator, so the demo history is the same on every machine. */
function seededUniform(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function seededNormal(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => {
    const u = Math.max(uniform(), 1e-12);
    const v = uniform();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

/**
 * A geometric random walk of business-day closes ending on `endDate` (inclusive), rounded to the
 * instrument's tick. Float math is fine for a synthetic series; the stored closes are decimals.
 */
export function demoPriceHistory(instrument: DemoInstrument, endDate: Date, businessDays: number): DailyClose[] {
  const normal = seededNormal(instrument.seed);
  const dailyVol = instrument.annualVolatility / Math.sqrt(252);
  const dates: string[] = [];
  const cursor = new Date(Date.UTC(endDate.getUTCFullYear(), endDate.getUTCMonth(), endDate.getUTCDate()));
  while (dates.length < businessDays) {
    const day = cursor.getUTCDay();
    if (day !== 0 && day !== 6) dates.unshift(cursor.toISOString().slice(0, 10));
    cursor.setUTCDate(cursor.getUTCDate() - 1);
  }
  let level = instrument.startPrice.toNumber();
  const tick = instrument.tickSize;
  return dates.map((date) => {
    level *= Math.exp(-0.5 * dailyVol * dailyVol + dailyVol * normal());
    const close = price(new Decimal(level).div(tick).round().times(tick));
    return { date, close };
  });
}

/** Bid and ask one basis point either side of the close, on the tick grid. */
export function demoQuoteAround(close: Price, tickSize: Price): { bid: Price; ask: Price } {
  const half = Decimal.max(close.times('0.0001').div(tickSize).ceil().times(tickSize), tickSize);
  return { bid: price(close.minus(half)), ask: price(close.plus(half)) };
}
