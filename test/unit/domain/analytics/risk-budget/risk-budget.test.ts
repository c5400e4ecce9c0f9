import { standardDeviation } from '../../../../../src/domain/statistics/return-series';
import { allocationShares, type BudgetAllocation } from '../../../../../src/domain/analytics/risk-budget/budget-allocation';
import { entitiesFromPositions, evaluateRiskBudget, type BudgetEntity } from '../../../../../src/domain/analytics/risk-budget/risk-budget';
import { maxDrawdown } from '../../../../../src/domain/analytics/risk/drawdown';
import { tailRisk } from '../../../../../src/domain/analytics/risk/tail-risk';

const T = 80;
const series = (f: (t: number) => number) => Array.from({ length: T }, (_, t) => f(t));
const raw = [
  { id: 'momentum', weight: 0.5, returns: series((t) => 0.02 * Math.sin(t * 0.9) + 0.001), confidence: 0.8, sector: 'TECH', beta: 1.5 },
  { id: 'carry', weight: 0.3, returns: series((t) => 0.01 * Math.cos(t * 1.7)), confidence: 0.4, sector: 'TECH', beta: 0.5 },
  { id: 'value', weight: 0.2, returns: series((t) => 0.005 * Math.sin(t * 2.9 + 1) - 0.0005), confidence: 0.2, sector: 'FIN', beta: -0.5 },
];
const entities: BudgetEntity[] = raw;
const portfolio = series((t) => entities.reduce((s, e) => s + e.weight * e.returns[t]!, 0));

describe('risk budget allocation shares', () => {
  const vols = entities.map((e) => standardDeviation(e.returns));
  it.each([
    ['equal_risk', { type: 'equal_risk' }, [1 / 3, 1 / 3, 1 / 3]],
    ['volatility_weighted (∝ σ_i)', { type: 'volatility_weighted' }, vols.map((v) => v / (vols[0]! + vols[1]! + vols[2]!))],
    ['confidence_weighted', { type: 'confidence_weighted' }, [0.8 / 1.4, 0.4 / 1.4, 0.2 / 1.4]],
    ['strategy_weighted', { type: 'strategy_weighted', strategyWeights: { momentum: 2, carry: 1, value: 1 } }, [0.5, 0.25, 0.25]],
    ['sector_weighted (the sector share split among its members)', { type: 'sector_weighted', sectorWeights: { TECH: 0.6, FIN: 0.4 } }, [0.3, 0.3, 0.4]],
    ['custom', { type: 'custom', custom: { momentum: 0.5, carry: 0.2, value: 0.3 } }, [0.5, 0.2, 0.3]],
  ] as const)('when the allocation is %s, then the shares are the hand-computed ones', (_name, allocation, expected) => {
    const shares = allocationShares(entities, allocation as BudgetAllocation);
    shares.forEach((s, i) => expect(s).toBeCloseTo(expected[i]!, 14));
  });

  it.each([
    ['custom shares that do not sum to 1', { type: 'custom', custom: { momentum: 0.5, carry: 0.2, value: 0.2 } }, 'allocation.custom'],
    ['a strategy weight missing', { type: 'strategy_weighted', strategyWeights: { momentum: 1, carry: 1 } }, 'allocation.strategyWeights.value'],
    ['a weight for an unknown strategy', { type: 'strategy_weighted', strategyWeights: { momentum: 1, carry: 1, value: 1, macro: 1 } }, 'allocation.strategyWeights.macro'],
    ['a sector without weight', { type: 'sector_weighted', sectorWeights: { TECH: 1 } }, 'allocation.sectorWeights.FIN'],
  ] as const)('when given %s, then it is refused by field', (_name, allocation, field) => {
    expect(() => allocationShares(entities, allocation as BudgetAllocation)).toThrow(expect.objectContaining({ field }));
  });
});

