import { blackLittermanPosterior, DEFAULT_DELTA, DEFAULT_TAU, marketImpliedPriorReturns } from './black-litterman';
import type { HighsSolver } from './highs-solver';
import { InvalidOptimisationInputError } from './optimisation-errors';
import type { Objective, OptimisationRequest, OptimisationResult, SolverReport } from './optimisation-types';
import { portfolioMetrics } from './portfolio-metrics';
import { parseProblem, parseVector, type PortfolioProblem } from './problem-input';
import {
  efficientReturn,
  efficientRisk,
  maxDiversification,
  maxReturnPortfolio,
  maxSharpe,
  minVariance,
  newStats,
  returnFloorRow,
  type SolveStats,
} from './qp-objectives';
import { riskBudgetWeights } from './risk-parity';

/**
 * The portfolio optimiser: pure and synchronous once HiGHS is loaded. Load HiGHS once per process
 * (`const highs = await loadHighs()` from the `highs` package) and pass it in; one optimiser can
 * serve every activity in that process (each solve creates and disposes its own HiGHS model).
 */
export interface FrontierPoint {
  readonly targetReturn: number;
  readonly expectedReturn: number;
  readonly volatility: number;
  readonly sharpe: number;
  readonly weights: Readonly<Record<string, number>>;
}

export interface FrontierRequest extends Omit<OptimisationRequest, 'objective'> {
  /** Number of points, evenly spaced in return from the minimum-variance return to the highest reachable return (default 20). */
  readonly points?: number;
}

export interface ConsensusRequest extends Omit<OptimisationRequest, 'objective'> {
  /** Objectives to combine (default: min_variance, max_sharpe, risk_parity, max_diversification). */
  readonly objectives?: readonly Objective[];
}

export interface ConsensusResult extends Omit<OptimisationResult, 'objective' | 'solver'> {
  readonly objective: 'consensus';
  readonly members: readonly OptimisationResult[];
}

export interface Optimiser {
  optimise(request: OptimisationRequest): OptimisationResult;
  efficientFrontier(request: FrontierRequest): readonly FrontierPoint[];
  /**
   * The equal-weighted average of the member objectives' weights. Every member satisfies the same
   * linear constraints and the feasible set is convex, so the average does too.
   */
  consensus(request: ConsensusRequest): ConsensusResult;
}

const NEEDS_RETURNS: ReadonlySet<Objective> = new Set(['max_sharpe', 'max_return', 'efficient_return']);
const OBJECTIVES: ReadonlySet<string> = new Set(['min_variance', 'max_sharpe', 'max_return', 'efficient_return', 'risk_parity', 'max_diversification', 'black_litterman']);

function requireKnownObjective(objective: string): void {
  if (!OBJECTIVES.has(objective)) throw new InvalidOptimisationInputError('objective', `must be one of ${[...OBJECTIVES].join(', ')}, got ${String(objective)}`);
}

const named = (assets: readonly string[], values: ArrayLike<number>): Record<string, number> =>
  Object.fromEntries(assets.map((a, i) => [a, values[i]!]));

function toRows(m: Float64Array, n: number): number[][] {
  return Array.from({ length: n }, (_, i) => Array.from(m.subarray(i * n, (i + 1) * n)));
}

function report(stats: SolveStats, solver: SolverReport['solver'] = 'highs'): SolverReport {
  return { ...stats, solver };
}

function finish(
  objective: Objective,
  problem: PortfolioProblem,
  weights: Float64Array,
  solver: SolverReport,
  covariance = problem.covariance,
  expectedReturns = problem.expectedReturns,
): OptimisationResult {
  const m = portfolioMetrics(weights, covariance, expectedReturns, problem.riskFreeRate);
  return {
    objective,
    weights: named(problem.assets, weights),
    expectedReturn: m.expectedReturn,
    volatility: m.volatility,
    sharpe: m.sharpe,
    riskContributions: { absolute: named(problem.assets, m.riskContributions), percent: named(problem.assets, m.riskShares) },
    solver,
    warnings: problem.warnings,
  };
}

function requireNumber(value: number | undefined, field: string, objective: Objective): number {
  if (value === undefined) throw new InvalidOptimisationInputError(field, `is required for objective ${objective}`);
  if (!Number.isFinite(value)) throw new InvalidOptimisationInputError(field, 'must be a finite number');
  return value;
}

/** Risk parity here is long-only and fully invested; other constraints would need a different solver. */
function assertRiskParityConstraints(request: OptimisationRequest, problem: PortfolioProblem): void {
  const c = request.constraints ?? {};
  const onlyLongOnly =
    (c.longOnly ?? true) && problem.sectors.length === 0 && problem.turnover === null && problem.lower.every((l) => l === 0) && problem.upper.every((u) => u >= 1);
  if (!onlyLongOnly) {
    throw new InvalidOptimisationInputError('constraints', 'risk_parity supports long-only, fully invested portfolios only (no bounds, sector caps or turnover limit)');
  }
}

