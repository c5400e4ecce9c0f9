import { highsPoint, kktResiduals, polishActiveSet, type KktPoint } from './active-set-polish';
import { quadraticForm } from './dense-linear-algebra';
import { feasibilityConflicts } from './feasibility-checks';
import { solveWithHighs, type HighsSolver } from './highs-solver';
import { InfeasibleConstraintsError, OptimisationSolverError } from './optimisation-errors';
import type { PortfolioProblem } from './problem-input';
import type { LinearRow, QuadraticProgram } from './quadratic-program';
import { buildWeightProgram, homogenise } from './weight-program';

/**
 * The QP-based objectives on a validated problem. Each returns weights in index space plus solver
 * statistics; metrics and naming happen in the optimiser.
 */
export interface SolveStats {
  status: string;
  iterations: number;
  solves: number;
  solverSeconds: number;
  polished: boolean;
  kktResidual: number;
}

export const newStats = (): SolveStats => ({ status: 'NotSolved', iterations: 0, solves: 0, solverSeconds: 0, polished: false, kktResidual: 0 });

export interface WeightsOutcome {
  readonly weights: Float64Array;
  readonly stats: SolveStats;
}

const fmt = (x: number): string => String(Number(x.toPrecision(10)));

/** Solves, polishes, and keeps whichever point satisfies the KKT conditions better. Null = infeasible. */
function solveProgram(highs: HighsSolver, qp: QuadraticProgram, problem: PortfolioProblem, stats: SolveStats): KktPoint | null {
  const outcome = solveWithHighs(highs, qp, problem.timeLimitSeconds);
  stats.status = outcome.status;
  stats.iterations += outcome.iterations;
  stats.solves += 1;
  stats.solverSeconds += outcome.seconds;
  if (outcome.x === null || outcome.rowDual === null || outcome.colDual === null) return null;
  const raw = highsPoint(outcome.x, outcome.rowDual, outcome.colDual);
  const rawResidual = kktResiduals(qp, raw).max;
  const polished = polishActiveSet(qp, outcome.x);
  if (polished !== null) {
    const residual = kktResiduals(qp, polished).max;
    if (residual <= rawResidual || residual < 1e-10) {
      stats.polished = true;
      stats.kktResidual = residual;
      return polished;
    }
  }
  stats.polished = false;
  stats.kktResidual = rawResidual;
  return raw;
}

/** Snaps weights that sit within 1e-12 of a bound onto it (−1e-17 is not a short position). */
function clampToBounds(weights: Float64Array, problem: PortfolioProblem): Float64Array {
  for (let i = 0; i < problem.n; i++) {
    const w = weights[i]!;
    if (w < problem.lower[i]! && w > problem.lower[i]! - 1e-12) weights[i] = problem.lower[i]!;
    if (w > problem.upper[i]! && w < problem.upper[i]! + 1e-12) weights[i] = problem.upper[i]!;
    if (Object.is(weights[i], -0)) weights[i] = 0;
  }
  return weights;
}

function ensureFinite(weights: Float64Array): Float64Array {
  if (!weights.every(Number.isFinite)) throw new OptimisationSolverError('Optimal', 'the solution contains non-finite weights');
  return weights;
}

/** Explains why the weight constraints (budget, bounds, sectors, turnover) admit no portfolio. */
export function diagnoseWeightConstraints(highs: HighsSolver, problem: PortfolioProblem): string[] {
  const conflicts = feasibilityConflicts(problem);
  if (conflicts.length > 0) return conflicts;
  if (problem.turnover !== null) {
    const withoutTurnover: PortfolioProblem = { ...problem, turnover: null };
    const base = buildWeightProgram({ ...problem }, { quadratic: false });
    const n = problem.n;
    const cost = new Float64Array(base.numVars);
    for (let i = n; i < base.numVars; i++) cost[i] = 1;
    const rows = base.rows.filter((r, index) => !(r.label === 'maxTurnover' && index === base.rows.length - 1));
    const lp: QuadraticProgram = { ...base, cost, rows };
    const outcome = solveWithHighs(highs, lp, problem.timeLimitSeconds);
    if (outcome.x === null) return diagnoseWeightConstraints(highs, withoutTurnover).concat(['budget, bounds and sector caps admit no portfolio']);
    let needed = 0;
    for (let i = n; i < base.numVars; i++) needed += outcome.x[i]!;
    if (needed > problem.turnover.max) {
      return [`maxTurnover ${fmt(problem.turnover.max)} < ${fmt(needed)}, the least turnover from currentWeights that meets the other constraints`];
    }
  }
  return ['budget, bounds, sector caps and turnover admit no portfolio'];
}

