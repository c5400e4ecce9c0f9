import { cholesky, choleskySolve, solveLinearSystem } from './dense-linear-algebra';
import { InvalidOptimisationInputError } from './optimisation-errors';

/**
 * Black-Litterman (He & Litterman 1999 form, as PyPortfolioOpt computes it):
 *   A = P τΣ Pᵀ + Ω,  μ_BL = π + τΣPᵀ A⁻¹ (Q − Pπ),  Σ_BL = Σ + τΣ − τΣPᵀ A⁻¹ PτΣ,
 * with τ = 0.05 and Ω = diag(P τΣ Pᵀ) by default. The market prior is π = δΣw_mkt (implied excess
 * returns, δ = 2.5 by default) plus an optional risk-free rate to make them total returns.
 */
export const DEFAULT_TAU = 0.05;
export const DEFAULT_DELTA = 2.5;

export interface BlackLittermanInput {
  /** Row-major N × N. */
  readonly covariance: Float64Array;
  readonly n: number;
  /** Prior expected returns π (N). */
  readonly prior: ArrayLike<number>;
  /** K × N picking matrix. */
  readonly P: readonly (readonly number[])[];
  readonly Q: readonly number[];
  /** K × K; default diag(P τΣ Pᵀ). */
  readonly omega?: readonly (readonly number[])[];
  readonly tau?: number;
}

export interface BlackLittermanPosterior {
  readonly expectedReturns: Float64Array;
  /** Row-major N × N: Σ + M. */
  readonly covariance: Float64Array;
}

/** π = δ Σ w_mkt + rf, market weights normalised to sum 1. */
export function marketImpliedPriorReturns(marketWeights: ArrayLike<number>, covariance: Float64Array, n: number, delta = DEFAULT_DELTA, riskFreeRate = 0): Float64Array {
  if (marketWeights.length !== n) throw new InvalidOptimisationInputError('marketWeights', `must have ${n} entries (one per asset), got ${marketWeights.length}`);
  let total = 0;
  for (let i = 0; i < n; i++) {
    const w = marketWeights[i]!;
    if (!Number.isFinite(w) || w < 0) throw new InvalidOptimisationInputError(`marketWeights[${i}]`, `must be a non-negative number, got ${w}`);
    total += w;
  }
  if (!(total > 0)) throw new InvalidOptimisationInputError('marketWeights', 'must not all be zero');
  if (!(Number.isFinite(delta) && delta > 0)) throw new InvalidOptimisationInputError('delta', `must be a positive number, got ${delta}`);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    for (let j = 0; j < n; j++) s += covariance[i * n + j]! * (marketWeights[j]! / total);
    out[i] = delta * s + riskFreeRate;
  }
  return out;
}

/** δ = (mean(r)·P − rf) / (var(r)·P) from market prices (ddof 1), P periods per year. */
export function marketImpliedRiskAversion(marketPrices: ArrayLike<number>, riskFreeRate = 0, periodsPerYear = 252): number {
  const t = marketPrices.length - 1;
  if (t < 2) throw new InvalidOptimisationInputError('marketPrices', 'needs at least three prices');
  let sum = 0;
  const r = new Float64Array(t);
  for (let k = 0; k < t; k++) {
    r[k] = marketPrices[k + 1]! / marketPrices[k]! - 1;
    sum += r[k]!;
  }
  const mean = sum / t;
  let ss = 0;
  for (let k = 0; k < t; k++) ss += (r[k]! - mean) ** 2;
  return (mean * periodsPerYear - riskFreeRate) / ((ss / (t - 1)) * periodsPerYear);
}

