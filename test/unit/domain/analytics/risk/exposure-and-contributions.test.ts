import { correlationFromCovariance } from '../../../../../src/domain/analytics/risk/correlation';
import { betaAdjustedExposure, concentration, sectorExposure } from '../../../../../src/domain/analytics/risk/exposure';
import { componentVar, riskContributions } from '../../../../../src/domain/analytics/risk/risk-contributions';
import { stressTest } from '../../../../../src/domain/analytics/risk/stress-scenarios';

const book = [
  { asset: 'AAPL', value: 100, beta: 1.2, sector: 'TECH' },
  { asset: 'MSFT', value: -50, beta: 0.8, sector: 'TECH' },
  { asset: 'JPM', value: 30, beta: 1.0, sector: 'FIN' },
];

describe('exposures of a long/short book', () => {
  it('when betas are given, then the beta-adjusted exposure is Σ value·β, long and short apart', () => {
    const e = betaAdjustedExposure(book, 200);
    expect(e).toMatchObject({ long: 130, short: -50, gross: 180, net: 80, betaAdjustedLong: 150, betaAdjustedShort: -40, betaAdjustedNet: 110, betaAdjustedGross: 190 });
    expect(e.relativeToEquity).toMatchObject({ net: 0.4, betaAdjustedNet: 0.55 });
  });

  it('when a position has no beta, then the exposure names it', () => {
    expect(() => betaAdjustedExposure([{ asset: 'X', value: 1 }])).toThrow(expect.objectContaining({ field: 'positions[0].beta' }));
  });

  it('when sectors are given, then gross and net are per sector, as shares of the book gross', () => {
    expect(sectorExposure(book)).toEqual({
      FIN: { long: 30, short: 0, gross: 30, net: 30, netShare: 30 / 180, grossShare: 30 / 180 },
      TECH: { long: 100, short: -50, gross: 150, net: 50, netShare: 50 / 180, grossShare: 150 / 180 },
    });
  });

  it.each([
    ['three longs', [0.5, 0.3, 0.2], 0.38, 1 / 0.38, 0.5],
    ['a long and a short of equal size', [0.5, -0.5], 0.5, 2, 0.5],
    ['equal weights', [0.25, 0.25, 0.25, 0.25], 0.25, 4, 0.25],
  ])('when the weights are %s, then HHI = Σ share², effective N = 1/HHI', (_name, weights, hhi, n, largest) => {
    const c = concentration(weights);
    expect(c.hhi).toBeCloseTo(hhi, 14);
    expect(c.effectiveN).toBeCloseTo(n, 12);
    expect(c.largestShare).toBeCloseTo(largest, 14);
  });
});

describe('risk contributions', () => {
  // Σ = diag(0.04, 0.01), w = (0.5, 0.5): σ² = 0.0125, Σw = (0.02, 0.005)
  const cov = Float64Array.from([0.04, 0, 0, 0.01]);
  const sigma = Math.sqrt(0.0125);

  it('when the assets are uncorrelated, then marginal = (Σw)/σ, component = w·marginal, percent 80/20', () => {
    const rc = riskContributions([0.5, 0.5], cov);
    expect(rc.volatility).toBeCloseTo(sigma, 15);
    expect(Array.from(rc.marginal)).toEqual([0.02 / sigma, 0.005 / sigma].map((v) => expect.closeTo(v, 14) as number));
    expect(Array.from(rc.component)).toEqual([0.01 / sigma, 0.0025 / sigma].map((v) => expect.closeTo(v, 14) as number));
    expect(Array.from(rc.percent)).toEqual([0.8, 0.2].map((v) => expect.closeTo(v, 14) as number));
  });

  it('when component VaR is taken, then it sums to the Gaussian portfolio VaR −μ_p + z·σ_p', () => {
    const mu = [0.001, -0.0005];
    const parts = componentVar([0.5, 0.5], mu, cov, 0.99);
    expect(parts[0]! + parts[1]!).toBeCloseTo(-(0.5 * 0.001 - 0.5 * 0.0005) + 2.3263478740408408 * sigma, 14);
  });

  it('when a covariance is turned into correlations, then ρ = Σij/√(Σii Σjj) and a still asset has none', () => {
    expect(correlationFromCovariance(Float64Array.from([4, 2, 2, 9]), 2)).toEqual([[1, 1 / 3], [1 / 3, 1]]);
    expect(correlationFromCovariance(Float64Array.from([4, 0, 0, 0]), 2)).toEqual([[1, null], [null, null]]);
  });
});

describe('stress scenarios', () => {
  it('when shocks are given per sector and per asset, then the asset shock wins and shorts gain on falls', () => {
    const [result] = stressTest(book, [{ name: 'rates up', sectorShocks: { TECH: -0.1, FIN: -0.2 }, assetShocks: { JPM: 0.05 } }]);
    // AAPL 100 × −0.1 = −10, MSFT −50 × −0.1 = +5, JPM 30 × 0.05 = +1.5; equity = net 80
    expect(result!.pnl).toBeCloseTo(-3.5, 14);
    expect(result!.return).toBeCloseTo(-3.5 / 80, 14);
    expect(result!.byAsset[0]).toEqual({ asset: 'AAPL', shock: -0.1, pnl: -10 });
  });

  it('when a default shock is given and equity is explicit, then unlisted assets take it', () => {
    const [result] = stressTest(book, [{ name: 'crash', defaultShock: -0.3 }], 1000);
    expect(result!.pnl).toBeCloseTo(-24, 12);
    expect(result!.return).toBeCloseTo(-0.024, 14);
  });

  it('when a shock names an asset the book does not hold, then it is refused by name', () => {
    expect(() => stressTest(book, [{ name: 'x', assetShocks: { TSLA: -0.5 } }])).toThrow(expect.objectContaining({ code: 'ANALYTICS_UNKNOWN_KEY', field: 'scenarios[0].assetShocks.TSLA' }));
  });
});
