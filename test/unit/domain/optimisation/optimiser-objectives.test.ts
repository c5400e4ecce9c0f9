import fc from 'fast-check';
import loadHighs from 'highs';
import { Matrix, inverse } from 'ml-matrix';
import {
  blackLittermanWeights,
  createOptimiser,
  type OptimisationRequest,
  type Optimiser,
} from '../../../../src/domain/optimisation';
import { covTimes, kktReport, linearConstraints, maxResidual, negativeRatioGradient } from './kkt-check';

const assets = ['A', 'B', 'C', 'D'];
const covariance = [
  [0.04, 0.006, 0.002, 0.01],
  [0.006, 0.09, 0.009, 0.012],
  [0.002, 0.009, 0.0225, 0.004],
  [0.01, 0.012, 0.004, 0.0625],
];
const mu = [0.08, 0.12, 0.06, 0.1];
const base = { assets, covariance, expectedReturns: mu, riskFreeRate: 0.02 };
const wide = { longOnly: false, minWeight: -10, maxWeight: 10 } as const;
const weightsOf = (r: { weights: Readonly<Record<string, number>> }, names = assets) => names.map((a) => r.weights[a]!);

function normalised(v: number[]): number[] {
  const s = v.reduce((a, b) => a + b, 0);
  return v.map((x) => x / s);
}
const inv = inverse(new Matrix(covariance));
const solveSigma = (b: number[]) => inv.mmul(Matrix.columnVector(b)).to1DArray();

let optimiser: Optimiser;
beforeAll(async () => {
  optimiser = createOptimiser(await loadHighs());
});

describe('objectives against closed forms (well-conditioned, inactive bounds): weights to 1e-10', () => {
  it.each<[string, Partial<OptimisationRequest>, number[]]>([
    ['min variance', { objective: 'min_variance' }, normalised(solveSigma([1, 1, 1, 1]))],
    ['max Sharpe', { objective: 'max_sharpe' }, normalised(solveSigma(mu.map((m) => m - 0.02)))],
    ['max diversification', { objective: 'max_diversification' }, normalised(solveSigma(covariance.map((r, i) => Math.sqrt(r[i]!))))],
  ])('when %s is unconstrained, then the weights equal the closed form', (_name, patch, expected) => {
    const result = optimiser.optimise({ ...base, constraints: wide, ...patch } as OptimisationRequest);
    weightsOf(result).forEach((w, i) => expect(Math.abs(w - expected[i]!)).toBeLessThan(1e-10));
  });

  it('when efficient_return targets a return above the minimum-variance return, then the floor binds exactly', () => {
    const result = optimiser.optimise({ ...base, constraints: wide, objective: 'efficient_return', targetReturn: 0.11 });
    expect(result.expectedReturn).toBeCloseTo(0.11, 12);
    // Two-fund theorem: w = Σ⁻¹(λ1 + γμ); check stationarity through KKT with the return floor.
    const w = weightsOf(result);
    const report = kktReport(covTimes(covariance, w).map((v) => 2 * v), [
      ...linearConstraints(w, new Float64Array(4).fill(-10), new Float64Array(4).fill(10)),
      { kind: 'le', value: 0.11 - result.expectedReturn!, gradient: mu.map((m) => -m), label: 'targetReturn' },
    ]);
    expect(maxResidual(report)).toBeLessThan(1e-10);
  });
});