function infeasible(highs: HighsSolver, problem: PortfolioProblem, extra: string[] = []): never {
  throw new InfeasibleConstraintsError([...extra, ...(extra.length > 0 ? [] : diagnoseWeightConstraints(highs, problem))]);
}

export function minVariance(highs: HighsSolver, problem: PortfolioProblem, extraRows: readonly LinearRow[] = [], stats = newStats()): WeightsOutcome {
  const qp = buildWeightProgram(problem, { quadratic: true, extraRows });
  const point = solveProgram(highs, qp, problem, stats);
  if (point === null) infeasible(highs, problem);
  return { weights: ensureFinite(clampToBounds(point.x.slice(0, problem.n), problem)), stats };
}

function requireReturns(problem: PortfolioProblem): Float64Array {
  if (problem.expectedReturns === null) throw new OptimisationSolverError('NotSolved', 'expected returns are required');
  return problem.expectedReturns;
}

const maxAbs = (v: ArrayLike<number>): number => {
  let m = 0;
  for (let i = 0; i < v.length; i++) m = Math.max(m, Math.abs(v[i]!));
  return m;
};

/** The highest expected return any feasible portfolio reaches (an LP), and a portfolio reaching it. */
export function maxReturnPortfolio(highs: HighsSolver, problem: PortfolioProblem, stats = newStats()): { weights: Float64Array; value: number } {
  const mu = requireReturns(problem);
  const scale = maxAbs(mu) || 1;
  const cost = Float64Array.from(mu, (m) => -m / scale);
  const lp = buildWeightProgram(problem, { quadratic: false, linearCost: cost });
  const outcome = solveWithHighs(highs, lp, problem.timeLimitSeconds);
  stats.iterations += outcome.iterations;
  stats.solves += 1;
  stats.solverSeconds += outcome.seconds;
  if (outcome.x === null) infeasible(highs, problem);
  const weights = clampToBounds(outcome.x.slice(0, problem.n), problem);
  let value = 0;
  for (let i = 0; i < problem.n; i++) value += weights[i]! * mu[i]!;
  return { weights, value };
}

export function returnFloorRow(mu: Float64Array, target: number): LinearRow {
  const scale = maxAbs(mu) || 1;
  const indices = Array.from({ length: mu.length }, (_, i) => i);
  return { indices, values: Array.from(mu, (m) => m / scale), lower: target / scale, upper: Infinity, label: 'targetReturn' };
}

/** Minimum variance subject to μᵀw ≥ target (PyPortfolioOpt's efficient_return). */
export function efficientReturn(highs: HighsSolver, problem: PortfolioProblem, target: number, stats = newStats()): WeightsOutcome {
  const mu = requireReturns(problem);
  const top = maxReturnPortfolio(highs, problem, stats);
  if (target > top.value + 1e-12 * Math.max(1, Math.abs(top.value))) {
    throw new InfeasibleConstraintsError([`targetReturn ${fmt(target)} above the highest reachable return ${fmt(top.value)}`]);
  }
  // At the very top the floor is met by the max-return portfolio's face; solve at its exact value.
  return minVariance(highs, problem, [returnFloorRow(mu, Math.min(target, top.value))], stats);
}

/**
 * Maximises dᵀw / √(wᵀΣw) through the homogenised QP (min yᵀΣy, dᵀy = 1, w = y/κ). With
 * d = μ − rf this is max Sharpe; with d = σ it is the most diversified portfolio.
 */
export function maxRatio(highs: HighsSolver, problem: PortfolioProblem, numerator: Float64Array, stats = newStats()): WeightsOutcome | null {
  const wp = buildWeightProgram(problem, { quadratic: true });
  const qp = homogenise(wp, numerator);
  const point = solveProgram(highs, qp, problem, stats);
  if (point === null) return null;
  const kappa = point.x[qp.numVars - 1]!;
  if (!(kappa > 0)) throw new OptimisationSolverError(stats.status, `the homogenising scale κ = ${kappa} is not positive`);
  const weights = Float64Array.from({ length: problem.n }, (_, i) => point.x[i]! / kappa);
  return { weights: ensureFinite(clampToBounds(weights, problem)), stats };
}

