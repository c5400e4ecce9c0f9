import fc from 'fast-check';
import { maxDrawdown } from '../../../../../src/domain/analytics/risk/drawdown';

describe('max drawdown on compounded wealth (start counted as a peak)', () => {
  it.each([
    // wealth 1, 1.1, 0.55, 0.66, 1.32: from 1.1 (point 1) to 0.55 (point 2), back above 1.1 at point 4
    ['a fall and a recovery', [0.1, -0.5, 0.2, 1.0], { value: 0.5, peak: 1, trough: 2, recovery: 4, duration: 3 }],
    // wealth 1, 0.8, 0.88: the start is the peak, never recovered
    ['a fall from the start', [-0.2, 0.1], { value: 0.2, peak: 0, trough: 1, recovery: null, duration: null }],
    // wealth 1, 1.1, 0.99, 1.089: empyrical's [.1, -.1, .1]
    ['a 10 % dip not recovered', [0.1, -0.1, 0.1], { value: 0.09999999999999998, peak: 1, trough: 2, recovery: null, duration: null }],
    // two dips: 1 → 0.9 (10 %) and 1.08 → 0.756 (30 %): the deeper one is reported
    ['two drawdowns', [-0.1, 0.2, -0.3, 0.5], { value: 0.30000000000000004, peak: 2, trough: 3, recovery: 4, duration: 2 }],
    ['only gains', [0.01, 0.02], { value: 0, peak: null, trough: null, recovery: null, duration: null }],
  ])('when the returns are %s, then value, peak, trough and recovery are the hand-computed points', (_name, returns, expected) => {
    const dd = maxDrawdown(returns);
    expect(dd.value).toBeCloseTo(expected.value, 14);
    expect({ peak: dd.peak, trough: dd.trough, recovery: dd.recovery, duration: dd.duration })
      .toEqual({ peak: expected.peak, trough: expected.trough, recovery: expected.recovery, duration: expected.duration });
  });

  it('when dates are given, then point t is dated by the t-th return and the start by startDate', () => {
    const dates = ['2024-01-02', '2024-01-03', '2024-01-04', '2024-01-05'];
    expect(maxDrawdown([0.1, -0.5, 0.2, 1.0], { dates })).toMatchObject({ peakDate: '2024-01-02', troughDate: '2024-01-03', recoveryDate: '2024-01-05' });
    expect(maxDrawdown([-0.2, 0.1], { dates: dates.slice(0, 2), startDate: '2024-01-01' }))
      .toMatchObject({ peakDate: '2024-01-01', troughDate: '2024-01-02', recoveryDate: null });
  });

  it('when a return is below −1, then it is refused with the field named', () => {
    expect(() => maxDrawdown([0.1, -1.5])).toThrow(expect.objectContaining({ code: 'ANALYTICS_VALUE_OUT_OF_RANGE', field: 'returns[1]' }));
  });

  it('when any returns of at least −1 are drawn, then the max drawdown is in [0, 1] and the trough follows the peak', () => {
    fc.assert(fc.property(fc.array(fc.double({ min: -1, max: 1, noNaN: true }), { minLength: 1, maxLength: 200 }), (returns) => {
      const dd = maxDrawdown(returns);
      expect(dd.value).toBeGreaterThanOrEqual(0);
      expect(dd.value).toBeLessThanOrEqual(1);
      if (dd.peak !== null) expect(dd.trough!).toBeGreaterThan(dd.peak);
      if (dd.recovery !== null) expect(dd.recovery).toBeGreaterThan(dd.trough!);
    }));
  });
});