export function blackLittermanPosterior(input: BlackLittermanInput): BlackLittermanPosterior {
  const { covariance: s, n, prior, P, Q } = input;
  const tau = input.tau ?? DEFAULT_TAU;
  if (!(Number.isFinite(tau) && tau > 0 && tau <= 1)) throw new InvalidOptimisationInputError('tau', `must be in (0, 1], got ${tau}`);
  const k = Q.length;
  if (!Array.isArray(P) || P.length !== k) throw new InvalidOptimisationInputError('views.P', `must have one row per view (${k}), got ${Array.isArray(P) ? P.length : typeof P}`);
  if (k === 0) throw new InvalidOptimisationInputError('views.Q', 'must contain at least one view');
  P.forEach((row, r) => {
    if (!Array.isArray(row) || row.length !== n) throw new InvalidOptimisationInputError(`views.P[${r}]`, `must have ${n} entries (one per asset)`);
    row.forEach((v, j) => {
      if (!Number.isFinite(v)) throw new InvalidOptimisationInputError(`views.P[${r}][${j}]`, 'must be a finite number');
    });
  });
  Q.forEach((v, r) => {
    if (!Number.isFinite(v)) throw new InvalidOptimisationInputError(`views.Q[${r}]`, 'must be a finite number');
  });
  // τΣPᵀ (N × K) and P τΣ Pᵀ (K × K).
  const tsp = new Float64Array(n * k);
  for (let i = 0; i < n; i++) {
    for (let v = 0; v < k; v++) {
      let acc = 0;
      const row = P[v]!;
      for (let j = 0; j < n; j++) acc += s[i * n + j]! * row[j]!;
      tsp[i * k + v] = tau * acc;
    }
  }
  const a = new Float64Array(k * k);
  for (let u = 0; u < k; u++) {
    for (let v = 0; v < k; v++) {
      let acc = 0;
      const row = P[u]!;
      for (let i = 0; i < n; i++) acc += row[i]! * tsp[i * k + v]!;
      a[u * k + v] = acc;
    }
  }
  if (input.omega === undefined) {
    for (let u = 0; u < k; u++) a[u * k + u]! *= 2; // + diag(P τΣ Pᵀ)
  } else {
    const omega = input.omega;
    if (omega.length !== k) throw new InvalidOptimisationInputError('views.omega', `must be ${k} × ${k}`);
    omega.forEach((row, u) => {
      if (!Array.isArray(row) || row.length !== k) throw new InvalidOptimisationInputError(`views.omega[${u}]`, `must have ${k} entries`);
      row.forEach((v, w) => {
        if (!Number.isFinite(v)) throw new InvalidOptimisationInputError(`views.omega[${u}][${w}]`, 'must be a finite number');
        a[u * k + w]! += v;
      });
    });
  }
  const residual = Float64Array.from(Q, (q, v) => {
    const row = P[v]!;
    let acc = q;
    for (let j = 0; j < n; j++) acc -= row[j]! * prior[j]!;
    return acc;
  });
  const solveA = (rhs: Float64Array): Float64Array => {
    const x = solveLinearSystem(Float64Array.from(a), Float64Array.from(rhs), k);
    if (x === null) throw new InvalidOptimisationInputError('views', 'P τΣ Pᵀ + Ω is singular (redundant views with zero uncertainty)');
    return x;
  };
  const y = solveA(residual);
  const expectedReturns = Float64Array.from({ length: n }, (_, i) => {
    let acc = prior[i]!;
    for (let v = 0; v < k; v++) acc += tsp[i * k + v]! * y[v]!;
    return acc;
  });
  // M = τΣ − τΣPᵀ A⁻¹ PτΣ, column by column of (τΣPᵀ)ᵀ.
  const covariance = new Float64Array(n * n);
  const solved = new Float64Array(k * n); // A⁻¹ (τΣPᵀ)ᵀ, K × N
  for (let j = 0; j < n; j++) {
    const col = solveA(Float64Array.from({ length: k }, (_, v) => tsp[j * k + v]!));
    for (let v = 0; v < k; v++) solved[v * n + j] = col[v]!;
  }
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let acc = 0;
      for (let v = 0; v < k; v++) acc += tsp[i * k + v]! * solved[v * n + j]!;
      covariance[i * n + j] = s[i * n + j]! * (1 + tau) - acc;
    }
  }
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      const avg = (covariance[i * n + j]! + covariance[j * n + i]!) / 2;
      covariance[i * n + j] = avg;
      covariance[j * n + i] = avg;
    }
  }
  return { expectedReturns, covariance };
}

/**
 * PyPortfolioOpt's `bl_weights`: the unconstrained mean-variance optimum (δΣ)⁻¹ μ, normalised to
 * sum 1 (so δ only matters for its sign). Weights may be negative and exceed 1.
 */
export function blackLittermanWeights(expectedReturns: ArrayLike<number>, covariance: Float64Array, n: number, delta = DEFAULT_DELTA): Float64Array {
  const a = Float64Array.from(covariance, (v) => delta * v);
  const l = cholesky(a, n);
  const raw = l !== null ? choleskySolve(l, expectedReturns, n) : solveLinearSystem(a, Float64Array.from(expectedReturns), n);
  if (raw === null) throw new InvalidOptimisationInputError('covariance', 'is singular, so (δΣ)⁻¹μ is undefined');
  let total = 0;
  for (let i = 0; i < n; i++) total += raw[i]!;
  if (total === 0) throw new InvalidOptimisationInputError('views', 'imply weights that sum to zero; they cannot be normalised');
  return Float64Array.from(raw, (v) => v / total);
}
