import { PERIODS_PER_YEAR, mean, standardDeviation } from '../../statistics/return-series';
import { AnalyticsInputError } from '../analytics-input-error';
import { requireConfidence, requireFiniteSeries, requirePositiveInteger, type Series } from '../series-checks';
import { allocationShares, type BudgetAllocation } from './budget-allocation';
import { BUDGET_METRICS, riskUsage, type BudgetMetric, type UsageBasis } from './risk-usage';

/**
 * A risk budget evaluated on the entities' return series: how the total budget is allocated, how
 * much of it each entity uses, its utilisation (used / allocated) and the flags.
 *
 * Units: volatility is annualised; VaR and expected shortfall are per period (positive losses, so a
 * budget of 0.02 on var_95 is a 2 % one-period VaR at 95 %); max drawdown a fraction; the
 * beta-adjusted exposure a fraction of the portfolio. Defaults: var_95, total 0.02, equal_risk,
 * rebalance when |utilisation − 1| > 10 %, violation when utilisation > 120 %.
 */
export interface BudgetEntity {
  /** Strategy, sector or asset name. */
  readonly id: string;
  /** The entity's share of the portfolio's capital (signed). */
  readonly weight: number;
  /** The entity's period returns on its own capital; all entities equally long. */
  readonly returns: Series;
  /** For confidence_weighted allocations, in [0, 1]. */
  readonly confidence?: number;
  /** For sector_weighted allocations. */
  readonly sector?: string;
  /** For the beta-adjusted exposure; otherwise estimated from benchmarkReturns. */
  readonly beta?: number;
}

export interface RiskBudgetDefinition {
  /** Default 'var_95'. */
  readonly metric?: BudgetMetric;
  /** The portfolio's total budget in the metric's units (default 0.02). */
  readonly totalBudget?: number;
  /** Default { type: 'equal_risk' }. */
  readonly allocation?: BudgetAllocation;
  /** Default 0.10: rebalance suggested when |utilisation − 1| exceeds it. */
  readonly rebalanceThreshold?: number;
  /** Default 1.20: a violation when utilisation exceeds it. */
  readonly violationThreshold?: number;
  /** Default 'component' (Euler contributions that add up to the portfolio); max drawdown is always standalone. */
  readonly usage?: UsageBasis;
  /** Confidence of the expected shortfall metric (default 0.95). */
  readonly expectedShortfallConfidence?: number;
  readonly periodsPerYear?: number;
}

export interface EntityBudget {
  readonly id: string;
  readonly weight: number;
  /** Share of the total budget (the shares sum to 1). */
  readonly share: number;
  readonly allocated: number;
  readonly used: number;
  /** used / allocated; null when nothing is allocated. */
  readonly utilisation: number | null;
  readonly rebalanceSuggested: boolean;
  readonly violation: boolean;
}

export interface RiskBudgetEvaluation {
  readonly metric: BudgetMetric;
  readonly usage: UsageBasis;
  readonly totalBudget: number;
  readonly rebalanceThreshold: number;
  readonly violationThreshold: number;
  readonly portfolio: { readonly used: number; readonly utilisation: number; readonly violation: boolean };
  readonly entities: readonly EntityBudget[];
  /** Any entity beyond the rebalance threshold. */
  readonly rebalanceSuggested: boolean;
  /** Entities beyond the violation threshold, worst first (and 'PORTFOLIO' when the total is). */
  readonly violations: ReadonlyArray<{ readonly id: string; readonly utilisation: number | null; readonly used: number; readonly allocated: number }>;
}

export const PORTFOLIO_ID = 'PORTFOLIO';

function positiveNumber(v: number, field: string): number {
  if (!(Number.isFinite(v) && v > 0)) throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', field, 'must be a positive number');
  return v;
}

