import {
  AnalyticsInputError, entitiesFromPositions, evaluateRiskBudget, linkedAttribution, performanceMetrics, riskReport, rollingPerformance,
  type AttributionPeriodInput, type BudgetEntity, type LinkedAttributionOptions, type RiskBudgetDefinition, type StressScenario,
} from '../src/domain/analytics';
import {
  InfeasibleConstraintsError, InvalidOptimisationInputError, OptimisationSolverError,
  type Objective, type Optimiser, type PortfolioConstraints,
} from '../src/domain/optimisation';
import { ledoitWolfCovariance, sampleCovariance } from '../src/domain/statistics/covariance-estimators';
import { expectedReturns } from '../src/domain/statistics/expected-returns';
import { ANALYTICS_FAILURES } from '../src/contracts/analytics-contracts';
import { AnalyticsFailure, type AnalyticsComputations } from './analytics.activities';

/** The market inputs of an optimisation as the request carries them (checked in shape by the gateway). */
interface MarketRequest {
  readonly assets: readonly string[];
  readonly expectedReturns?: readonly number[];
  readonly covariance?: readonly (readonly number[])[];
  readonly returns?: readonly (readonly number[])[];
  readonly riskFreeRate?: number;
  readonly estimators?: { readonly expectedReturns?: 'mean' | 'geometric'; readonly covariance?: 'sample' | 'ledoit_wolf' };
  readonly constraints?: PortfolioConstraints;
  readonly covarianceRepair?: 'reject' | 'spectral';
}

interface OptimizeRequest extends MarketRequest {
  readonly objective: Objective | 'consensus';
  readonly objectives?: readonly Objective[];
  readonly targetVolatility?: number;
  readonly targetReturn?: number;
  readonly riskBudgets?: Readonly<Record<string, number>>;
  readonly marketWeights?: Readonly<Record<string, number>>;
  readonly views?: { readonly P: readonly (readonly number[])[]; readonly Q: readonly number[]; readonly omega?: readonly (readonly number[])[] };
  readonly tau?: number;
  readonly delta?: number;
}

const toRows = (flat: Float64Array, n: number) => Array.from({ length: n }, (_, i) => Array.from(flat.subarray(i * n, (i + 1) * n)));
const inAssetOrder = (assets: readonly string[], byAsset: Readonly<Record<string, number>> | undefined, missing = 0) =>
  byAsset === undefined ? undefined : assets.map((a) => byAsset[a] ?? missing);

/** Expected returns and covariance, given, or estimated from the returns with the chosen estimators (annualised). */
export function marketOf(request: MarketRequest): { expectedReturns: number[]; covariance: number[][]; estimated: boolean } {
  if (request.returns === undefined) return { expectedReturns: [...request.expectedReturns!], covariance: request.covariance!.map((r) => [...r]), estimated: false };
  const columns = request.returns.map((r) => Float64Array.from(r));
  const mu = expectedReturns(columns, { method: request.estimators?.expectedReturns === 'geometric' ? 'geometric' : 'arithmetic' });
  const cov = request.estimators?.covariance === 'ledoit_wolf' ? ledoitWolfCovariance(columns).matrix : sampleCovariance(columns);
  return { expectedReturns: Array.from(mu), covariance: toRows(cov, columns.length), estimated: true };
}

/** A domain error about its input becomes the client's 400, an impossible problem its 422; anything else is a bug or infrastructure. */
function asAnalyticsFailure(err: unknown): unknown {
  if (err instanceof InvalidOptimisationInputError) return new AnalyticsFailure(ANALYTICS_FAILURES.AnalyticsInputInvalid, err.message, { field: err.field, code: err.code });
  if (err instanceof AnalyticsInputError) return new AnalyticsFailure(ANALYTICS_FAILURES.AnalyticsInputInvalid, err.message, { field: err.field, code: err.code });
  if (err instanceof InfeasibleConstraintsError) return new AnalyticsFailure(ANALYTICS_FAILURES.InfeasibleConstraints, err.message, { conflicts: err.conflicts });
  if (err instanceof OptimisationSolverError) return new AnalyticsFailure(ANALYTICS_FAILURES.SolverFailed, err.message, { solverStatus: err.solverStatus });
  return err;
}

const guarded = <I>(compute: (input: I) => unknown) => (input: unknown) => {
  try {
    return compute(input as I);
  } catch (err) {
    throw asAnalyticsFailure(err);
  }
};

export interface AnalyticsEngine {
  /** The optimiser over a loaded HiGHS instance (loaded once per worker). */
  readonly optimiser: Optimiser;
}

