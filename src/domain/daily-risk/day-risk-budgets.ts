import { AnalyticsInputError } from '../analytics/analytics-input-error';
import { entitiesFromPositions, evaluateRiskBudget, PORTFOLIO_ID, type RiskBudgetDefinition } from '../analytics/risk-budget/risk-budget';
import { alignReturns } from '../market/aligned-returns';
import type { DailyCloses } from '../market/aligned-returns';
import { BENCHMARK_KEY, type BenchmarkCloses } from './day-beta-exposure';

/** A risk budget stored for the portfolio (POST /v1/risk-budgets), evaluated on its holdings every day. */
export interface DayRiskBudget {
  readonly id: string;
  readonly name: string;
  readonly entityType: 'asset' | 'sector' | 'strategy';
  /** Daily returns it is measured on; null: the run's lookback. */
  readonly lookbackDays: number | null;
  readonly definition: RiskBudgetDefinition;
}

/** A holding as a budget sees it: its weight of equity and what it is grouped by. */
export interface BudgetHolding {
  readonly symbol: string;
  readonly weight: number;
  readonly sector: string;
  /** Null: the position has no strategy; it is grouped under UNASSIGNED. */
  readonly strategy: string | null;
}

/** One budget's utilisation on the day, or why it could not be measured. */
export type DayRiskBudgetFigure =
  | {
      readonly id: string;
      readonly name: string;
      readonly entityType: DayRiskBudget['entityType'];
      readonly metric: string;
      readonly observations: number;
      readonly totalBudget: number;
      readonly used: number;
      /** used / totalBudget for the whole portfolio. */
      readonly utilisation: number;
      readonly violationThreshold: number;
      readonly rebalanceSuggested: boolean;
      readonly entities: ReadonlyArray<{ readonly id: string; readonly weight: number; readonly allocated: number; readonly used: number; readonly utilisation: number | null; readonly violation: boolean }>;
      /** Worst first; PORTFOLIO when the total is over. */
      readonly violations: ReadonlyArray<{ readonly id: string; readonly utilisation: number | null }>;
    }
  | { readonly id: string; readonly name: string; readonly entityType: DayRiskBudget['entityType']; readonly error: string };

export const UNASSIGNED_STRATEGY = 'UNASSIGNED';

/**
 * Evaluates one stored budget on the day's holdings: the holdings grouped into its entities
 * (assets, sectors or strategies), their daily returns over its lookback, the analytics engine's
 * utilisation. A budget that cannot be measured (too little history, a group netting to zero, a
 * beta budget without a benchmark) says why instead of failing the portfolio's day.
 */
export function evaluateDayRiskBudget(
  budget: DayRiskBudget,
  holdings: readonly BudgetHolding[],
  closes: ReadonlyMap<string, DailyCloses>,
  benchmark: BenchmarkCloses | null,
  runLookbackDays: number,
  minObservations: number,
): DayRiskBudgetFigure {
  const head = { id: budget.id, name: budget.name, entityType: budget.entityType };
  const priced = holdings.filter((h) => h.weight !== 0 && (closes.get(h.symbol)?.length ?? 0) >= 2);
  if (priced.length === 0) return { ...head, error: 'no held position has daily closes' };
  const unpriced = holdings.filter((h) => h.weight !== 0 && !priced.includes(h));
  if (unpriced.length > 0) return { ...head, error: `no daily closes for ${unpriced.map((h) => h.symbol).join(', ')}: the budget would leave them out` };
  const wantsBenchmark = budget.definition.metric === 'beta_adjusted_exposure' && benchmark !== null;
  const series = new Map<string, DailyCloses>(priced.map((h) => [h.symbol, closes.get(h.symbol)!]));
  if (wantsBenchmark) series.set(BENCHMARK_KEY, benchmark.closes);
  const aligned = alignReturns(series, budget.lookbackDays ?? runLookbackDays);
  const observations = aligned.dates.length;
  if (observations < minObservations) return { ...head, error: `${observations} common daily returns, fewer than ${minObservations}` };
  const column = (key: string) => aligned.returns[aligned.assets.indexOf(key)]!;
  const entityOf = (h: BudgetHolding) => (budget.entityType === 'sector' ? h.sector : budget.entityType === 'strategy' ? (h.strategy ?? UNASSIGNED_STRATEGY) : h.symbol);
  try {
    const entities = entitiesFromPositions({
      assets: priced.map((h) => h.symbol), weights: priced.map((h) => h.weight), assetReturns: priced.map((h) => column(h.symbol)),
      entityOf: Object.fromEntries(priced.map((h) => [h.symbol, entityOf(h)])), sectorOf: Object.fromEntries(priced.map((h) => [h.symbol, h.sector])),
    });
    const e = evaluateRiskBudget(entities, budget.definition, wantsBenchmark ? column(BENCHMARK_KEY) : undefined);
    return {
      ...head, metric: e.metric, observations, totalBudget: e.totalBudget, used: e.portfolio.used, utilisation: e.portfolio.utilisation,
      violationThreshold: e.violationThreshold, rebalanceSuggested: e.rebalanceSuggested,
      entities: e.entities.map(({ id, weight, allocated, used, utilisation, violation }) => ({ id, weight, allocated, used, utilisation, violation })),
      violations: e.violations.map(({ id, utilisation }) => ({ id, utilisation })),
    };
  } catch (err) {
    if (err instanceof AnalyticsInputError) return { ...head, error: err.message };
    throw err;
  }
}

/** The worst violation across the budgets (for the day's one RISK_BUDGET breach), or null. */
export function worstBudgetViolation(figures: readonly DayRiskBudgetFigure[]): { budget: string; entity: string; utilisation: number; threshold: number; metric: string } | null {
  let worst: ReturnType<typeof worstBudgetViolation> = null;
  for (const f of figures) {
    if ('error' in f) continue;
    for (const v of f.violations) {
      // An entity using risk with nothing allocated to it has no ratio: it counts as unbounded.
      const utilisation = v.utilisation ?? Number.POSITIVE_INFINITY;
      if (worst === null || utilisation > worst.utilisation) worst = { budget: f.name, entity: v.id === PORTFOLIO_ID ? 'the portfolio' : v.id, utilisation, threshold: f.violationThreshold, metric: f.metric };
    }
  }
  return worst;
}
