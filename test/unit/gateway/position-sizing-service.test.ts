import { Money } from '../../../src/domain/values/money';
import { price } from '../../../src/domain/values/price';
import { quantity } from '../../../src/domain/values/quantity';
import { HttpError, type FieldProblem } from '../../../src/gateway/http-errors';
import { sizePositionFor, type PositionSizingDeps, type PositionSizingRequest } from '../../../src/gateway/position-sizing-service';

const NOW = new Date('2026-11-20T15:00:00Z');
const closes = ['100', '101', '104.03', '106.1106'];

/** In-memory ports: a 100 000 USD portfolio, an instrument on a 0.01 grid, a fresh quote 99.99/100, four closes. */
function fakeDeps(): PositionSizingDeps {
  return {
    clock: { now: () => NOW },
    portfolios: {
      findPortfolio: async () => ({ baseCurrency: 'USD', equity: '100000' }),
    },
    riskLimits: { findPortfolioLimits: async () => ({ limits: {}, version: 0, updatedBy: null, updatedAt: null }) },
    marketData: {
      findInstrument: async (symbol: string) => ({ symbol, name: symbol, assetClass: 'EQUITY', currency: 'USD', tickSize: price('0.01'), lotSize: quantity('1'), minNotional: Money.of('1', 'USD'), sector: 'Test' }),
      findQuote: async (symbol: string) => ({ source: 'test', quote: { symbol, bid: price('99.99'), ask: price('100'), last: price('100'), asOf: NOW } }),
      priceHistory: async () => closes.map((close, i) => ({ date: `2026-11-1${i + 6}`, close: price(close) })),
    },
    sizingSettings: { find: async () => null },
  } as unknown as PositionSizingDeps;
}

const order = (over: Partial<PositionSizingRequest>): PositionSizingRequest => ({
  portfolioId: 'p', symbol: 'XYZ', side: 'BUY', sizing: { method: 'FIXED_PERCENT', percent: '0.1' }, fieldPrefix: { sizing: 'sizing.', stops: 'stops.' }, ...over,
});

async function fieldsOf(request: PositionSizingRequest): Promise<string[]> {
  try {
    await sizePositionFor(fakeDeps(), request);
    return [];
  } catch (err) {
    if (!(err instanceof HttpError) || err.status !== 400) throw err;
    return (err.details as FieldProblem[]).map((p) => p.field);
  }
}

describe('sizePositionFor, as the order route calls it', () => {
  it('when an order sizes with STDDEV stops, then the stop is 2 sd × the ask below it and the quantity respects the position cap', async () => {
    // Returns 0.01, 0.03, 0.02: sd 0.01; × the ask 100 = 1; stop 98, target 103. 500 / 2 = 250 units cap; 10 000 / 100 = 100 units wanted.
    const sized = await sizePositionFor(fakeDeps(), order({ stops: { method: 'STDDEV', lookbackDays: 3 } }));
    expect(sized.quantity.toFixed()).toBe('100');
    expect(sized.stopLoss?.toFixed()).toBe('98');
    expect(sized.stops?.stops.takeProfit.toFixed()).toBe('103');
    expect(sized.stops?.history).toEqual({ from: '2026-11-16', to: '2026-11-19' });
    expect(sized.sizing.riskAtStop?.toWire()).toBe('200');
  });

  const refusals: Array<[string, string, Partial<PositionSizingRequest>]> = [
    ['a buy\'s stop loss is above the ask', 'sizing.stopLoss', { sizing: { method: 'FIXED_PERCENT', percent: '0.1', stopLoss: '101' } }],
    ['a sell\'s stop loss is below the bid', 'sizing.stopLoss', { side: 'SELL', sizing: { method: 'FIXED_PERCENT', percent: '0.1', stopLoss: '99' } }],
    ['both a stop loss and stops are given', 'stops', { sizing: { method: 'FIXED_PERCENT', percent: '0.1', stopLoss: '99' }, stops: { method: 'ATR' } }],
    ['optimal f has no loss', 'sizing.tradeResults', { sizing: { method: 'OPTIMAL_F', tradeResults: ['1', '2'] } }],
    ['the min distance given is above the default max', 'stops.minDistancePct', { stops: { method: 'ATR', lookbackDays: 3, minDistancePct: '0.5' } }],
  ];
  it.each(refusals)('when %s, then the 400 names %s', async (_name, field, over) => {
    expect(await fieldsOf(order(over))).toEqual([field]);
  });

  it('when the history is too short, then the 422 names the lookback field', async () => {
    await expect(sizePositionFor(fakeDeps(), order({ stops: { method: 'ATR', lookbackDays: 10 } }))).rejects.toMatchObject({
      status: 422, code: 'PRICE_HISTORY_TOO_SHORT', details: expect.objectContaining({ field: 'stops.lookbackDays', needed: 11, available: 4 }),
    });
  });
});
