/**
 * Small dense linear algebra on row-major Float64Arrays, for the hot paths (mathjs is too slow on
 * 500 × 500 matrices; see ARCHITECTURE.md §4).
 */

/** y = A x for a row-major n × n matrix. */
export function matVec(a: ArrayLike<number>, x: ArrayLike<number>, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = 0;
    const row = i * n;
    for (let j = 0; j < n; j++) s += a[row + j]! * x[j]!;
    y[i] = s;
  }
  return y;
}

export function dot(x: ArrayLike<number>, y: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i]! * y[i]!;
  return s;
}

/** xᵀ A x. */
export const quadraticForm = (a: ArrayLike<number>, x: ArrayLike<number>, n: number): number => dot(x, matVec(a, x, n));

/**
 * Solves A x = b in place by Gaussian elimination with partial pivoting (A is m × m, row-major, and
 * is destroyed). Returns null when A is singular to working precision (relative pivot below 1e-13).
 */
export function solveLinearSystem(a: Float64Array, b: Float64Array, m: number): Float64Array | null {
  let scale = 0;
  for (let k = 0; k < a.length; k++) scale = Math.max(scale, Math.abs(a[k]!));
  if (scale === 0) return m === 0 ? new Float64Array(0) : null;
  const tiny = scale * 1e-13;
  for (let col = 0; col < m; col++) {
    let pivotRow = col;
    let best = Math.abs(a[col * m + col]!);
    for (let r = col + 1; r < m; r++) {
      const v = Math.abs(a[r * m + col]!);
      if (v > best) {
        best = v;
        pivotRow = r;
      }
    }
    if (best <= tiny) return null;
    if (pivotRow !== col) {
      for (let c = 0; c < m; c++) {
        const t = a[col * m + c]!;
        a[col * m + c] = a[pivotRow * m + c]!;
        a[pivotRow * m + c] = t;
      }
      const t = b[col]!;
      b[col] = b[pivotRow]!;
      b[pivotRow] = t;
    }
    const pivot = a[col * m + col]!;
    for (let r = col + 1; r < m; r++) {
      const factor = a[r * m + col]! / pivot;
      if (factor === 0) continue;
      for (let c = col; c < m; c++) a[r * m + c]! -= factor * a[col * m + c]!;
      b[r]! -= factor * b[col]!;
    }
  }
  const x = new Float64Array(m);
  for (let r = m - 1; r >= 0; r--) {
    let s = b[r]!;
    for (let c = r + 1; c < m; c++) s -= a[r * m + c]! * x[c]!;
    x[r] = s / a[r * m + r]!;
  }
  return x;
}

/**
 * Cholesky factor L (lower, row-major) of a symmetric positive definite matrix, or null when a pivot
 * is not safely positive.
 */
export function cholesky(a: ArrayLike<number>, n: number): Float64Array | null {
  const l = new Float64Array(n * n);
  for (let j = 0; j < n; j++) {
    let d = a[j * n + j]!;
    const lj = j * n;
    for (let k = 0; k < j; k++) d -= l[lj + k]! * l[lj + k]!;
    if (!(d > 0)) return null;
    const djj = Math.sqrt(d);
    l[lj + j] = djj;
    for (let i = j + 1; i < n; i++) {
      const li = i * n;
      let s = a[li + j]!;
      for (let k = 0; k < j; k++) s -= l[li + k]! * l[lj + k]!;
      l[li + j] = s / djj;
    }
  }
  return l;
}

/** Whether A + shift·I has a Cholesky factor (row-oriented, contiguous dot products, unrolled). */
function choleskyFactors(a: ArrayLike<number>, n: number, shift: number): boolean {
  const l = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const li = i * n;
    for (let j = 0; j <= i; j++) {
      const lj = j * n;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      let k = 0;
      for (; k + 3 < j; k += 4) {
        s0 += l[li + k]! * l[lj + k]!;
        s1 += l[li + k + 1]! * l[lj + k + 1]!;
        s2 += l[li + k + 2]! * l[lj + k + 2]!;
        s3 += l[li + k + 3]! * l[lj + k + 3]!;
      }
      for (; k < j; k++) s0 += l[li + k]! * l[lj + k]!;
      const s = a[li + j]! + (i === j ? shift : 0) - (s0 + s1 + s2 + s3);
      if (i === j) {
        if (!(s > 0)) return false;
        l[li + i] = Math.sqrt(s);
      } else {
        l[li + j] = s / l[lj + j]!;
      }
    }
  }
  return true;
}