describe('constraints', () => {
  const sectors = { A: 'X', B: 'X', C: 'Y', D: 'Y' };

  it('when a sector cap binds, then it holds exactly and the result satisfies KKT with the sector rows', () => {
    const result = optimiser.optimise({ ...base, objective: 'max_sharpe', constraints: { sectors, maxSectorWeight: { X: 0.3 } } });
    const w = weightsOf(result);
    expect(w[0]! + w[1]!).toBeLessThanOrEqual(0.3 + 1e-12);
    const report = kktReport(
      negativeRatioGradient(covariance, mu.map((m) => m - 0.02), w),
      linearConstraints(w, new Float64Array(4), new Float64Array(4).fill(1), [{ members: [0, 1], cap: 0.3 }]),
    );
    expect(report.active).toContain('sector[0]');
    expect(maxResidual(report)).toBeLessThan(1e-10);
  });

  it.each([0.05, 0.2, 0.5])('when turnover is limited to %s, then Σ|w − w0| stays within it', (maxTurnover) => {
    const currentWeights = { A: 0.25, B: 0.25, C: 0.25, D: 0.25 };
    const free = optimiser.optimise({ ...base, objective: 'min_variance' });
    const result = optimiser.optimise({ ...base, objective: 'min_variance', constraints: { currentWeights, maxTurnover } });
    const turnover = assets.reduce((s, a) => s + Math.abs(result.weights[a]! - 0.25), 0);
    const freeTurnover = assets.reduce((s, a) => s + Math.abs(free.weights[a]! - 0.25), 0);
    expect(turnover).toBeLessThanOrEqual(Math.min(maxTurnover, freeTurnover) + 1e-12);
    if (maxTurnover < freeTurnover) expect(turnover).toBeCloseTo(maxTurnover, 12);
    expect(result.volatility).toBeGreaterThanOrEqual(free.volatility - 1e-15);
  });

  it('when per-asset bounds are given, then they override the global ones', () => {
    const result = optimiser.optimise({ ...base, objective: 'max_sharpe', constraints: { maxWeight: 0.5, bounds: { C: [0.2, 0.25] } } });
    expect(result.weights.C!).toBeGreaterThanOrEqual(0.2 - 1e-15);
    expect(result.weights.C!).toBeLessThanOrEqual(0.25 + 1e-15);
  });
});

describe('risk parity and risk budgets', () => {
  it.each([
    ['equal budgets', undefined],
    ['budgets 4:3:2:1', [4, 3, 2, 1]],
  ])('when %s are solved, then every risk share matches its budget to 1e-12', (_name, riskBudgets) => {
    const result = optimiser.optimise({ ...base, objective: 'risk_parity', ...(riskBudgets ? { riskBudgets } : {}) });
    const b = normalised(riskBudgets ?? [1, 1, 1, 1]);
    assets.forEach((a, i) => expect(Math.abs(result.riskContributions.percent[a]! - b[i]!)).toBeLessThan(1e-12));
    const absolute = assets.reduce((s, a) => s + result.riskContributions.absolute[a]!, 0);
    expect(absolute).toBeCloseTo(result.volatility, 14);
  });
});

describe('Black-Litterman objective', () => {
  it('when unconstrained, then the weights are the tangency portfolio of the posterior (closed form)', () => {
    const views = { P: [[1, 0, 0, 0], [0, 1, -1, 0]], Q: [0.1, 0.03] };
    const result = optimiser.optimise({ ...base, objective: 'black_litterman', marketWeights: [4, 3, 2, 1], views, constraints: wide });
    const post = result.posterior!;
    const n = assets.length;
    const postCov = new Float64Array(post.covariance.flat());
    const expected = blackLittermanWeights(assets.map((a) => post.expectedReturns[a]! - 0.02), postCov, n, 1);
    weightsOf(result).forEach((w, i) => expect(Math.abs(w - expected[i]!)).toBeLessThan(1e-9));
  });

  it('when the views agree with the prior, then the posterior mean is the prior δΣw_mkt + rf', () => {
    const w = normalised([4, 3, 2, 1]);
    const prior = covTimes(covariance, w).map((v) => 2.5 * v + 0.02);
    const result = optimiser.optimise({ ...base, objective: 'black_litterman', marketWeights: [4, 3, 2, 1], views: { P: [[1, 0, 0, 0]], Q: [prior[0]!] } });
    assets.forEach((a, i) => expect(result.posterior!.expectedReturns[a]).toBeCloseTo(prior[i]!, 14));
  });
});