/** Each analytics kind's computation: the request's JSON in, the domain's answer out. */
export function createAnalyticsComputations({ optimiser }: AnalyticsEngine): AnalyticsComputations {
  return {
    optimize: guarded((r: OptimizeRequest) => {
      const market = marketOf(r);
      const common = {
        assets: r.assets, expectedReturns: market.expectedReturns, covariance: market.covariance,
        ...(r.riskFreeRate !== undefined && { riskFreeRate: r.riskFreeRate }),
        ...(r.targetVolatility !== undefined && { targetVolatility: r.targetVolatility }),
        ...(r.targetReturn !== undefined && { targetReturn: r.targetReturn }),
        ...(r.constraints !== undefined && { constraints: r.constraints }),
        ...(r.riskBudgets !== undefined && { riskBudgets: inAssetOrder(r.assets, r.riskBudgets)! }),
        ...(r.marketWeights !== undefined && { marketWeights: inAssetOrder(r.assets, r.marketWeights)! }),
        ...(r.views !== undefined && { views: r.views }),
        ...(r.tau !== undefined && { tau: r.tau }),
        ...(r.delta !== undefined && { delta: r.delta }),
        ...(r.covarianceRepair !== undefined && { covarianceRepair: r.covarianceRepair }),
      };
      // The consensus averages the members' weights (each satisfies the same convex constraints).
      const result = r.objective === 'consensus'
        ? optimiser.consensus({ ...common, ...(r.objectives !== undefined && { objectives: r.objectives }) })
        : optimiser.optimise({ ...common, objective: r.objective });
      return { ...result, ...(market.estimated && { estimated: { expectedReturns: Object.fromEntries(r.assets.map((a, i) => [a, market.expectedReturns[i]!])) } }) };
    }),

    'efficient-frontier': guarded((r: MarketRequest & { points?: number }) => {
      const market = marketOf(r);
      return {
        points: optimiser.efficientFrontier({
          assets: r.assets, expectedReturns: market.expectedReturns, covariance: market.covariance,
          ...(r.riskFreeRate !== undefined && { riskFreeRate: r.riskFreeRate }),
          ...(r.constraints !== undefined && { constraints: r.constraints }),
          ...(r.points !== undefined && { points: r.points }),
          ...(r.covarianceRepair !== undefined && { covarianceRepair: r.covarianceRepair }),
        }),
      };
    }),

    risk: guarded((r: {
      returns: number[] | number[][]; assets?: string[]; weights?: number[] | Record<string, number>; sectors?: Record<string, string>;
      betas?: Record<string, number>; dates?: string[]; benchmarkReturns?: number[]; confidences?: number[];
      scenarios?: Array<{ name: string; shocks: Record<string, number> }>; includeCorrelation?: boolean;
    }) => {
      const options = { ...(r.dates && { dates: r.dates }), ...(r.benchmarkReturns && { benchmarkReturns: r.benchmarkReturns }), ...(r.confidences && { confidences: r.confidences }) };
      if (!Array.isArray(r.returns[0])) return riskReport({ returns: r.returns as number[], ...options });
      const series = r.returns as number[][];
      const assets = r.assets ?? series.map((_, i) => `asset${i + 1}`);
      // A scenario's shocks name assets or sectors: each goes where it belongs.
      const sectors = new Set(Object.values(r.sectors ?? {}));
      const stressScenarios: StressScenario[] | undefined = r.scenarios?.map((s, i) => {
        for (const key of Object.keys(s.shocks)) {
          if (!assets.includes(key) && !sectors.has(key)) throw new AnalyticsInputError('ANALYTICS_UNKNOWN_KEY', `scenarios[${i}].shocks.${key}`, 'names neither an asset nor a sector of the book');
        }
        return {
          name: s.name,
          assetShocks: Object.fromEntries(Object.entries(s.shocks).filter(([k]) => assets.includes(k))),
          sectorShocks: Object.fromEntries(Object.entries(s.shocks).filter(([k]) => !assets.includes(k))),
        };
      });
      return riskReport({
        assets, weights: r.weights!, assetReturns: series, ...options,
        ...(r.sectors && { sectors: r.sectors }), ...(r.betas && { betas: r.betas }), ...(stressScenarios && { stressScenarios }),
        ...(r.includeCorrelation !== undefined && { includeCorrelation: r.includeCorrelation }),
      });
    }),

    performance: guarded((r: { returns: number[]; benchmarkReturns?: number[]; riskFreeRate?: number; periodsPerYear?: number; rollingWindow?: number }) => {
      const options = {
        ...(r.benchmarkReturns && { benchmarkReturns: r.benchmarkReturns }), ...(r.riskFreeRate !== undefined && { riskFreeRate: r.riskFreeRate }),
        ...(r.periodsPerYear !== undefined && { periodsPerYear: r.periodsPerYear }),
      };
      return {
        metrics: performanceMetrics(r.returns, options),
        ...(r.rollingWindow !== undefined && { rolling: rollingPerformance(r.returns, { window: r.rollingWindow, ...options }) }),
      };
    }),

    attribution: guarded((r: { periods: AttributionPeriodInput[] } & LinkedAttributionOptions) => {
      const { periods, ...options } = r;
      return linkedAttribution(periods, options);
    }),

    'risk-budget': guarded((r: {
      entities?: BudgetEntity[]; budget?: RiskBudgetDefinition; benchmarkReturns?: number[]; entityType?: 'asset' | 'sector' | 'strategy';
      assets?: string[]; returns?: number[][]; weights?: number[]; sectors?: Record<string, string>; strategies?: Record<string, string>;
    }) => {
      // A portfolio's holdings (assembled) grouped into the budget's entities: assets, sectors or strategies.
      const entities = r.entities ?? entitiesFromPositions({
        assets: r.assets!, weights: r.weights!, assetReturns: r.returns!, ...(r.sectors && { sectorOf: r.sectors }),
        entityOf: r.entityType === 'sector' ? r.sectors! : r.entityType === 'strategy' ? r.strategies! : Object.fromEntries(r.assets!.map((a) => [a, a])),
      });
      return evaluateRiskBudget(entities, r.budget ?? {}, r.benchmarkReturns);
    }),
  };
}
