import fc from 'fast-check';
import { DEFAULT_DYNAMIC_STOPS, dynamicStops, DynamicStopsError, type DynamicStopsInput } from '../../../../src/domain/sizing/dynamic-stops';
import { Decimal, isMultipleOf } from '../../../../src/domain/values/decimal';
import { price } from '../../../../src/domain/values/price';

const d = (v: string | number) => new Decimal(v);
const closes = (...values: string[]) => values.map((v) => price(v));
const input = (over: Partial<DynamicStopsInput> = {}): DynamicStopsInput => ({
  method: 'ATR', direction: 'LONG', entryPrice: price('103'), closes: closes('100', '102', '101', '104', '103'), lookbackDays: 4,
  stopMultiplier: DEFAULT_DYNAMIC_STOPS.stopMultiplier, takeProfitMultiplier: DEFAULT_DYNAMIC_STOPS.takeProfitMultiplier,
  minDistancePct: DEFAULT_DYNAMIC_STOPS.minDistancePct, maxDistancePct: DEFAULT_DYNAMIC_STOPS.maxDistancePct, tickSize: price('0.01'),
  ...over,
});

describe('dynamic stops: hand-computed values', () => {
  // [name, input, volatility, stop loss, take profit, stop clamp, take-profit clamp]
  const cases: Array<[string, DynamicStopsInput, string, string, string, string | null, string | null]> = [
    // True ranges |Δclose| 2, 1, 3, 1 → ATR 1.75; stop 2 × 1.75 = 3.5 below, target 3 × 1.75 = 5.25 above.
    ['an ATR long', input(), '1.75', '99.5', '108.25', null, null],
    ['an ATR short', input({ direction: 'SHORT' }), '1.75', '106.5', '97.75', null, null],
    ['an ATR with older closes before the lookback (ignored)', input({ closes: closes('500', '1', '100', '102', '101', '104', '103') }), '1.75', '99.5', '108.25', null, null],
    // Returns 0.01, 0.03, 0.02: mean 0.02, Σ(r − mean)² = 0.0002, / (3 − 1) = 0.0001, sd 0.01; × entry 100 = 1.
    ['a STDDEV long', input({ method: 'STDDEV', entryPrice: price('100'), closes: closes('100', '101', '104.03', '106.1106'), lookbackDays: 3 }), '1', '98', '103', null, null],
    ['a STDDEV short', input({ method: 'STDDEV', direction: 'SHORT', entryPrice: price('100'), closes: closes('100', '101', '104.03', '106.1106'), lookbackDays: 3 }), '1', '102', '97', null, null],
    // ATR 0.005 → 0.01 and 0.015, inside the min distance 0.005 × 100 = 0.5 either way.
    ['a calm market (min distance)', input({ entryPrice: price('100'), closes: closes('100', '100.01', '100'), lookbackDays: 2 }), '0.01', '99.5', '100.5', 'MIN', 'MIN'],
    // ATR 20 → 40 and 60, beyond the max distance 0.2 × 100 = 20.
    ['a wild market (max distance)', input({ entryPrice: price('100'), closes: closes('100', '120', '100'), lookbackDays: 2 }), '20', '80', '120', 'MAX', 'MAX'],
    // ATR 0.8 / 3; stop 0.5333… below 10.4 = 9.8666… → away from the entry on a 0.05 grid: 9.85;
    // target 2.5 × ATR = 0.6666… above = 11.0666… → toward the entry: 11.05.
    ['a long on a coarse tick grid', input({ entryPrice: price('10.4'), closes: closes('10', '10.3', '10.1', '10.4'), lookbackDays: 3, takeProfitMultiplier: d('2.5'), tickSize: price('0.05') }),
      '0.2666666666666666666666666666666666666667', '9.85', '11.05', null, null],
    ['a short on a coarse tick grid', input({ direction: 'SHORT', entryPrice: price('10.4'), closes: closes('10', '10.3', '10.1', '10.4'), lookbackDays: 3, takeProfitMultiplier: d('2.5'), tickSize: price('0.05') }),
      '0.2666666666666666666666666666666666666667', '10.95', '9.75', null, null],
    // Max distance 1.98 below 9.9 = 7.92; away would be 7.8 (2.1, past the max), so 8.1. The
    // target 11.88 goes toward the entry: 11.7.
    ['a stop whose wider grid line passes the max distance', input({ entryPrice: price('9.9'), closes: closes('9.9', '19.8', '9.9'), lookbackDays: 2, tickSize: price('0.3') }),
      '9.9', '8.1', '11.7', 'MAX', 'MAX'],
    // Min distance 0.5: the target 100.5 toward the entry on a grid of 1 would be 100 (no distance), so 101.
    ['a target whose nearer grid line is inside the min distance', input({ entryPrice: price('100'), closes: closes('100', '100.01', '100'), lookbackDays: 2, tickSize: price('1') }),
      '0.01', '99', '101', 'MIN', 'MIN'],
  ];

  it.each(cases)('when the stops of %s are computed, then they are the hand-computed ones', (_name, given, volatility, stopLoss, takeProfit, stopClamp, takeProfitClamp) => {
    const stops = dynamicStops(given);
    expect(stops.volatility.toFixed()).toBe(d(volatility).toFixed());
    expect(stops.stopLoss.toFixed()).toBe(stopLoss);
    expect(stops.takeProfit.toFixed()).toBe(takeProfit);
    expect(stops.stopDistance.toFixed()).toBe(given.entryPrice.minus(stopLoss).abs().toFixed());
    expect(stops.takeProfitDistance.toFixed()).toBe(given.entryPrice.minus(takeProfit).abs().toFixed());
    expect([stops.stopClamp, stops.takeProfitClamp]).toEqual([stopClamp, takeProfitClamp]);
    expect(stops.method).toBe(given.method);
  });

  it('when the method is STDDEV, then the return standard deviation is reported beside the price-unit volatility', () => {
    const stops = dynamicStops(input({ method: 'STDDEV', entryPrice: price('100'), closes: closes('100', '101', '104.03', '106.1106'), lookbackDays: 3 }));
    expect(stops.returnStdDev?.toFixed()).toBe('0.01');
    expect(dynamicStops(input()).returnStdDev).toBeNull();
  });
});

