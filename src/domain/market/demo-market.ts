import type { Instrument } from '../instruments/instrument';
import { Decimal } from '../values/decimal';

/** The deterministic demo market loaded on first start, so a new user can trade at once. */
export interface DemoInstrument extends Instrument {
  readonly startPrice: Decimal;
  readonly annualVolatility: number;
  readonly seed: number;
}

const d = (v: string) => new Decimal(v);

export const DEMO_INSTRUMENTS: readonly DemoInstrument[] = [
  { symbol: 'AAPL', name: 'Apple Inc.', assetClass: 'EQUITY', currency: 'USD', tickSize: d('0.01'), lotSize: d('1'), minNotional: d('1'), sector: 'Technology', startPrice: d('190.00'), annualVolatility: 0.28, seed: 11 },
  { symbol: 'MSFT', name: 'Microsoft Corp.', assetClass: 'EQUITY', currency: 'USD', tickSize: d('0.01'), lotSize: d('1'), minNotional: d('1'), sector: 'Technology', startPrice: d('410.00'), annualVolatility: 0.25, seed: 23 },
  { symbol: 'JPM', name: 'JPMorgan Chase & Co.', assetClass: 'EQUITY', currency: 'USD', tickSize: d('0.01'), lotSize: d('1'), minNotional: d('1'), sector: 'Financials', startPrice: d('195.00'), annualVolatility: 0.22, seed: 37 },
  { symbol: 'XOM', name: 'Exxon Mobil Corp.', assetClass: 'EQUITY', currency: 'USD', tickSize: d('0.01'), lotSize: d('1'), minNotional: d('1'), sector: 'Energy', startPrice: d('110.00'), annualVolatility: 0.24, seed: 41 },
  { symbol: 'SPY', name: 'SPDR S&P 500 ETF', assetClass: 'ETF', currency: 'USD', tickSize: d('0.01'), lotSize: d('1'), minNotional: d('1'), sector: 'Index', startPrice: d('520.00'), annualVolatility: 0.16, seed: 53 },
  { symbol: 'BTC-USD', name: 'Bitcoin', assetClass: 'CRYPTO', currency: 'USD', tickSize: d('0.01'), lotSize: d('0.0001'), minNotional: d('10'), sector: 'Crypto', startPrice: d('65000.00'), annualVolatility: 0.6, seed: 67 },
];

export interface DailyClose {
  readonly date: string; // YYYY-MM-DD
  readonly close: Decimal;
}

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
  let price = instrument.startPrice.toNumber();
  const tick = instrument.tickSize;
  return dates.map((date) => {
    price *= Math.exp(-0.5 * dailyVol * dailyVol + dailyVol * normal());
    const close = new Decimal(price).div(tick).round().times(tick);
    return { date, close };
  });
}

/** Bid and ask one basis point either side of the close, on the tick grid. */
export function demoQuoteAround(close: Decimal, tickSize: Decimal): { bid: Decimal; ask: Decimal } {
  const half = Decimal.max(close.times('0.0001').div(tickSize).ceil().times(tickSize), tickSize);
  return { bid: close.minus(half), ask: close.plus(half) };
}
