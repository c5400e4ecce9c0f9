import fc from 'fast-check';
import { optimalF } from '../../../../src/domain/sizing/optimal-f';
import { sizePosition, SizingError, type SizingContext, type SizingInput } from '../../../../src/domain/sizing/position-sizing';
import { DEFAULT_SIZING_SETTINGS } from '../../../../src/domain/sizing/sizing-settings';
import { Decimal } from '../../../../src/domain/values/decimal';
import { Money } from '../../../../src/domain/values/money';
import { price } from '../../../../src/domain/values/price';
import { quantity } from '../../../../src/domain/values/quantity';

const d = (v: string | number) => new Decimal(v);
const ctx = (over: Partial<SizingContext> = {}): SizingContext => ({
  equity: Money.of('100000', 'USD'), price: price('50'), lotSize: quantity('1'), settings: DEFAULT_SIZING_SETTINGS, ...over,
});
const qty = (input: SizingInput, over: Partial<SizingContext> = {}) => sizePosition(input, ctx(over)).quantity.toFixed();

describe('position sizing methods (equity 100 000, price 50, lot 1, no stop)', () => {
  const cases: Array<[string, SizingInput, string, string]> = [
    ['fixed dollar', { method: 'FIXED_DOLLAR', amount: d(5000) }, '5000', '100'],
    ['fixed percent', { method: 'FIXED_PERCENT', percent: d('0.05') }, '5000', '100'],
    // f* = 0.6 − 0.4 / 2 = 0.4; × 0.25 = 0.1 of equity.
    ['Kelly', { method: 'KELLY', winProbability: d('0.6'), payoffRatio: d(2) }, '10000', '200'],
    ['Kelly at half', { method: 'KELLY', winProbability: d('0.6'), payoffRatio: d(2), fraction: d('0.5') }, '20000', '400'],
    // 1/0.2 over 1/0.2 + 1/0.1 + 1/0.4 = 5 / 17.5.
    ['risk parity', { method: 'RISK_PARITY', assetVolatility: d('0.2'), otherVolatilities: [d('0.1'), d('0.4')] }, '28571.42857142857142857142857142857142857', '571'],
    ['volatility adjusted', { method: 'VOLATILITY_ADJUSTED', targetVolatility: d('0.1'), assetVolatility: d('0.4') }, '25000', '500'],
    // 0.02 × 0.8 × 2 = 0.032 of equity.
    ['confidence weighted', { method: 'CONFIDENCE_WEIGHTED', confidence: d('0.8') }, '3200', '64'],
  ];
  it.each(cases)('when sizing by %s, then the raw notional and the quantity are the hand-computed ones', (_name, input, notional, expected) => {
    const result = sizePosition(input, ctx());
    expect(result.rawNotional.amount.toSignificantDigits(40).toFixed()).toBe(new Decimal(notional).toSignificantDigits(40).toFixed());
    expect(result.quantity.toFixed()).toBe(expected);
  });

  it('when Kelly sees no edge, then it sizes nothing and says why', () => {
    const result = sizePosition({ method: 'KELLY', winProbability: d('0.3'), payoffRatio: d(1) }, ctx());
    expect(result.quantity.toFixed()).toBe('0');
    expect(result.notes[0]).toMatch(/no edge/);
  });

  it('when the confidence is below the minimum, then confidence weighting sizes nothing and says why', () => {
    const result = sizePosition({ method: 'CONFIDENCE_WEIGHTED', confidence: d('0.5') }, ctx());
    expect(result.quantity.toFixed()).toBe('0');
    expect(result.notes[0]).toMatch(/below the minimum 0.6/);
  });
});

describe('optimal f', () => {
  /** An independent answer: the root of d ln TWR / df = Σ x / (W + f x), found by bisection. */
  const byBisection = (xs: number[]) => {
    const w = -Math.min(...xs);
    const slope = (f: number) => xs.reduce((acc, x) => acc + x / (w + f * x), 0);
    let lo = 0;
    let hi = 1 - 1e-12;
    for (let i = 0; i < 200; i++) {
      const mid = (lo + hi) / 2;
      if (slope(mid) > 0) lo = mid;
      else hi = mid;
    }
    return (lo + hi) / 2;
  };

  it('when Vince\'s example trades are given, then f matches the root of the TWR derivative to 1e-6 (about 0.24)', () => {
    const trades = [9, 18, 7, 1, 10, -5, -3, -17, -7];
    const found = optimalF(trades);
    expect(Math.abs(found.f - byBisection(trades))).toBeLessThan(1e-6);
    expect(found.f).toBeCloseTo(0.24, 2);
    expect(found.largestLoss).toBe(17);
  });

  it('when sizing by optimal f, then the units are equity × f / largest loss, rounded down to lots', () => {
    const trades = [9, 18, 7, 1, 10, -5, -3, -17, -7];
    const { f } = optimalF(trades);
    const result = sizePosition({ method: 'OPTIMAL_F', tradeResults: trades.map((t) => d(t)) }, ctx());
    expect(result.quantity.toNumber()).toBe(Math.floor((100000 * f) / 17));
  });

  it('when the trades lose on balance, then optimal f is 0; when none lost, it is undefined', () => {
    expect(optimalF([1, -3, 1]).f).toBe(0);
    expect(() => sizePosition({ method: 'OPTIMAL_F', tradeResults: [d(1), d(2)] }, ctx())).toThrow(SizingError);
  });

  it('when random profitable trade lists are sized, then golden-section and bisection agree to 1e-6', () => {
    fc.assert(fc.property(fc.array(fc.integer({ min: -50, max: 80 }), { minLength: 2, maxLength: 40 }), (xs) => {
      fc.pre(Math.min(...xs) < 0 && xs.reduce((a, x) => a + x, 0) > 0);
      return Math.abs(optimalF(xs).f - byBisection(xs)) < 1e-6;
    }));
  });
});