export function evaluateRiskBudget(entities: readonly BudgetEntity[], definition: RiskBudgetDefinition = {}, benchmarkReturns?: Series): RiskBudgetEvaluation {
  const metric = definition.metric ?? 'var_95';
  if (!BUDGET_METRICS.includes(metric)) throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', 'metric', `must be one of ${BUDGET_METRICS.join(', ')}`);
  const totalBudget = positiveNumber(definition.totalBudget ?? 0.02, 'totalBudget');
  const rebalanceThreshold = positiveNumber(definition.rebalanceThreshold ?? 0.1, 'rebalanceThreshold');
  const violationThreshold = positiveNumber(definition.violationThreshold ?? 1.2, 'violationThreshold');
  const esConfidence = requireConfidence(definition.expectedShortfallConfidence ?? 0.95, 'expectedShortfallConfidence');
  const periodsPerYear = requirePositiveInteger(definition.periodsPerYear ?? PERIODS_PER_YEAR, 'periodsPerYear');
  const basis = definition.usage ?? 'component';
  if (basis !== 'component' && basis !== 'standalone') throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', 'usage', "must be 'component' or 'standalone'");

  if (entities.length === 0) throw new AnalyticsInputError('ANALYTICS_SERIES_EMPTY', 'entities', 'must not be empty');
  if (new Set(entities.map((e) => e.id)).size !== entities.length) throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', 'entities', 'ids must be unique');
  const t = entities[0]!.returns.length;
  entities.forEach((e, i) => {
    requireFiniteSeries(e.returns, `entities[${i}].returns`, 2);
    if (e.returns.length !== t) throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', `entities[${i}].returns`, `has ${e.returns.length} values where entities[0].returns has ${t}`);
    if (!Number.isFinite(e.weight)) throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `entities[${i}].weight`, 'must be a finite number');
  });

  let betas: number[] | undefined;
  if (metric === 'beta_adjusted_exposure') {
    let bMean = 0;
    let bVar = 0;
    if (benchmarkReturns) {
      requireFiniteSeries(benchmarkReturns, 'benchmarkReturns', 2);
      if (benchmarkReturns.length !== t) throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'benchmarkReturns', `has ${benchmarkReturns.length} values where the entities have ${t}`);
      bMean = mean(benchmarkReturns);
      bVar = standardDeviation(benchmarkReturns) ** 2;
      if (!(bVar > 0)) throw new AnalyticsInputError('ANALYTICS_VALUE_OUT_OF_RANGE', 'benchmarkReturns', 'must vary (zero variance gives no beta)');
    }
    betas = entities.map((e, i) => {
      if (e.beta !== undefined) {
        if (!Number.isFinite(e.beta)) throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `entities[${i}].beta`, 'must be a finite number');
        return e.beta;
      }
      if (!benchmarkReturns) throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', `entities[${i}].beta`, 'is needed (or benchmarkReturns) for a beta-adjusted exposure budget');
      const m = mean(e.returns);
      let s = 0;
      for (let k = 0; k < t; k++) s += (e.returns[k]! - m) * (benchmarkReturns[k]! - bMean);
      return s / (t - 1) / bVar;
    });
  }

  const shares = allocationShares(entities, definition.allocation ?? { type: 'equal_risk' });
  const weighted = entities.map((e) => Float64Array.from(e.returns, (r) => r * e.weight));
  const usage = riskUsage(metric, basis, {
    weighted, weights: entities.map((e) => e.weight), ...(betas ? { betas } : {}), periodsPerYear, esConfidence,
  });

  const rows: EntityBudget[] = entities.map((e, i) => {
    const allocated = shares[i]! * totalBudget;
    const used = usage.perEntity[i]!;
    const utilisation = allocated > 0 ? used / allocated : null;
    return {
      id: e.id,
      weight: e.weight,
      share: shares[i]!,
      allocated,
      used,
      utilisation,
      rebalanceSuggested: utilisation === null ? used !== 0 : Math.abs(utilisation - 1) > rebalanceThreshold,
      violation: utilisation === null ? used > 0 : utilisation > violationThreshold,
    };
  });
  const portfolioUtilisation = usage.portfolio / totalBudget;
  const portfolioViolation = portfolioUtilisation > violationThreshold;
  const violations = rows
    .filter((r) => r.violation)
    .sort((a, b) => (b.utilisation ?? Number.POSITIVE_INFINITY) - (a.utilisation ?? Number.POSITIVE_INFINITY))
    .map(({ id, utilisation, used, allocated }) => ({ id, utilisation, used, allocated }));
  return {
    metric,
    usage: usage.basis,
    totalBudget,
    rebalanceThreshold,
    violationThreshold,
    portfolio: { used: usage.portfolio, utilisation: portfolioUtilisation, violation: portfolioViolation },
    entities: rows,
    rebalanceSuggested: rows.some((r) => r.rebalanceSuggested),
    violations: portfolioViolation ? [{ id: PORTFOLIO_ID, utilisation: portfolioUtilisation, used: usage.portfolio, allocated: totalBudget }, ...violations] : violations,
  };
}

/**
 * Entities from positions: assets grouped by `entityOf` (strategy, sector or the asset itself). An
 * entity's weight is the sum of its assets' weights and its returns the weight-averaged asset
 * returns (per unit of its capital), so weight × returns is exactly its assets' weighted stream.
 */
export function entitiesFromPositions(input: {
  readonly assets: readonly string[];
  readonly weights: readonly number[];
  readonly assetReturns: ReadonlyArray<Series>;
  readonly entityOf: Readonly<Record<string, string>>;
  readonly sectorOf?: Readonly<Record<string, string>>;
}): BudgetEntity[] {
  const { assets, weights, assetReturns, entityOf } = input;
  if (weights.length !== assets.length) throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'weights', `has ${weights.length} values for ${assets.length} assets`);
  if (assetReturns.length !== assets.length) throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'returns', `has ${assetReturns.length} series for ${assets.length} assets`);
  const t = assetReturns[0]?.length ?? 0;
  const groups = new Map<string, { weight: number; stream: Float64Array; sector?: string }>();
  assets.forEach((a, i) => {
    const id = entityOf[a];
    if (id === undefined) throw new AnalyticsInputError('ANALYTICS_UNKNOWN_KEY', `entityOf.${a}`, 'every asset needs an entity');
    const r = assetReturns[i]!;
    if (r.length !== t) throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', `returns[${i}]`, `has ${r.length} values where returns[0] has ${t}`);
    const g = groups.get(id) ?? { weight: 0, stream: new Float64Array(t), ...(input.sectorOf?.[a] !== undefined ? { sector: input.sectorOf[a] } : {}) };
    const w = weights[i]!;
    g.weight += w;
    for (let k = 0; k < t; k++) g.stream[k] = g.stream[k]! + w * r[k]!;
    groups.set(id, g);
  });
  return [...groups].map(([id, g]) => {
    if (Math.abs(g.weight) < 1e-14) throw new AnalyticsInputError('ANALYTICS_GROUP_NET_WEIGHT_ZERO', `entityOf.${id}`, 'the entity nets to zero weight: its returns per unit of capital are undefined');
    return { id, weight: g.weight, returns: Float64Array.from(g.stream, (x) => x / g.weight), ...(g.sector !== undefined ? { sector: g.sector } : {}) };
  });
}
