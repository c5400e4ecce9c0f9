/**
 * An independent KKT check for optimiser results, written in weight space and knowing nothing of
 * the optimiser's internals: for minimise f(w) subject to constraints c_k(w) ≤ 0 or = 0, it takes
 * the active constraints (|c_k| ≤ activeTolerance), finds least-squares multipliers for
 * ∇f + Σ λ_k ∇c_k = 0 and reports the four residuals.
 */
export interface KktConstraint {
  readonly kind: 'eq' | 'le';
  /** c(w) at the point (≤ 0 when feasible for 'le'). */
  readonly value: number;
  /** ∇c(w). */
  readonly gradient: ArrayLike<number>;
  readonly label: string;
}

export interface KktReport {
  readonly stationarity: number;
  readonly primalFeasibility: number;
  readonly dualFeasibility: number;
  readonly complementarity: number;
  readonly active: readonly string[];
}

function solve(a: number[][], b: number[]): number[] {
  const m = b.length;
  const M = a.map((row, i) => [...row, b[i]!]);
  for (let c = 0; c < m; c++) {
    let p = c;
    for (let r = c + 1; r < m; r++) if (Math.abs(M[r]![c]!) > Math.abs(M[p]![c]!)) p = r;
    [M[c], M[p]] = [M[p]!, M[c]!];
    const pivot = M[c]![c]!;
    if (pivot === 0) continue;
    for (let r = 0; r < m; r++) {
      if (r === c) continue;
      const f = M[r]![c]! / pivot;
      for (let k = c; k <= m; k++) M[r]![k]! -= f * M[c]![k]!;
    }
  }
  return M.map((row, i) => (row[i] === 0 ? 0 : row[m]! / row[i]!));
}

function leastSquaresMultipliers(objectiveGradient: ArrayLike<number>, active: readonly KktConstraint[]): number[] {
  const n = objectiveGradient.length;
  const k = active.length;
  // Normal equations (AᵀA + εI) λ = −Aᵀ∇f, A = [∇c_1 … ∇c_k].
  const ata = Array.from({ length: k }, (_, i) => Array.from({ length: k }, (_, j) => {
    let s = 0;
    for (let t = 0; t < n; t++) s += active[i]!.gradient[t]! * active[j]!.gradient[t]!;
    return s + (i === j ? 1e-14 : 0);
  }));
  const rhs = active.map((c) => {
    let s = 0;
    for (let t = 0; t < n; t++) s -= c.gradient[t]! * objectiveGradient[t]!;
    return s;
  });
  return k === 0 ? [] : solve(ata, rhs);
}

export function kktReport(objectiveGradient: ArrayLike<number>, constraints: readonly KktConstraint[], activeTolerance = 1e-9): KktReport {
  const n = objectiveGradient.length;
  let primal = 0;
  for (const c of constraints) primal = Math.max(primal, c.kind === 'eq' ? Math.abs(c.value) : Math.max(0, c.value));
  let active = constraints.filter((c) => c.kind === 'eq' || Math.abs(c.value) <= activeTolerance);
  // At a degenerate vertex the multipliers are not unique: an inequality whose least-squares
  // multiplier has the wrong sign is not needed for stationarity, so drop it and solve again.
  let lambda = leastSquaresMultipliers(objectiveGradient, active);
  for (let guard = 0; guard < constraints.length; guard++) {
    let worst = -1e-13;
    let drop = -1;
    active.forEach((c, i) => {
      if (c.kind === 'le' && lambda[i]! < worst) {
        worst = lambda[i]!;
        drop = i;
      }
    });
    if (drop < 0) break;
    active = active.filter((_, i) => i !== drop);
    lambda = leastSquaresMultipliers(objectiveGradient, active);
  }
  let stationarity = 0;
  for (let t = 0; t < n; t++) {
    let s = objectiveGradient[t]!;
    active.forEach((c, i) => (s += lambda[i]! * c.gradient[t]!));
    stationarity = Math.max(stationarity, Math.abs(s));
  }
  let dual = 0;
  let complementarity = 0;
  active.forEach((c, i) => {
    if (c.kind === 'le') {
      dual = Math.max(dual, -lambda[i]!);
      complementarity = Math.max(complementarity, Math.abs(lambda[i]! * c.value));
    }
  });
  return { stationarity, primalFeasibility: primal, dualFeasibility: dual, complementarity, active: active.map((c) => c.label) };
}

const unit = (n: number, i: number, sign = 1) => Float64Array.from({ length: n }, (_, j) => (j === i ? sign : 0));

/** Budget, per-asset bounds and sector caps as KKT constraints at w. */
export function linearConstraints(
  w: ArrayLike<number>,
  lower: ArrayLike<number>,
  upper: ArrayLike<number>,
  sectors: readonly { members: readonly number[]; cap: number }[] = [],
): KktConstraint[] {
  const n = w.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += w[i]!;
  const out: KktConstraint[] = [{ kind: 'eq', value: sum - 1, gradient: new Float64Array(n).fill(1), label: 'budget' }];
  for (let i = 0; i < n; i++) {
    out.push({ kind: 'le', value: lower[i]! - w[i]!, gradient: unit(n, i, -1), label: `lower[${i}]` });
    out.push({ kind: 'le', value: w[i]! - upper[i]!, gradient: unit(n, i, 1), label: `upper[${i}]` });
  }
  sectors.forEach((s, k) => {
    const g = new Float64Array(n);
    let v = -s.cap;
    for (const i of s.members) {
      g[i] = 1;
      v += w[i]!;
    }
    out.push({ kind: 'le', value: v, gradient: g, label: `sector[${k}]` });
  });
  return out;
}

export function covTimes(cov: readonly (readonly number[])[], w: ArrayLike<number>): Float64Array {
  return Float64Array.from(cov, (row) => row.reduce((s, v, j) => s + v * w[j]!, 0));
}

/** ∇ of −(dᵀw)/√(wᵀΣw): the gradient of minus max Sharpe (d = μ − rf) or minus the diversification ratio (d = σ). */
export function negativeRatioGradient(cov: readonly (readonly number[])[], d: ArrayLike<number>, w: ArrayLike<number>): Float64Array {
  const sw = covTimes(cov, w);
  let variance = 0;
  let num = 0;
  for (let i = 0; i < w.length; i++) {
    variance += w[i]! * sw[i]!;
    num += d[i]! * w[i]!;
  }
  const sigma = Math.sqrt(variance);
  return Float64Array.from({ length: w.length }, (_, i) => -(d[i]! / sigma - (num * sw[i]!) / sigma ** 3));
}

export const maxResidual = (r: KktReport): number => Math.max(r.stationarity, r.primalFeasibility, r.dualFeasibility, r.complementarity);
