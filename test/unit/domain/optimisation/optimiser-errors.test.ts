import loadHighs from 'highs';
import { createOptimiser, type OptimisationRequest, type Optimiser } from '../../../../src/domain/optimisation';

/** Typed failures: invalid inputs name the field; infeasible constraints name the conflict. */
const assets = ['A', 'B', 'C'];
const covariance = [
  [0.04, 0.006, 0.002],
  [0.006, 0.09, 0.009],
  [0.002, 0.009, 0.0225],
];
const base: OptimisationRequest = { assets, covariance, expectedReturns: [0.08, 0.12, 0.06], objective: 'min_variance' };

let optimiser: Optimiser;
beforeAll(async () => {
  optimiser = createOptimiser(await loadHighs());
});

describe('invalid optimisation inputs', () => {
  it.each<[string, Partial<OptimisationRequest>, string]>([
    ['a non-square covariance', { covariance: [[0.04, 0.01, 0], [0.01, 0.09], [0, 0, 0.02]] }, 'covariance[1]'],
    ['too few covariance rows', { covariance: covariance.slice(0, 2) }, 'covariance'],
    ['an asymmetric covariance', { covariance: [[0.04, 0.01, 0], [0.02, 0.09, 0], [0, 0, 0.02]] }, 'covariance'],
    ['a covariance that is not PSD', { covariance: [[0.04, 0.05, 0], [0.05, 0.04, 0], [0, 0, 0.02]] }, 'covariance'],
    ['a NaN in the covariance', { covariance: [[0.04, 0, 0], [0, Number.NaN, 0], [0, 0, 0.02]] }, 'covariance[1][1]'],
    ['a negative variance', { covariance: [[-0.04, 0, 0], [0, 0.04, 0], [0, 0, 0.02]] }, 'covariance[0][0]'],
    ['expected returns of the wrong length', { objective: 'max_sharpe', expectedReturns: [0.1, 0.2] }, 'expectedReturns'],
    ['a NaN expected return', { objective: 'max_sharpe', expectedReturns: [0.1, Number.NaN, 0.2] }, 'expectedReturns[1]'],
    ['missing expected returns for max Sharpe', { objective: 'max_sharpe', expectedReturns: undefined }, 'expectedReturns'],
    ['repeated asset names', { assets: ['A', 'A', 'C'] }, 'assets'],
    ['no assets', { assets: [], covariance: [] }, 'assets'],
    ['bounds for an unknown asset', { constraints: { bounds: { Z: [0, 1] } } }, 'constraints.bounds.Z'],
    ['a negative bound while long-only', { constraints: { bounds: { A: [-0.1, 1] } } }, 'constraints.bounds.A'],
    ['sector caps without sectors', { constraints: { maxSectorWeight: 0.5 } }, 'constraints.sectors'],
    ['turnover without current weights', { constraints: { maxTurnover: 0.2 } }, 'constraints.currentWeights'],
    ['an unknown objective', { objective: 'max_fun' as never }, 'objective'],
    ['max return without a volatility cap', { objective: 'max_return' }, 'targetVolatility'],
    ['efficient return without a target', { objective: 'efficient_return' }, 'targetReturn'],
    ['risk parity with bounds', { objective: 'risk_parity', constraints: { maxWeight: 0.5 } }, 'constraints'],
    ['risk budgets of the wrong length', { objective: 'risk_parity', riskBudgets: [1, 2] }, 'riskBudgets'],
    ['Black-Litterman without views', { objective: 'black_litterman', marketWeights: [1, 1, 1] }, 'views'],
    ['Black-Litterman views of the wrong width', { objective: 'black_litterman', marketWeights: [1, 1, 1], views: { P: [[1, 0]], Q: [0.1] } }, 'views.P[0]'],
  ])('when the request has %s, then it is INVALID_OPTIMISATION_INPUT naming %s', (_name, patch, field) => {
    expect(() => optimiser.optimise({ ...base, ...patch } as OptimisationRequest)).toThrow(
      expect.objectContaining({ code: 'INVALID_OPTIMISATION_INPUT', field }),
    );
  });
});