describe('dynamic stops: refusals name the field', () => {
  const cases: Array<[string, Partial<DynamicStopsInput>, string, string]> = [
    ['the history is shorter than lookback + 1 closes', { closes: closes('100', '102', '101', '104') }, 'PRICE_HISTORY_TOO_SHORT', 'closes'],
    ['the entry price is zero', { entryPrice: price('0') }, 'STOPS_INPUT_INVALID', 'entryPrice'],
    ['the entry price is negative', { entryPrice: price('-1') }, 'STOPS_INPUT_INVALID', 'entryPrice'],
    ['the entry price is NaN', { entryPrice: new Decimal(NaN) as ReturnType<typeof price> }, 'STOPS_INPUT_INVALID', 'entryPrice'],
    ['a close is zero', { closes: closes('100', '0', '101', '104', '103') }, 'STOPS_INPUT_INVALID', 'closes.1'],
    ['the stop multiplier is zero', { stopMultiplier: d(0) }, 'STOPS_INPUT_INVALID', 'stopMultiplier'],
    ['the take-profit multiplier is negative', { takeProfitMultiplier: d(-1) }, 'STOPS_INPUT_INVALID', 'takeProfitMultiplier'],
    ['the lookback is zero', { lookbackDays: 0 }, 'STOPS_INPUT_INVALID', 'lookbackDays'],
    ['a STDDEV lookback is one return', { method: 'STDDEV', lookbackDays: 1 }, 'STOPS_INPUT_INVALID', 'lookbackDays'],
    ['the lookback is fractional', { lookbackDays: 2.5 }, 'STOPS_INPUT_INVALID', 'lookbackDays'],
    ['the min distance is zero', { minDistancePct: d(0) }, 'STOPS_INPUT_INVALID', 'minDistancePct'],
    ['the min distance is above the max', { minDistancePct: d('0.3'), maxDistancePct: d('0.2') }, 'STOPS_INPUT_INVALID', 'minDistancePct'],
    ['the max distance is 100 %', { maxDistancePct: d(1) }, 'STOPS_INPUT_INVALID', 'maxDistancePct'],
    ['the tick size is zero', { tickSize: price('0') }, 'STOPS_INPUT_INVALID', 'tickSize'],
    ['the entry is too near zero for a stop on the grid', { entryPrice: price('0.01'), closes: closes('0.01', '0.02', '0.01', '0.02', '0.01') }, 'STOPS_INPUT_INVALID', 'entryPrice'],
  ];
  it.each(cases)('when %s, then a typed error names the field', (_name, over, code, field) => {
    let caught: unknown;
    try {
      dynamicStops(input(over));
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(DynamicStopsError);
    expect((caught as DynamicStopsError).code).toBe(code);
    expect((caught as DynamicStopsError).field).toBe(field);
  });
});

describe('dynamic stops: invariants', () => {
  const series = fc.array(fc.integer({ min: 5000, max: 20000 }), { minLength: 3, maxLength: 40 });
  const arbitrary = fc.record({
    cents: series, method: fc.constantFrom('ATR' as const, 'STDDEV' as const), direction: fc.constantFrom('LONG' as const, 'SHORT' as const),
    tickCents: fc.constantFrom(1, 5, 25), stopMult: fc.integer({ min: 1, max: 50 }), tpMult: fc.integer({ min: 1, max: 50 }),
  });

  it('when stops are computed for any history, then the stop is on the loss side, the target on the profit side, both on the grid and within the bounds the grid allows', () => {
    // Seed -26247553 found the grid-at-the-max-bound case this property now allows.
    fc.assert(fc.property(arbitrary, ({ cents, method, direction, tickCents, stopMult, tpMult }) => {
      const tick = d(tickCents).div(100);
      const prices = cents.map((c) => price(d(c).div(100).div(tick).round().times(tick)));
      const entry = prices[prices.length - 1]!;
      const stops = dynamicStops(input({ method, direction, entryPrice: entry, closes: prices, lookbackDays: prices.length - 1,
        stopMultiplier: d(stopMult).div(10), takeProfitMultiplier: d(tpMult).div(10), tickSize: price(tick) }));
      const below = direction === 'LONG' ? stops.stopLoss : stops.takeProfit;
      const above = direction === 'LONG' ? stops.takeProfit : stops.stopLoss;
      expect(below.lt(entry) && above.gt(entry)).toBe(true);
      expect(isMultipleOf(stops.stopLoss, tick) && isMultipleOf(stops.takeProfit, tick)).toBe(true);
      const [min, max] = [entry.times('0.005'), entry.times('0.2')];
      for (const distance of [stops.stopDistance, stops.takeProfitDistance]) {
        expect(distance.gte(min.minus(tick)) && distance.lte(max.plus(tick))).toBe(true);
      }
      // Never tighter than the volatility asks (within the bounds): only when the wanted distance lies
      // within a tick of the max bound may the grid take the stop a tick closer to stay inside it.
      const wanted = Decimal.min(Decimal.max(stops.volatility.times(stops.stopMultiplier), min), max);
      expect(stops.stopDistance.gte(wanted) || stops.stopClamp === 'MAX' || max.minus(wanted).lt(tick)).toBe(true);
    }));
  });

  it('when STDDEV is computed, then it matches a float sample standard deviation of the returns', () => {
    fc.assert(fc.property(series, (cents) => {
      const prices = cents.map((c) => price(d(c).div(100)));
      const stops = dynamicStops(input({ method: 'STDDEV', entryPrice: price('100'), closes: prices, lookbackDays: prices.length - 1 }));
      const returns = cents.slice(1).map((c, i) => c / cents[i]! - 1);
      const mean = returns.reduce((a, b) => a + b, 0) / returns.length;
      const sd = Math.sqrt(returns.reduce((a, r) => a + (r - mean) ** 2, 0) / (returns.length - 1));
      expect(Math.abs(stops.returnStdDev!.toNumber() - sd)).toBeLessThan(1e-9);
    }));
  });
});