describe('adjustments and caps', () => {
  it('when a stop is given, then the position is capped to lose at most 0.5 % of equity at it, and the cap is reported', () => {
    // 10 % of equity = 200 units; stop 5 below: 500 / 5 = 100 units at most.
    const result = sizePosition({ method: 'FIXED_PERCENT', percent: d('0.1') }, ctx({ stopLoss: price('45') }));
    expect(result.quantity.toFixed()).toBe('100');
    expect(result.adjustments.map((a) => [a.name, a.factor.toFixed()])).toEqual([['MAX_POSITION_RISK', '0.5']]);
    expect(result.riskAtStop?.toString()).toBe('500 USD');
  });

  it('when open positions already risk most of the 2 % budget, then the position gets only what is left', () => {
    const result = sizePosition({ method: 'FIXED_PERCENT', percent: d('0.1') }, ctx({ stopLoss: price('45'), openRisk: Money.of('1800', 'USD') }));
    expect(result.quantity.toFixed()).toBe('40');
    expect(result.adjustments.map((a) => a.name)).toEqual(['MAX_POSITION_RISK', 'MAX_PORTFOLIO_RISK']);
  });

  it('when a signal\'s confidence is given, then it scales the size, and below the minimum it sizes nothing', () => {
    expect(qty({ method: 'FIXED_DOLLAR', amount: d(5000) }, { confidence: d('0.8') })).toBe('80');
    const below = sizePosition({ method: 'FIXED_DOLLAR', amount: d(5000) }, ctx({ confidence: d('0.5') }));
    expect([below.quantity.toFixed(), below.adjustments[0]?.name]).toEqual(['0', 'CONFIDENCE']);
  });

  it('when the size is less than a lot, then it rounds down to zero and says so', () => {
    const result = sizePosition({ method: 'FIXED_DOLLAR', amount: d(30) }, ctx({ lotSize: quantity('1') }));
    expect(result.quantity.toFixed()).toBe('0');
    expect(result.notes.join(' ')).toMatch(/round down to zero lots of 1/);
  });

  it('when crypto trades in 0.0001 lots, then the quantity is on that grid', () => {
    expect(qty({ method: 'FIXED_DOLLAR', amount: d(1000) }, { price: price('65000'), lotSize: quantity('0.0001') })).toBe('0.0153');
  });

  it.each([
    ['a percent above 1', { method: 'FIXED_PERCENT', percent: d('1.5') }, 'percent'],
    ['a zero payoff ratio', { method: 'KELLY', winProbability: d('0.6'), payoffRatio: d(0) }, 'payoffRatio'],
    ['a zero volatility', { method: 'VOLATILITY_ADJUSTED', targetVolatility: d('0.1'), assetVolatility: d(0) }, 'assetVolatility'],
  ] as Array<[string, SizingInput, string]>)('when the input has %s, then a SizingError names the field', (_name, input, field) => {
    expect(() => sizePosition(input, ctx())).toThrow(expect.objectContaining({ field }));
  });

  it('when sizes are drawn at random with a stop, then no size ever exceeds the position or the portfolio risk cap, nor leaves the lot grid', () => {
    const amount = fc.integer({ min: 1, max: 10_000_000 }).map((n) => d(n));
    fc.assert(fc.property(amount, fc.integer({ min: 1, max: 100_000 }), fc.integer({ min: 1, max: 99 }), fc.integer({ min: 0, max: 3000 }), fc.constantFrom('1', '0.01', '0.0001'),
      (dollars, cents, stopPct, openRisk, lot) => {
        const at = price(d(cents).div(100));
        const stop = price(at.times(Decimal.sub(1, d(stopPct).div(100))));
        fc.pre(!at.minus(stop).isZero());
        const c = ctx({ price: at, stopLoss: stop, openRisk: Money.of(d(openRisk), 'USD'), lotSize: quantity(lot) });
        const result = sizePosition({ method: 'FIXED_DOLLAR', amount: dollars }, c);
        const risk = result.riskAtStop!.amount;
        return risk.lte(c.equity.amount.times(DEFAULT_SIZING_SETTINGS.maxPositionRisk))
          && risk.plus(openRisk).lte(Decimal.max(c.equity.amount.times(DEFAULT_SIZING_SETTINGS.maxPortfolioRisk), d(openRisk)))
          && result.quantity.mod(lot).isZero();
      }));
  });
});