export function maxSharpe(highs: HighsSolver, problem: PortfolioProblem, stats = newStats()): WeightsOutcome {
  const mu = requireReturns(problem);
  const excess = Float64Array.from(mu, (m) => m - problem.riskFreeRate);
  const conflicts = feasibilityConflicts(problem);
  if (conflicts.length > 0) throw new InfeasibleConstraintsError(conflicts);
  if (excess.every((e) => e <= 0)) {
    throw new InfeasibleConstraintsError([`no asset's expected return exceeds riskFreeRate ${fmt(problem.riskFreeRate)}, so no portfolio has a positive Sharpe ratio`]);
  }
  let outcome: WeightsOutcome | null;
  try {
    outcome = maxRatio(highs, problem, excess, stats);
  } catch (error) {
    // A solver failure here is most often a Sharpe ratio that is (nearly) undefined: say so if so.
    if (!(error instanceof OptimisationSolverError)) throw error;
    const top = maxReturnPortfolio(highs, problem, stats);
    if (top.value <= problem.riskFreeRate + 1e-9 * Math.max(1, Math.abs(problem.riskFreeRate))) {
      throw new InfeasibleConstraintsError([`the highest reachable return ${fmt(top.value)} is not above riskFreeRate ${fmt(problem.riskFreeRate)}, so max Sharpe is undefined`]);
    }
    throw error;
  }
  if (outcome !== null) return outcome;
  const top = maxReturnPortfolio(highs, problem, stats);
  if (top.value <= problem.riskFreeRate) {
    throw new InfeasibleConstraintsError([`the highest reachable return ${fmt(top.value)} is not above riskFreeRate ${fmt(problem.riskFreeRate)}, so max Sharpe is undefined`]);
  }
  return infeasible(highs, problem);
}

export function maxDiversification(highs: HighsSolver, problem: PortfolioProblem, stats = newStats()): WeightsOutcome {
  const n = problem.n;
  const sigma = Float64Array.from({ length: n }, (_, i) => Math.sqrt(problem.covariance[i * n + i]!));
  if (sigma.some((s) => s === 0)) throw new InfeasibleConstraintsError(['max_diversification needs every asset to have a positive variance']);
  const conflicts = feasibilityConflicts(problem);
  if (conflicts.length > 0) throw new InfeasibleConstraintsError(conflicts);
  const outcome = maxRatio(highs, problem, sigma, stats);
  if (outcome === null) return infeasible(highs, problem);
  return outcome;
}

const volatilityOf = (weights: Float64Array, problem: PortfolioProblem): number => Math.sqrt(Math.max(0, quadraticForm(problem.covariance, weights, problem.n)));

/**
 * Maximum return with volatility ≤ target (PyPortfolioOpt's efficient_risk), a QCQP. Solved on the
 * QP: along the efficient frontier σ(r) — the minimum volatility with μᵀw ≥ r — increases with r,
 * so we find r* with σ(r*) = target by Illinois regula falsi between the minimum-variance return
 * and the highest reachable return, each σ(r) an efficient_return QP polished to ~1e-12.
 */
export function efficientRisk(highs: HighsSolver, problem: PortfolioProblem, targetVolatility: number, stats = newStats()): WeightsOutcome {
  const mu = requireReturns(problem);
  const ret = (w: Float64Array) => w.reduce((s, wi, i) => s + wi * mu[i]!, 0);
  const gmv = minVariance(highs, problem, [], stats);
  const gmvVol = volatilityOf(gmv.weights, problem);
  if (gmvVol > targetVolatility * (1 + 1e-12)) {
    throw new InfeasibleConstraintsError([`targetVolatility ${fmt(targetVolatility)} below the minimum reachable volatility ${fmt(gmvVol)}`]);
  }
  const top = maxReturnPortfolio(highs, problem, stats);
  const atTop = minVariance(highs, problem, [returnFloorRow(mu, top.value)], stats);
  if (volatilityOf(atTop.weights, problem) <= targetVolatility) return { weights: atTop.weights, stats };
  let lo = ret(gmv.weights);
  let hi = top.value;
  let fLo = gmvVol - targetVolatility;
  let fHi = volatilityOf(atTop.weights, problem) - targetVolatility;
  let best = gmv.weights;
  let side = 0;
  for (let iteration = 0; iteration < 100; iteration++) {
    const r = (lo * fHi - hi * fLo) / (fHi - fLo);
    const candidate = minVariance(highs, problem, [returnFloorRow(mu, r)], stats).weights;
    const f = volatilityOf(candidate, problem) - targetVolatility;
    best = candidate;
    if (Math.abs(f) <= 1e-14 * Math.max(1, targetVolatility) || hi - lo <= 1e-15 * Math.max(1, Math.abs(hi))) break;
    if (f > 0) {
      hi = r;
      fHi = f;
      if (side === 1) fLo /= 2;
      side = 1;
    } else {
      lo = r;
      fLo = f;
      if (side === -1) fHi /= 2;
      side = -1;
    }
  }
  return { weights: best, stats };
}
