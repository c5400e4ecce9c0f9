import fc from 'fast-check';
import { AnalyticsInputError } from '../../../../../src/domain/analytics/analytics-input-error';
import { normalCdf, normalQuantile } from '../../../../../src/domain/analytics/normal-distribution';
import {
  historicalExpectedShortfall, historicalVar, parametricExpectedShortfall, parametricVar, tailRisk,
} from '../../../../../src/domain/analytics/risk/tail-risk';

/** r_i = (i − 50) / 1000 for i = 0..99, shuffled: the worst is −0.05, the fifth worst −0.046. */
const hundred = Array.from({ length: 100 }, (_, i) => ((i * 37) % 100 - 50) / 1000);
/** 30 returns: −0.09, −0.06, then 28 × 0.01 (α·T = 1.5 at 95 %). */
const thirty = [0.01, -0.06, ...new Array<number>(27).fill(0.01), -0.09];

describe('historical VaR and ES (positive losses, index ceil(αT) − 1, Acerbi–Tasche)', () => {
  it.each([
    ['αT whole (5 of 100): the 5th worst, not the 6th (float noise in 1 − 0.95)', hundred, 0.95, 0.046, 0.048],
    ['αT = 1 at 99 %: the worst', hundred, 0.99, 0.05, 0.05],
    ['αT = 1.5: VaR the 2nd worst, ES = (1/α)(r₁/T + (α − 1/T)·r₂)', thirty, 0.95, 0.06, (2 / 3) * 0.09 + (1 / 3) * 0.06],
    ['αT = 0.3 < 1: both are the worst loss', thirty, 0.99, 0.09, 0.09],
  ])('when %s, then VaR and ES are the hand-computed losses', (_name, returns, confidence, expectedVar, expectedEs) => {
    expect(historicalVar(returns, confidence)).toBeCloseTo(expectedVar, 12);
    expect(historicalExpectedShortfall(returns, confidence)).toBeCloseTo(expectedEs, 12);
  });

  it('when every return is a gain, then VaR is a negative loss rather than clipped to zero', () => {
    expect(historicalVar([0.01, 0.02, 0.03], 0.95)).toBeCloseTo(-0.01, 15);
  });
});

describe('parametric (Gaussian) VaR and ES', () => {
  it.each([
    [0.95, 1.6448536269514722, 2.062712807507416],
    [0.99, 2.3263478740408408, 2.665214220345808],
  ])('when the confidence is %s, then VaR = −μ + σ·z and ES = −μ + σ·φ(z)/α', (confidence, z, esFactor) => {
    // mean 0.001, sample sd √(2·0.0001/1) = 0.01·√2
    const returns = [0.011, -0.009];
    const sigma = Math.sqrt(2) * 0.01;
    expect(normalQuantile(confidence)).toBeCloseTo(z, 14);
    expect(parametricVar(returns, confidence)).toBeCloseTo(-0.001 + sigma * z, 14);
    expect(parametricExpectedShortfall(returns, confidence)).toBeCloseTo(-0.001 + sigma * esFactor, 12);
  });

  it('when Φ and Φ⁻¹ are composed, then they invert each other to 1e-14', () => {
    for (const p of [1e-6, 0.001, 0.01, 0.05, 0.3, 0.5, 0.9, 0.975, 0.999999]) expect(normalCdf(normalQuantile(p))).toBeCloseTo(p, 14);
  });
});

describe('tail risk table', () => {
  it('when computed, then it is keyed "0.95" and "0.99" for historical and parametric VaR and ES', () => {
    const table = tailRisk(hundred);
    expect(Object.keys(table.var.historical)).toEqual(['0.95', '0.99']);
    expect(table.var.historical['0.95']).toBeCloseTo(0.046, 12);
    expect(table.expectedShortfall.parametric['0.99']).toBeCloseTo(parametricExpectedShortfall(hundred, 0.99), 15);
  });

  it.each([
    ['an empty series', [], 0.95, 'ANALYTICS_SERIES_EMPTY', 'returns'],
    ['a NaN', [0.01, Number.NaN], 0.95, 'ANALYTICS_VALUE_NOT_FINITE', 'returns[1]'],
    ['a confidence of 1', [0.01, 0.02], 1, 'ANALYTICS_OPTION_INVALID', 'confidence'],
  ])('when given %s, then a typed error names the field', (_name, returns, confidence, code, field) => {
    expect(() => historicalVar(returns, confidence)).toThrow(expect.objectContaining({ code, field }) as AnalyticsInputError);
  });

  it('when any series is drawn, then VaR99 ≥ VaR95 and ES ≥ VaR at each level, historical and parametric', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -0.5, max: 0.5, noNaN: true }), { minLength: 2, maxLength: 300 }), (returns) => {
      const t = tailRisk(returns);
      const eps = 1e-12;
      expect(t.var.historical['0.99']!).toBeGreaterThanOrEqual(t.var.historical['0.95']! - eps);
      expect(t.var.parametric['0.99']!).toBeGreaterThanOrEqual(t.var.parametric['0.95']! - eps);
      for (const c of ['0.95', '0.99']) {
        expect(t.expectedShortfall.historical[c]!).toBeGreaterThanOrEqual(t.var.historical[c]! - eps);
        expect(t.expectedShortfall.parametric[c]!).toBeGreaterThanOrEqual(t.var.parametric[c]! - eps);
      }
    }));
  });
});