describe('risk budget usage, utilisation and flags', () => {
  it('when nothing is defined, then the budget is 2 % VaR 95, equal risk, thresholds 10 % and 120 %', () => {
    const e = evaluateRiskBudget(entities);
    expect(e).toMatchObject({ metric: 'var_95', totalBudget: 0.02, rebalanceThreshold: 0.1, violationThreshold: 1.2, usage: 'component' });
    expect(e.entities.map((x) => x.allocated)).toEqual([0.02 / 3, 0.02 / 3, 0.02 / 3].map((v) => expect.closeTo(v, 15) as number));
  });

  it('when betas are given on a beta-adjusted exposure budget of 1, then usage, utilisation and flags are hand-computed', () => {
    const e = evaluateRiskBudget(entities, { metric: 'beta_adjusted_exposure', totalBudget: 1, allocation: { type: 'custom', custom: { momentum: 0.5, carry: 0.3, value: 0.2 } } });
    // used: 0.5·1.5 = 0.75, 0.3·0.5 = 0.15, 0.2·−0.5 = −0.1; allocated 0.5, 0.3, 0.2
    expect(e.entities.map((x) => [x.id, x.used, x.utilisation, x.rebalanceSuggested, x.violation])).toEqual([
      ['momentum', 0.75, 1.5, true, true],
      ['carry', expect.closeTo(0.15, 15), expect.closeTo(0.5, 14), true, false],
      ['value', -0.1, -0.5, true, false],
    ]);
    expect(e.portfolio.used).toBeCloseTo(0.8, 15);
    expect(e.portfolio.violation).toBe(false);
    expect(e.violations.map((v) => v.id)).toEqual(['momentum']);
    expect(e.rebalanceSuggested).toBe(true);
  });

  it('when the whole portfolio exceeds the violation threshold, then PORTFOLIO heads the violations', () => {
    const e = evaluateRiskBudget(entities, { metric: 'beta_adjusted_exposure', totalBudget: 0.5 });
    expect(e.portfolio.utilisation).toBeCloseTo(1.6, 14);
    expect(e.violations[0]!.id).toBe('PORTFOLIO');
  });

  it('when usage is within the rebalance band, then nothing is suggested', () => {
    const even = entities.map((e) => ({ ...e, weight: 1 / 3, beta: 1 }));
    const e = evaluateRiskBudget(even, { metric: 'beta_adjusted_exposure', totalBudget: 1.05 });
    expect(e.entities.every((x) => !x.rebalanceSuggested && !x.violation)).toBe(true);
    expect(e.rebalanceSuggested).toBe(false);
  });

  it.each(['volatility', 'var_95', 'var_99', 'expected_shortfall'] as const)('when the metric is %s, then the component usages sum to the portfolio figure', (metric) => {
    const e = evaluateRiskBudget(entities, { metric, totalBudget: 0.05 });
    expect(e.entities.reduce((s, x) => s + x.used, 0)).toBeCloseTo(e.portfolio.used, 13);
  });

  it('when the metric is VaR or ES, then the portfolio figure is the parametric VaR / historical ES of the portfolio series', () => {
    const t = tailRisk(portfolio);
    expect(evaluateRiskBudget(entities, { metric: 'var_99' }).portfolio.used).toBeCloseTo(t.var.parametric['0.99']!, 14);
    expect(evaluateRiskBudget(entities, { metric: 'expected_shortfall' }).portfolio.used).toBeCloseTo(t.expectedShortfall.historical['0.95']!, 14);
    expect(evaluateRiskBudget(entities, { metric: 'volatility', totalBudget: 0.1 }).portfolio.used).toBeCloseTo(standardDeviation(portfolio) * Math.sqrt(252), 14);
  });

  it('when the metric is max drawdown, then usage is standalone: each weighted stream\'s own drawdown', () => {
    const e = evaluateRiskBudget(entities, { metric: 'max_drawdown', totalBudget: 0.1 });
    expect(e.usage).toBe('standalone');
    expect(e.entities[0]!.used).toBeCloseTo(maxDrawdown(raw[0]!.returns.map((r) => r * 0.5)).value, 14);
    expect(e.portfolio.used).toBeCloseTo(maxDrawdown(portfolio).value, 14);
  });

  it('when standalone usage is asked for on VaR 95, then each entity uses the historical VaR of its weighted stream', () => {
    const e = evaluateRiskBudget(entities, { usage: 'standalone' });
    expect(e.entities[1]!.used).toBeCloseTo(tailRisk(raw[1]!.returns.map((r) => r * 0.3)).var.historical['0.95']!, 15);
  });

  it.each([
    ['a negative total budget', { totalBudget: -1 }, 'totalBudget'],
    ['an unknown metric', { metric: 'sharpe' }, 'metric'],
    ['a beta-adjusted budget without betas or benchmark', { metric: 'beta_adjusted_exposure' }, 'entities[0].beta'],
  ])('when given %s, then it is refused by field', (_name, definition, field) => {
    const noBetas = entities.map(({ beta: _beta, ...rest }) => rest);
    expect(() => evaluateRiskBudget(noBetas, definition as never)).toThrow(expect.objectContaining({ field }));
  });

  it('when a benchmark is given instead of betas, then betas are estimated by regression', () => {
    const bench = series((t) => 0.01 * Math.sin(t * 0.9));
    const lever = [{ id: 'x', weight: 1, returns: bench.map((b) => 2 * b + 0.0001) }];
    expect(evaluateRiskBudget(lever, { metric: 'beta_adjusted_exposure', totalBudget: 1 }, bench).entities[0]!.used).toBeCloseTo(2, 12);
  });
});

describe('entities from positions', () => {
  it('when assets are grouped into strategies, then weight × returns is the strategy\'s weighted stream', () => {
    const got = entitiesFromPositions({
      assets: ['A', 'B', 'C'], weights: [0.2, 0.3, 0.5],
      assetReturns: [[0.01, 0.02], [0.03, -0.01], [0, 0.04]],
      entityOf: { A: 'trend', B: 'trend', C: 'carry' },
    });
    expect(got.map((e) => [e.id, e.weight])).toEqual([['trend', 0.5], ['carry', 0.5]]);
    expect(Array.from(got[0]!.returns)).toEqual([(0.002 + 0.009) / 0.5, (0.004 - 0.003) / 0.5].map((v) => expect.closeTo(v, 15) as number));
  });
});
