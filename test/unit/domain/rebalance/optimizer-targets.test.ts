import { RebalancePlanError, targetsFromOptimiserWeights } from '../../../../src/domain/rebalance';
import { d } from './rebalance-fixtures';

describe('targetsFromOptimiserWeights', () => {
  it.each<[string, Record<string, number>, string, Record<string, string>]>([
    ['weights of the invested 98 %, rounded down to 6 places', { AAA: 0.6, BBB: 0.4 }, '0.98', { AAA: '0.588', BBB: '0.392' }],
    ['thirds never sum above the invested fraction', { A: 1 / 3, B: 1 / 3, C: 1 / 3 }, '1', { A: '0.333333', B: '0.333333', C: '0.333333' }],
    ['solver noise below zero becomes 0', { AAA: 1.0000000001, BBB: -1e-12 }, '0.5', { AAA: '0.5', BBB: '0' }],
  ])('when %s, then the targets are exact decimals', (_name, weights, invested, expected) => {
    const targets = targetsFromOptimiserWeights(weights, d(invested));
    expect(Object.fromEntries(Object.entries(targets).map(([k, v]) => [k, v.toFixed()]))).toEqual(expected);
  });

  it('when the optimiser answers a short weight, then the plan is refused', () => {
    expect(() => targetsFromOptimiserWeights({ AAA: 1.2, BBB: -0.2 }, d(1))).toThrow(RebalancePlanError);
  });
});
