import { covarianceMatrix, PERIODS_PER_YEAR } from './return-series';
import { isComplete } from './price-returns';

/**
 * Covariance estimators on period returns (one column per asset), annualised by `periodsPerYear`.
 *
 * - `sample` (the project default): sample covariance, ddof = 1, × periodsPerYear. Columns with gaps
 *   (NaN) are handled pairwise as pandas' `DataFrame.cov()` does (and hence PyPortfolioOpt's
 *   `sample_cov`): each pair uses the periods where both assets have a return, with that subset's
 *   own means. Pairwise matrices need not be PSD; the optimiser's input validation says so if not.
 * - `ledoit_wolf`: Ledoit-Wolf shrinkage. The default target is `scaled_identity` (PyPortfolioOpt's
 *   `ledoit_wolf()` default "constant_variance", which is scikit-learn's `ledoit_wolf`: the target
 *   is mean(variance) × I, the sample matrix is the ddof = 0 empirical covariance, and the shrinkage
 *   is the Ledoit-Wolf 2004 estimate). `constant_correlation` uses the Ledoit-Wolf 2003 target
 *   (PyPortfolioOpt's `shrinkage_target="constant_correlation"`, sample matrix ddof = 1). Shrinkage
 *   needs complete rows: periods where any asset lacks a return are dropped first (PyPortfolioOpt
 *   instead replaces NaN by 0, which biases gapped assets towards zero).
 */
export type ShrinkageTarget = 'scaled_identity' | 'constant_correlation';

export interface CovarianceEstimate {
  /** Row-major N × N, annualised. */
  readonly matrix: Float64Array;
  /** Shrinkage intensity in [0, 1] (0 for the sample estimator). */
  readonly shrinkage: number;
}

export function sampleCovariance(columns: readonly ArrayLike<number>[], periodsPerYear = PERIODS_PER_YEAR): Float64Array {
  if (columns.every(isComplete)) return covarianceMatrix(columns, periodsPerYear, 1);
  return pairwiseCovariance(columns, periodsPerYear);
}

/** Pairwise-complete sample covariance (ddof = 1), as pandas computes it. */
export function pairwiseCovariance(columns: readonly ArrayLike<number>[], scale = 1): Float64Array {
  const n = columns.length;
  const t = n === 0 ? 0 : columns[0]!.length;
  for (const c of columns) if (c.length !== t) throw new RangeError(`return series of different lengths: ${c.length} and ${t}`);
  const cov = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const ci = columns[i]!;
    for (let j = i; j < n; j++) {
      const cj = columns[j]!;
      let count = 0;
      let sx = 0;
      let sy = 0;
      for (let k = 0; k < t; k++) {
        const x = ci[k]!;
        const y = cj[k]!;
        if (Number.isNaN(x) || Number.isNaN(y)) continue;
        count++;
        sx += x;
        sy += y;
      }
      let v = Number.NaN;
      if (count > 1) {
        const mx = sx / count;
        const my = sy / count;
        let s = 0;
        for (let k = 0; k < t; k++) {
          const x = ci[k]!;
          const y = cj[k]!;
          if (Number.isNaN(x) || Number.isNaN(y)) continue;
          s += (x - mx) * (y - my);
        }
        v = (s / (count - 1)) * scale;
      }
      cov[i * n + j] = v;
      cov[j * n + i] = v;
    }
  }
  return cov;
}

function centred(columns: readonly ArrayLike<number>[]): Float64Array[] {
  return columns.map((c) => {
    let m = 0;
    for (let k = 0; k < c.length; k++) m += c[k]!;
    m /= c.length;
    return Float64Array.from({ length: c.length }, (_, k) => c[k]! - m);
  });
}

/** Ledoit-Wolf shrinkage on complete return columns (no NaN), annualised. */
export function ledoitWolfCovariance(
  columns: readonly ArrayLike<number>[],
  options: { readonly target?: ShrinkageTarget; readonly periodsPerYear?: number } = {},
): CovarianceEstimate {
  const target = options.target ?? 'scaled_identity';
  const periods = options.periodsPerYear ?? PERIODS_PER_YEAR;
  for (const c of columns) if (!isComplete(c)) throw new RangeError('Ledoit-Wolf shrinkage needs complete rows: drop periods with gaps first (completeRows)');
  const estimate = target === 'scaled_identity' ? shrinkToScaledIdentity(columns) : shrinkToConstantCorrelation(columns);
  for (let k = 0; k < estimate.matrix.length; k++) estimate.matrix[k]! *= periods;
  return estimate;
}

