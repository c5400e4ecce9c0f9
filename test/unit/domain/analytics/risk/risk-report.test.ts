import { covarianceMatrix, standardDeviation } from '../../../../../src/domain/statistics/return-series';
import { riskReport, type PortfolioRiskInput } from '../../../../../src/domain/analytics/risk/risk-report';
import { tailRisk } from '../../../../../src/domain/analytics/risk/tail-risk';

/** A small deterministic market: 3 assets × 60 days. */
const days = 60;
const market = Array.from({ length: days }, (_, t) => 0.01 * Math.sin(t * 0.7) + 0.002 * Math.cos(t * 2.3));
const columns = [
  market.map((m, t) => 1.2 * m + 0.004 * Math.sin(t * 1.9)),
  market.map((m, t) => 0.5 * m + 0.006 * Math.cos(t * 1.3)),
  market.map((m, t) => -0.3 * m + 0.003 * Math.sin(t * 3.1 + 1)),
];
const assets = ['AAA', 'BBB', 'CCC'];
const weights = [0.6, 0.5, -0.1];
const input: PortfolioRiskInput = {
  assets, weights, assetReturns: columns, benchmarkReturns: market,
  sectors: { AAA: 'TECH', BBB: 'TECH', CCC: 'FIN' },
  stressScenarios: [{ name: 'tech -10%', sectorShocks: { TECH: -0.1 } }],
  dates: Array.from({ length: days }, (_, t) => `d${t + 1}`),
};
const portfolio = Array.from({ length: days }, (_, t) => columns.reduce((s, c, i) => s + weights[i]! * c[t]!, 0));

describe('riskReport', () => {
  const report = riskReport(input);

  it('when given weights and per-asset returns, then VaR, ES, volatility and drawdown are those of returns · weights', () => {
    const single = riskReport({ returns: portfolio, dates: input.dates! });
    expect(report.volatility).toBeCloseTo(standardDeviation(portfolio) * Math.sqrt(252), 14);
    for (const key of ['0.95', '0.99']) {
      expect(report.var.historical[key]).toBeCloseTo(single.var.historical[key]!, 14);
      expect(report.var.parametric[key]).toBeCloseTo(single.var.parametric[key]!, 14);
      expect(report.expectedShortfall.historical[key]).toBeCloseTo(single.expectedShortfall.historical[key]!, 14);
      expect(report.expectedShortfall.parametric[key]).toBeCloseTo(tailRisk(portfolio).expectedShortfall.parametric[key]!, 14);
    }
    expect(report.maxDrawdown.value).toBeCloseTo(single.maxDrawdown.value, 14);
    expect(report.maxDrawdown.peakDate).toBe(single.maxDrawdown.peakDate);
  });

  it('when contributions are reported, then components sum to the volatility, percents to 1, component VaR to the parametric VaR', () => {
    const rows = Object.values(report.contributions!);
    expect(rows.reduce((s, r) => s + r.component, 0)).toBeCloseTo(report.volatility, 13);
    expect(rows.reduce((s, r) => s + r.percent, 0)).toBeCloseTo(1, 13);
    for (const key of ['0.95', '0.99']) {
      expect(rows.reduce((s, r) => s + r.componentVar[key]!, 0)).toBeCloseTo(report.var.parametric[key]!, 13);
    }
  });

  it('when the marginal risk is checked against the covariance from statistics, then it is (Σw)_i/σ annualised', () => {
    const cov = covarianceMatrix(columns, 252);
    const sw = [0, 1, 2].map((i) => [0, 1, 2].reduce((s, j) => s + cov[i * 3 + j]! * weights[j]!, 0));
    expect(report.contributions!['BBB']!.marginal).toBeCloseTo(sw[1]! / report.volatility, 13);
  });

  it('when a benchmark is given, then betas are regressions on it and the beta-adjusted exposure uses them', () => {
    const betaOf = (xs: readonly number[]) => {
      const mx = xs.reduce((s, v) => s + v, 0) / days;
      const mb = market.reduce((s, v) => s + v, 0) / days;
      return xs.reduce((s, v, t) => s + (v - mx) * (market[t]! - mb), 0) / market.reduce((s, v) => s + (v - mb) ** 2, 0);
    };
    expect(report.contributions!['AAA']!.beta).toBeCloseTo(betaOf(columns[0]!), 12);
    expect(report.beta).toBeCloseTo(betaOf(portfolio), 12);
    expect(report.betaAdjustedExposure!.betaAdjustedNet).toBeCloseTo(weights.reduce((s, w, i) => s + w * betaOf(columns[i]!), 0), 12);
  });

  it('when sectors and scenarios are given, then sector exposure, concentration and stress are in the report', () => {
    expect(report.sectorExposure!['TECH']).toMatchObject({ long: 1.1, gross: 1.1, net: 1.1 });
    expect(report.sectorExposure!['FIN']).toMatchObject({ short: -0.1, net: -0.1 });
    expect(report.concentration!.hhi).toBeCloseTo((0.36 + 0.25 + 0.01) / 1.44, 14);
    expect(report.stress![0]!.return).toBeCloseTo(-0.11, 14);
    expect(report.correlation!.matrix[0]![0]).toBe(1);
  });

  it('when weights come by name, then the report equals the one with weights in order', () => {
    const byName = riskReport({ ...input, weights: { CCC: -0.1, AAA: 0.6, BBB: 0.5 } });
    expect(byName.volatility).toBe(report.volatility);
  });

  it.each([
    ['a weight for an unknown asset', { weights: { AAA: 0.5, BBB: 0.5, CCC: 0, ZZZ: 0 } }, 'ANALYTICS_UNKNOWN_KEY', 'weights.ZZZ'],
    ['a missing weight', { weights: { AAA: 0.5, BBB: 0.5 } }, 'ANALYTICS_UNKNOWN_KEY', 'weights.CCC'],
    ['a series of another length', { assetReturns: [columns[0]!, columns[1]!, columns[2]!.slice(1)] }, 'ANALYTICS_LENGTH_MISMATCH', 'returns[2]'],
    ['a NaN return', { assetReturns: [columns[0]!, [...columns[1]!.slice(0, 5), Number.NaN, ...columns[1]!.slice(6)], columns[2]!] }, 'ANALYTICS_VALUE_NOT_FINITE', 'returns[1][5]'],
    ['too few weights', { weights: [1, 0] }, 'ANALYTICS_LENGTH_MISMATCH', 'weights'],
  ])('when given %s, then a typed error names the field', (_name, patch, code, field) => {
    expect(() => riskReport({ ...input, ...patch } as PortfolioRiskInput)).toThrow(expect.objectContaining({ code, field }));
  });
});
