import type { PortfolioProblem } from './problem-input';
import type { LinearRow, QuadraticProgram } from './quadratic-program';

/**
 * Builds the QPs in weight space from a validated problem: variables are the N weights, then N
 * turnover auxiliaries t_i ≥ |w_i − w0_i| when a turnover limit is set (linearised as
 * t_i − w_i ≥ −w0_i, t_i + w_i ≥ w0_i, Σt ≤ T). The covariance is rescaled so its largest
 * variance is 1: HiGHS stalls on daily-sized entries (ARCHITECTURE.md §4), and the scale changes no
 * minimiser.
 */
export interface WeightProgramOptions {
  /** Quadratic term: the covariance (true) or none (an LP such as max return). */
  readonly quadratic: boolean;
  /** Linear cost on the weights (already scaled as the caller wants). */
  readonly linearCost?: Float64Array;
  /** Extra rows on the weights (e.g. μᵀw ≥ target). */
  readonly extraRows?: readonly LinearRow[];
}

export function covarianceScale(problem: PortfolioProblem): number {
  let maxVar = 0;
  for (let i = 0; i < problem.n; i++) maxVar = Math.max(maxVar, problem.covariance[i * problem.n + i]!);
  return maxVar > 0 ? 1 / maxVar : 1;
}

export function buildWeightProgram(problem: PortfolioProblem, options: WeightProgramOptions): QuadraticProgram {
  const n = problem.n;
  const withTurnover = problem.turnover !== null;
  const numVars = withTurnover ? 2 * n : n;
  const scale = covarianceScale(problem);
  const hessian = new Float64Array(options.quadratic ? n * n : 0);
  for (let k = 0; k < hessian.length; k++) hessian[k] = 2 * problem.covariance[k]! * scale;
  const cost = new Float64Array(numVars);
  if (options.linearCost) cost.set(options.linearCost);
  const colLower = new Float64Array(numVars);
  const colUpper = new Float64Array(numVars).fill(Infinity);
  colLower.set(problem.lower);
  colUpper.set(problem.upper);
  const all = Array.from({ length: n }, (_, i) => i);
  const rows: LinearRow[] = [{ indices: all, values: all.map(() => 1), lower: 1, upper: 1, label: 'budget' }];
  for (const s of problem.sectors) {
    rows.push({ indices: [...s.members], values: s.members.map(() => 1), lower: -Infinity, upper: s.cap, label: `maxSectorWeight.${s.sector}` });
  }
  if (problem.turnover !== null) {
    const w0 = problem.turnover.current;
    for (let i = 0; i < n; i++) {
      rows.push({ indices: [n + i, i], values: [1, -1], lower: -w0[i]!, upper: Infinity, label: 'maxTurnover' });
      rows.push({ indices: [n + i, i], values: [1, 1], lower: w0[i]!, upper: Infinity, label: 'maxTurnover' });
    }
    rows.push({ indices: all.map((i) => n + i), values: all.map(() => 1), lower: -Infinity, upper: problem.turnover.max, label: 'maxTurnover' });
  }
  rows.push(...(options.extraRows ?? []));
  return { numVars, hessian, hessianSize: options.quadratic ? n : 0, cost, colLower, colUpper, rows };
}

/**
 * The homogenised (Cornuejols–Tütüncü) form of a weight-space program with zero linear cost:
 * substitute x = y / κ, κ ≥ 0, so every row lo ≤ aᵀx ≤ hi becomes aᵀy − hi·κ ≤ 0 and
 * aᵀy − lo·κ ≥ 0 (bounds likewise, except 0 and ±∞ which stay column bounds), and add the
 * normalisation dᵀy = 1. Minimising yᵀΣy then maximises dᵀw / √(wᵀΣw): d = μ − rf gives max
 * Sharpe, d = σ gives max diversification. κ is the last variable; w = y / κ.
 */
export function homogenise(weightProgram: QuadraticProgram, normalisation: Float64Array): QuadraticProgram {
  const nv = weightProgram.numVars;
  const kappa = nv;
  const rows: LinearRow[] = [];
  for (const row of weightProgram.rows) {
    const indices = [...row.indices, kappa];
    if (row.lower === row.upper) {
      rows.push({ indices, values: [...row.values, -row.lower], lower: 0, upper: 0, label: row.label });
      continue;
    }
    if (Number.isFinite(row.upper)) rows.push({ indices, values: [...row.values, -row.upper], lower: -Infinity, upper: 0, label: row.label });
    if (Number.isFinite(row.lower)) rows.push({ indices, values: [...row.values, -row.lower], lower: 0, upper: Infinity, label: row.label });
  }
  const colLower = new Float64Array(nv + 1);
  const colUpper = new Float64Array(nv + 1).fill(Infinity);
  for (let j = 0; j < nv; j++) {
    const lo = weightProgram.colLower[j]!;
    const hi = weightProgram.colUpper[j]!;
    colLower[j] = lo === 0 || !Number.isFinite(lo) ? lo : -Infinity;
    colUpper[j] = hi === 0 || !Number.isFinite(hi) ? hi : Infinity;
    if (lo !== 0 && Number.isFinite(lo)) rows.push({ indices: [j, kappa], values: [1, -lo], lower: 0, upper: Infinity, label: 'bounds' });
    if (hi !== 0 && Number.isFinite(hi)) rows.push({ indices: [j, kappa], values: [1, -hi], lower: -Infinity, upper: 0, label: 'bounds' });
  }
  let maxAbs = 0;
  for (const v of normalisation) maxAbs = Math.max(maxAbs, Math.abs(v));
  const nIdx: number[] = [];
  const nVal: number[] = [];
  normalisation.forEach((v, j) => {
    if (v !== 0) {
      nIdx.push(j);
      nVal.push(v / maxAbs);
    }
  });
  rows.push({ indices: nIdx, values: nVal, lower: 1, upper: 1, label: 'normalisation' });
  return {
    numVars: nv + 1,
    hessian: weightProgram.hessian,
    hessianSize: weightProgram.hessianSize,
    cost: new Float64Array(nv + 1),
    colLower,
    colUpper,
    rows,
  };
}