export function createOptimiser(highs: HighsSolver): Optimiser {
  const optimise = (request: OptimisationRequest): OptimisationResult => {
    const objective = request.objective;
    requireKnownObjective(objective);
    return optimiseParsed(request, parseProblem(request, NEEDS_RETURNS.has(objective)));
  };

  const optimiseParsed = (request: OptimisationRequest, problem: PortfolioProblem): OptimisationResult => {
    const objective = request.objective;
    switch (objective) {
      case 'min_variance': {
        const { weights, stats } = minVariance(highs, problem);
        return finish(objective, problem, weights, report(stats));
      }
      case 'max_sharpe': {
        const { weights, stats } = maxSharpe(highs, problem);
        return finish(objective, problem, weights, report(stats));
      }
      case 'max_return': {
        const target = requireNumber(request.targetVolatility, 'targetVolatility', objective);
        if (target <= 0) throw new InvalidOptimisationInputError('targetVolatility', 'must be positive');
        const { weights, stats } = efficientRisk(highs, problem, target);
        return finish(objective, problem, weights, report(stats));
      }
      case 'efficient_return': {
        const target = requireNumber(request.targetReturn, 'targetReturn', objective);
        const { weights, stats } = efficientReturn(highs, problem, target);
        return finish(objective, problem, weights, report(stats));
      }
      case 'max_diversification': {
        const { weights, stats } = maxDiversification(highs, problem);
        return finish(objective, problem, weights, report(stats));
      }
      case 'risk_parity': {
        assertRiskParityConstraints(request, problem);
        const budgets = request.riskBudgets === undefined ? undefined : parseVector(request.riskBudgets, problem.n, 'riskBudgets');
        const solution = riskBudgetWeights(problem.covariance, problem.n, budgets);
        const stats = { ...newStats(), status: 'Optimal', iterations: solution.iterations, kktResidual: solution.budgetError };
        return finish(objective, problem, solution.weights, report(stats, 'newton'));
      }
      case 'black_litterman':
        return blackLitterman(request, problem);
    }
  };

  /**
   * Posterior from the market prior δΣw_mkt + rf and the views, then max Sharpe at rf under the
   * constraints on the posterior (μ_BL, Σ_BL); metrics are reported under the posterior.
   */
  const blackLitterman = (request: OptimisationRequest, problem: PortfolioProblem): OptimisationResult => {
    if (request.marketWeights === undefined) throw new InvalidOptimisationInputError('marketWeights', 'is required for objective black_litterman');
    if (request.views === undefined) throw new InvalidOptimisationInputError('views', 'is required for objective black_litterman');
    const n = problem.n;
    const delta = request.delta ?? DEFAULT_DELTA;
    const prior = marketImpliedPriorReturns(request.marketWeights, problem.covariance, n, delta, problem.riskFreeRate);
    const posterior = blackLittermanPosterior({
      covariance: problem.covariance,
      n,
      prior,
      P: request.views.P,
      Q: request.views.Q,
      ...(request.views.omega === undefined ? {} : { omega: request.views.omega }),
      tau: request.tau ?? DEFAULT_TAU,
    });
    const onPosterior: PortfolioProblem = { ...problem, expectedReturns: posterior.expectedReturns, covariance: posterior.covariance };
    const { weights, stats } = maxSharpe(highs, onPosterior);
    return {
      ...finish('black_litterman', onPosterior, weights, report(stats)),
      posterior: { expectedReturns: named(problem.assets, posterior.expectedReturns), covariance: toRows(posterior.covariance, n) },
    };
  };

  const efficientFrontier = (request: FrontierRequest): FrontierPoint[] => {
    const points = request.points ?? 20;
    if (!Number.isInteger(points) || points < 2 || points > 500) throw new InvalidOptimisationInputError('points', 'must be an integer between 2 and 500');
    const problem = parseProblem({ ...request, objective: 'efficient_return' }, true);
    const mu = problem.expectedReturns!;
    const gmv = minVariance(highs, problem).weights;
    const low = gmv.reduce((s, w, i) => s + w * mu[i]!, 0);
    const high = maxReturnPortfolio(highs, problem).value;
    const out: FrontierPoint[] = [];
    for (let p = 0; p < points; p++) {
      const target = low + ((high - low) * p) / (points - 1);
      const weights = p === 0 ? gmv : minVariance(highs, problem, [returnFloorRow(mu, Math.min(target, high))]).weights;
      const m = portfolioMetrics(weights, problem.covariance, mu, problem.riskFreeRate);
      out.push({ targetReturn: target, expectedReturn: m.expectedReturn!, volatility: m.volatility, sharpe: m.sharpe ?? Number.NaN, weights: named(problem.assets, weights) });
    }
    return out;
  };

  const consensus = (request: ConsensusRequest): ConsensusResult => {
    const objectives = request.objectives ?? (['min_variance', 'max_sharpe', 'risk_parity', 'max_diversification'] as const);
    if (objectives.length === 0) throw new InvalidOptimisationInputError('objectives', 'must name at least one objective');
    objectives.forEach(requireKnownObjective);
    const parsed = parseProblem({ ...request, objective: 'min_variance' }, objectives.some((o) => NEEDS_RETURNS.has(o)));
    const members = objectives.map((objective) => optimiseParsed({ ...request, objective }, parsed));
    const problem = { ...parsed, expectedReturns: request.expectedReturns === undefined ? null : parsed.expectedReturns };
    const weights = new Float64Array(problem.n);
    for (const m of members) problem.assets.forEach((a, i) => (weights[i]! += m.weights[a]! / members.length));
    const { solver: _solver, objective: _objective, ...rest } = finish('min_variance', problem, weights, report(newStats()));
    return { ...rest, objective: 'consensus', members };
  };

  return { optimise, efficientFrontier, consensus };
}
