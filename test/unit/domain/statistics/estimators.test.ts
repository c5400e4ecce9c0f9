import { ledoitWolfCovariance, pairwiseCovariance, sampleCovariance } from '../../../../src/domain/statistics/covariance-estimators';
import { arithmeticAnnualReturn, expectedReturns, geometricAnnualReturn } from '../../../../src/domain/statistics/expected-returns';
import { completeRows, returnsFromPrices } from '../../../../src/domain/statistics/price-returns';

describe('returns from prices with gaps', () => {
  it('when an asset lists late and misses a close, then its returns are NaN there and the gap is counted', () => {
    const { columns, counts, gaps } = returnsFromPrices([
      [100, 110, 121, 133.1, 146.41],
      [null, null, 50, null, 55],
    ]);
    expect(Array.from(columns[0]!).map((r) => Number(r.toFixed(12)))).toEqual([0.1, 0.1, 0.1, 0.1]);
    expect(Array.from(columns[1]!)).toEqual([Number.NaN, Number.NaN, Number.NaN, Number.NaN]);
    expect(counts).toEqual([4, 0]);
    expect(gaps).toEqual([0, 0]);
    // A missing close after listing costs the two returns that touch it.
    const withGap = returnsFromPrices([[1, 1.1, null, 2.2, 2.42]]);
    expect(withGap.counts).toEqual([2]);
    expect(withGap.gaps).toEqual([2]);
  });

  it('when rows are made complete, then only periods where every asset has a return remain', () => {
    expect(completeRows([[1, Number.NaN, 3], [4, 5, Number.NaN]]).map((c) => Array.from(c))).toEqual([[1], [4]]);
  });
});

describe('expected returns', () => {
  it.each([
    ['arithmetic', arithmeticAnnualReturn([0.01, 0.02, Number.NaN, 0.03], 252), 0.02 * 252],
    ['geometric', geometricAnnualReturn([0.1, -0.05, Number.NaN], 2), 1.1 * 0.95 - 1],
    ['geometric over 4 periods scaled to 2', geometricAnnualReturn([0.1, 0.1, 0.1, 0.1], 2), 0.21],
  ])('when the %s annual return is taken, then it matches the hand value (NaN skipped)', (_name, actual, expected) => {
    expect(actual).toBeCloseTo(expected, 13);
  });

  it('when no method is given, then the arithmetic mean × 252 is the default', () => {
    expect(expectedReturns([[0.001, 0.003]])[0]).toBeCloseTo(0.504, 14);
  });
});

describe('covariance estimators', () => {
  it('when series have gaps, then each pair uses its jointly observed periods with their own means (pandas)', () => {
    const x = [1, 2, 3, Number.NaN, 5];
    const y = [2, Number.NaN, 7, 1, 3];
    const cov = pairwiseCovariance([x, y]);
    // x alone: 1,2,3,5 → var 2.9166…; pair uses periods 0, 2, 4: x 1,3,5 / y 2,7,3 → cov 1.
    expect(cov[0]).toBeCloseTo(35 / 12, 14);
    expect(cov[1]).toBeCloseTo(1, 14);
    expect(cov[3]).toBeCloseTo(83 / 12, 14); // y alone: 2, 7, 1, 3
    expect(sampleCovariance([x, y], 1)[1]).toBeCloseTo(1, 14);
  });

  const data = [
    [0.01, -0.02, 0.015, 0.003, -0.007, 0.012, 0.004, -0.011],
    [0.02, -0.01, 0.005, 0.001, -0.012, 0.018, -0.002, -0.004],
    [-0.005, 0.007, 0.002, 0.009, 0.001, -0.003, 0.006, 0.004],
  ];

  it('when shrinking to the scaled identity, then it is (1 − δ) S_mle + δ·mean(var)·I with δ in [0, 1] (scikit-learn)', () => {
    const { matrix, shrinkage } = ledoitWolfCovariance(data, { periodsPerYear: 1 });
    const t = 8;
    const means = data.map((c) => c.reduce((a, b) => a + b, 0) / t);
    const mle = (i: number, j: number) => data[i]!.reduce((s, v, k) => s + (v - means[i]!) * (data[j]![k]! - means[j]!), 0) / t;
    const mu = (mle(0, 0) + mle(1, 1) + mle(2, 2)) / 3;
    expect(shrinkage).toBeGreaterThan(0);
    expect(shrinkage).toBeLessThanOrEqual(1);
    expect(matrix[1]).toBeCloseTo((1 - shrinkage) * mle(0, 1), 15);
    expect(matrix[4]).toBeCloseTo((1 - shrinkage) * mle(1, 1) + shrinkage * mu, 15);
  });

  it('when shrinking to constant correlation, then variances are kept and off-diagonals move towards r̄·σiσj', () => {
    const { matrix, shrinkage } = ledoitWolfCovariance(data, { target: 'constant_correlation', periodsPerYear: 252 });
    const sample = sampleCovariance(data, 252);
    expect(shrinkage).toBeGreaterThanOrEqual(0);
    expect(shrinkage).toBeLessThanOrEqual(1);
    for (const k of [0, 4, 8]) expect(matrix[k]).toBeCloseTo(sample[k]!, 15);
  });

  it('when Ledoit-Wolf is given gaps, then it refuses rather than treating them as zero returns', () => {
    expect(() => ledoitWolfCovariance([[0.01, Number.NaN, 0.02], [0.01, 0.02, 0.03]])).toThrow(/complete rows/);
  });
});