/** scikit-learn's `ledoit_wolf` (assume_centered = False), unannualised. */
function shrinkToScaledIdentity(columns: readonly ArrayLike<number>[]): CovarianceEstimate {
  const x = centred(columns);
  const p = x.length;
  const t = p === 0 ? 0 : x[0]!.length;
  const emp = new Float64Array(p * p); // X'X / T (ddof 0)
  let sumSquaresOfSquares = 0; // Σ_ij Σ_t x_ti² x_tj²  = sum((X²)'(X²))
  for (let i = 0; i < p; i++) {
    for (let j = i; j < p; j++) {
      let s = 0;
      let s2 = 0;
      const xi = x[i]!;
      const xj = x[j]!;
      for (let k = 0; k < t; k++) {
        const a = xi[k]!;
        const b = xj[k]!;
        s += a * b;
        s2 += a * a * b * b;
      }
      emp[i * p + j] = s / t;
      emp[j * p + i] = s / t;
      sumSquaresOfSquares += i === j ? s2 : 2 * s2;
    }
  }
  let trace = 0;
  for (let i = 0; i < p; i++) trace += emp[i * p + i]!;
  const mu = trace / p;
  let deltaRaw = 0; // Σ (X'X)² / T² = Σ emp²
  for (let k = 0; k < emp.length; k++) deltaRaw += emp[k]! ** 2;
  const beta0 = (1 / (p * t)) * (sumSquaresOfSquares / t - deltaRaw);
  const delta = (deltaRaw - 2 * mu * trace + p * mu * mu) / p;
  const beta = Math.min(beta0, delta);
  const shrinkage = beta === 0 ? 0 : beta / delta;
  const matrix = new Float64Array(p * p);
  for (let i = 0; i < p; i++) {
    for (let j = 0; j < p; j++) matrix[i * p + j] = (1 - shrinkage) * emp[i * p + j]! + (i === j ? shrinkage * mu : 0);
  }
  return { matrix, shrinkage };
}

/** Ledoit & Wolf (2003) constant-correlation target, as PyPortfolioOpt implements it, unannualised. */
function shrinkToConstantCorrelation(columns: readonly ArrayLike<number>[]): CovarianceEstimate {
  const xm = centred(columns);
  const n = xm.length;
  const t = n === 0 ? 0 : xm[0]!.length;
  const s = covarianceMatrix(columns, 1, 1);
  const std = Float64Array.from({ length: n }, (_, i) => Math.sqrt(s[i * n + i]!));
  let corrSum = 0;
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) corrSum += s[i * n + j]! / (std[i]! * std[j]!);
  const rBar = (corrSum - n) / (n * (n - 1));
  const f = new Float64Array(n * n);
  for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) f[i * n + j] = i === j ? s[i * n + i]! : rBar * std[i]! * std[j]!;
  const sumSquares = xm.map((c) => c.reduce((acc, v) => acc + v * v, 0));
  let piHat = 0;
  let rhoDiag = 0;
  let rhoOff = 0;
  for (let i = 0; i < n; i++) {
    const xi = xm[i]!;
    for (let j = 0; j < n; j++) {
      const xj = xm[j]!;
      let y2 = 0; // Σ x_i² x_j²
      let xx = 0; // Σ x_i x_j
      let x3 = 0; // Σ x_i³ x_j
      for (let k = 0; k < t; k++) {
        const a = xi[k]!;
        const b = xj[k]!;
        y2 += a * a * b * b;
        xx += a * b;
        x3 += a * a * a * b;
      }
      const sij = s[i * n + j]!;
      const pij = y2 / t - (2 * xx * sij) / t + sij * sij;
      piHat += pij;
      if (i === j) {
        rhoDiag += pij;
      } else {
        // theta_ij = Σx_i³x_j/t − help_ii·s_ij − help_ij·var_i + var_i·s_ij (PyPortfolioOpt's terms 1–4).
        const varI = s[i * n + i]!;
        const theta = x3 / t - (sumSquares[i]! / t) * sij - (xx / t) * varI + varI * sij;
        rhoOff += (std[j]! / std[i]!) * theta;
      }
    }
  }
  const rhoHat = rhoDiag + rBar * rhoOff;
  let gamma = 0;
  for (let k = 0; k < s.length; k++) gamma += (s[k]! - f[k]!) ** 2;
  const kappa = (piHat - rhoHat) / gamma;
  const shrinkage = Math.max(0, Math.min(1, kappa / t));
  const matrix = Float64Array.from(s, (v, k) => shrinkage * f[k]! + (1 - shrinkage) * v);
  return { matrix, shrinkage };
}
