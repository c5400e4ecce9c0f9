import { covariance, covarianceMatrix, mean, simpleReturns, standardDeviation, variance } from '../../../../src/domain/statistics/return-series';

describe('return series statistics', () => {
  it('when prices are given, then simple returns are p_t / p_{t-1} - 1', () => {
    expect(Array.from(simpleReturns([100, 110, 99]))).toEqual([0.10000000000000009, -0.09999999999999998]);
  });

  it.each([
    ['mean', mean([1, 2, 3, 4]), 2.5],
    ['sample variance (ddof 1)', variance([1, 2, 3, 4]), 5 / 3],
    ['population variance (ddof 0)', variance([1, 2, 3, 4], 0), 1.25],
    ['sample standard deviation', standardDeviation([2, 4, 4, 4, 5, 5, 7, 9]), Math.sqrt(32 / 7)],
    ['sample covariance', covariance([1, 2, 3], [2, 4, 7]), 2.5],
  ])('when the %s is taken, then it matches the hand-computed value', (_name, actual, expected) => {
    expect(actual).toBeCloseTo(expected, 14);
  });

  it('when a covariance matrix is scaled, then it is symmetric with the variances on the diagonal', () => {
    const cov = covarianceMatrix([[1, 2, 3], [2, 4, 7]], 252);
    expect(Array.from(cov).map((v) => v / 252)).toEqual([1, 2.5, 2.5, 6.333333333333333]);
  });

  it('when a series is too short for ddof, then the statistic is NaN rather than a number that lies', () => {
    expect(variance([1])).toBeNaN();
    expect(mean([])).toBeNaN();
  });
});