describe('infeasible constraints', () => {
  const sectors = { A: 'X', B: 'Y', C: 'Z' };
  it.each<[string, Partial<OptimisationRequest>, string]>([
    ['upper bounds that sum below 1', { constraints: { maxWeight: 0.2, bounds: { C: [0, 0.4] } } }, 'bounds sum to at most 0.8 < 1'],
    ['lower bounds that sum above 1', { constraints: { minWeight: 0.4 } }, 'minimum weights sum to 1.2 > 1'],
    ['a per-asset min above its max', { constraints: { bounds: { A: [0.5, 0.3] } } }, 'bounds of A: min 0.5 > max 0.3'],
    ['one sector cap for three sectors', { constraints: { sectors, maxSectorWeight: 0.2 } }, 'maxSectorWeight 0.2 × 3 sectors < 1'],
    ['per-sector caps below 1 in total', { constraints: { sectors, maxSectorWeight: { X: 0.3, Y: 0.3, Z: 0.35 } } }, 'sector caps and bounds allow at most 0.95 < 1'],
    ['minimum weights above a sector cap', { constraints: { sectors: { A: 'X', B: 'X', C: 'Z' }, minWeight: 0.3, maxSectorWeight: { X: 0.5 } } }, 'minimum weights in sector X sum to 0.6 > maxSectorWeight 0.5'],
    ['a target return above the highest reachable', { objective: 'efficient_return', targetReturn: 0.2 }, 'targetReturn 0.2 above the highest reachable return 0.12'],
    ['a volatility cap below the minimum', { objective: 'max_return', targetVolatility: 0.05 }, 'targetVolatility 0.05 below the minimum reachable volatility'],
    [
      'a best reachable return equal to the risk-free rate',
      { objective: 'max_sharpe', assets: ['A', 'B', 'C', 'D'], covariance: [[0.0025, 0, 0, 0], [0, 0.0025, 0, 0], [0, 0, 0.0025, 0], [0, 0, 0, 0.0025]], expectedReturns: [0.05, 0, 0, -0.0136363636], riskFreeRate: 0.01, constraints: { maxWeight: 0.26 } },
      'is not above riskFreeRate 0.01',
    ],
    ['returns all below the risk-free rate', { objective: 'max_sharpe', riskFreeRate: 0.2 }, "no asset's expected return exceeds riskFreeRate 0.2"],
    [
      'a turnover limit too small to leave the current weights',
      { constraints: { maxWeight: 0.5, currentWeights: { A: 1 }, maxTurnover: 0.2 } },
      'maxTurnover 0.2 < 1, the least turnover from currentWeights that meets the other constraints',
    ],
  ])('when the constraints have %s, then it is INFEASIBLE_CONSTRAINTS naming the conflict', (_name, patch, message) => {
    let caught: unknown;
    try {
      optimiser.optimise({ ...base, ...patch } as OptimisationRequest);
    } catch (error) {
      caught = error;
    }
    expect(caught).toMatchObject({ code: 'INFEASIBLE_CONSTRAINTS' });
    expect((caught as { conflicts: string[] }).conflicts.join('; ')).toContain(message);
  });
});

describe('solver limits and covariance repair', () => {
  it('when the time limit is too short for HiGHS, then the result is OPTIMISATION_SOLVER_FAILED, never unchecked weights', () => {
    const n = 120;
    const names = Array.from({ length: n }, (_, i) => `X${i}`);
    const cov = names.map((_, i) => names.map((__, j) => 0.02 * Math.cos((i - j) / 7) ** 2 + (i === j ? 0.05 + (i % 7) / 100 : 0)));
    expect(() => optimiser.optimise({ assets: names, covariance: cov, objective: 'min_variance', timeLimitSeconds: 1e-7 })).toThrow(
      expect.objectContaining({ code: 'OPTIMISATION_SOLVER_FAILED', solverStatus: 'TimeLimit' }),
    );
  });

  it('when an indefinite covariance is repaired spectrally, then it is solved and the result warns', () => {
    const indefinite = [[0.04, 0.01, 0.0225], [0.01, 0.01, 0.0075], [0.0225, 0.0075, 0.0131]];
    const result = optimiser.optimise({ assets, covariance: indefinite, objective: 'max_diversification', covarianceRepair: 'spectral' });
    expect(result.warnings.join(' ')).toMatch(/clipped/);
    expect(Object.values(result.weights).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 12);
  });
});