describe('frontier and consensus', () => {
  it('when a 7-point frontier is traced, then returns and volatilities rise from the minimum-variance portfolio', () => {
    const frontier = optimiser.efficientFrontier({ ...base, points: 7 });
    const gmv = optimiser.optimise({ ...base, objective: 'min_variance' });
    expect(frontier).toHaveLength(7);
    expect(frontier[0]!.volatility).toBeCloseTo(gmv.volatility, 12);
    for (let p = 1; p < frontier.length; p++) {
      expect(frontier[p]!.expectedReturn).toBeGreaterThan(frontier[p - 1]!.expectedReturn);
      expect(frontier[p]!.volatility).toBeGreaterThan(frontier[p - 1]!.volatility);
    }
    expect(frontier[6]!.expectedReturn).toBeCloseTo(0.12, 12);
  });

  it('when objectives are combined, then the consensus is the average of their weights', () => {
    const result = optimiser.consensus({ ...base, objectives: ['min_variance', 'max_sharpe', 'risk_parity'] });
    expect(result.members).toHaveLength(3);
    for (const a of assets) {
      const avg = result.members.reduce((s, m) => s + m.weights[a]!, 0) / 3;
      expect(result.weights[a]).toBeCloseTo(avg, 15);
    }
    expect(Object.values(result.weights).reduce((s, w) => s + w, 0)).toBeCloseTo(1, 14);
  });
});

describe('properties on random PSD problems', () => {
  const problem = fc
    .integer({ min: 2, max: 9 })
    .chain((n) =>
      fc.record({
        loadings: fc.array(fc.array(fc.double({ min: -1, max: 1.5, noNaN: true }), { minLength: 2, maxLength: 2 }), { minLength: n, maxLength: n }),
        idio: fc.array(fc.double({ min: 0.05, max: 0.5, noNaN: true }), { minLength: n, maxLength: n }),
        mu: fc.array(fc.double({ min: -0.02, max: 0.25, noNaN: true }), { minLength: n, maxLength: n }),
        maxWeight: fc.double({ min: 1 / n + 0.01, max: 1, noNaN: true }),
        minWeight: fc.double({ min: 0, max: 1 / n - 0.01, noNaN: true }),
      }),
    );

  it.each(['min_variance', 'max_sharpe', 'max_diversification'] as const)(
    'when %s is solved on a random factor-model covariance, then weights sum to 1, respect the bounds and satisfy KKT',
    (objective) => {
      fc.assert(
        fc.property(problem, ({ loadings, idio, mu: m, maxWeight, minWeight }) => {
          const n = loadings.length;
          const names = Array.from({ length: n }, (_, i) => `X${i}`);
          const cov = loadings.map((li, i) => loadings.map((lj, j) => 0.04 * (li[0]! * lj[0]! + li[1]! * lj[1]!) + (i === j ? idio[i]! ** 2 : 0)));
          const returns = m.map((x, i) => (i === 0 ? Math.max(x, 0.2) : x)); // keeps the best return well above rf
          const result = optimiser.optimise({ assets: names, covariance: cov, expectedReturns: returns, riskFreeRate: 0.01, objective, constraints: { minWeight, maxWeight } });
          const w = weightsOf(result, names);
          expect(Math.abs(w.reduce((s, x) => s + x, 0) - 1)).toBeLessThan(1e-9);
          for (const x of w) {
            expect(x).toBeGreaterThanOrEqual(minWeight - 1e-9);
            expect(x).toBeLessThanOrEqual(maxWeight + 1e-9);
          }
          const d = objective === 'max_sharpe' ? returns.map((r) => r - 0.01) : cov.map((row, i) => Math.sqrt(row[i]!));
          const gradient = objective === 'min_variance' ? covTimes(cov, w).map((v) => 2 * v) : negativeRatioGradient(cov, d, w);
          const report = kktReport(gradient, linearConstraints(w, new Float64Array(n).fill(minWeight), new Float64Array(n).fill(maxWeight)), 1e-9);
          expect(maxResidual(report)).toBeLessThan(1e-7);
        }),
        { numRuns: 40, seed: 8 },
      );
    },
  );
});