/** Solves L Lᵀ x = b for a Cholesky factor L. */
export function choleskySolve(l: Float64Array, b: ArrayLike<number>, n: number): Float64Array {
  const y = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    let s = b[i]!;
    for (let k = 0; k < i; k++) s -= l[i * n + k]! * y[k]!;
    y[i] = s / l[i * n + i]!;
  }
  const x = new Float64Array(n);
  for (let i = n - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let k = i + 1; k < n; k++) s -= l[k * n + i]! * x[k]!;
    x[i] = s / l[i * n + i]!;
  }
  return x;
}

/**
 * Whether a symmetric matrix is positive semi-definite, by Cholesky with diagonal pivoting: a
 * negative pivot below −tolerance × max diagonal proves an indefinite matrix; once the remaining
 * pivots are all below tolerance, the remaining block must be (numerically) zero. Returns the most
 * negative pivot seen (0 when PSD).
 */
export function semidefiniteDefect(a: ArrayLike<number>, n: number, relativeTolerance = 1e-10): number {
  let maxDiag = 0;
  for (let i = 0; i < n; i++) maxDiag = Math.max(maxDiag, Math.abs(a[i * n + i]!));
  // Fast path: Σ + εI factors ⇔ λ_min(Σ) > −ε (up to round-off), so the matrix is PSD within tolerance.
  if (maxDiag > 0 && choleskyFactors(a, n, relativeTolerance * maxDiag)) return 0;
  const w = Float64Array.from({ length: n * n }, (_, k) => a[k]!);
  if (maxDiag === 0) {
    for (let k = 0; k < w.length; k++) if (w[k] !== 0) return -Math.abs(w[k]!);
    return 0;
  }
  const tol = relativeTolerance * maxDiag;
  const perm = Int32Array.from({ length: n }, (_, i) => i);
  for (let j = 0; j < n; j++) {
    let p = j;
    let best = w[perm[j]! * n + perm[j]!]!;
    for (let i = j + 1; i < n; i++) {
      const d = w[perm[i]! * n + perm[i]!]!;
      if (d > best) {
        best = d;
        p = i;
      }
    }
    if (best <= tol) {
      // Remaining block must be ~0: a negative diagonal or a large off-diagonal proves indefiniteness.
      let worst = 0;
      for (let i = j; i < n; i++) {
        const di = w[perm[i]! * n + perm[i]!]!;
        if (di < -tol) worst = Math.min(worst, di);
        for (let k = j; k < n; k++) {
          if (k === i) continue;
          const off = Math.abs(w[perm[i]! * n + perm[k]!]!);
          if (off > Math.sqrt(tol * maxDiag) && off * off > Math.max(di, 0) * Math.max(w[perm[k]! * n + perm[k]!]!, 0) + tol * maxDiag) {
            worst = Math.min(worst, -off);
          }
        }
      }
      return worst;
    }
    const tmp = perm[j]!;
    perm[j] = perm[p]!;
    perm[p] = tmp;
    const pj = perm[j]!;
    const d = Math.sqrt(best);
    // Column j of L in place (rows pj), then the Schur complement update.
    for (let i = j + 1; i < n; i++) w[perm[i]! * n + pj]! /= d;
    for (let i = j + 1; i < n; i++) {
      const pi = perm[i]!;
      const lij = w[pi * n + pj]!;
      if (lij === 0) continue;
      for (let k = j + 1; k <= i; k++) {
        const pk = perm[k]!;
        const v = w[pi * n + pk]! - lij * w[pk * n + pj]!;
        w[pi * n + pk] = v;
        w[pk * n + pi] = v;
      }
    }
  }
  return 0;
}
