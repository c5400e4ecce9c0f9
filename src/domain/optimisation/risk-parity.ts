import { cholesky, choleskySolve, matVec } from './dense-linear-algebra';
import { InvalidOptimisationInputError } from './optimisation-errors';

/**
 * Risk budgeting (equal risk contribution when the budgets are equal), long-only and fully invested.
 * Not a QP: following Spinu (2013), minimise the strictly convex log-barrier
 *   F(x) = ½ xᵀΣx − Σ b_i ln x_i   over x > 0,
 * whose unique minimiser satisfies x_i (Σx)_i = b_i, i.e. risk contributions proportional to b;
 * then w = x / Σx. Damped Newton with a backtracking line search that keeps x > 0 converges
 * quadratically; we stop when every contribution matches its budget to 1e-14 relative (well past
 * the 1e-10 the brief asks for).
 */
export interface RiskBudgetSolution {
  readonly weights: Float64Array;
  readonly iterations: number;
  /** max_i |RC_i / σ² − b_i| at the returned weights. */
  readonly budgetError: number;
}

export function riskBudgetWeights(covariance: Float64Array, n: number, budgets?: ArrayLike<number>): RiskBudgetSolution {
  const b = new Float64Array(n);
  if (budgets === undefined) b.fill(1 / n);
  else {
    if (budgets.length !== n) throw new InvalidOptimisationInputError('riskBudgets', `must have ${n} entries (one per asset), got ${budgets.length}`);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const v = budgets[i]!;
      if (!(Number.isFinite(v) && v > 0)) throw new InvalidOptimisationInputError(`riskBudgets[${i}]`, `must be a positive number, got ${v}`);
      total += v;
    }
    for (let i = 0; i < n; i++) b[i] = budgets[i]! / total;
  }
  let maxVar = 0;
  for (let i = 0; i < n; i++) maxVar = Math.max(maxVar, covariance[i * n + i]!);
  if (!(maxVar > 0)) throw new InvalidOptimisationInputError('covariance', 'risk parity needs at least one positive variance');
  for (let i = 0; i < n; i++) {
    if (!(covariance[i * n + i]! > 0)) throw new InvalidOptimisationInputError(`covariance[${i}][${i}]`, 'risk parity needs every variance to be positive');
  }
  const s = Float64Array.from(covariance, (v) => v / maxVar);
  // Exact for a diagonal covariance; a good start otherwise.
  let x = Float64Array.from({ length: n }, (_, i) => Math.sqrt(b[i]! / s[i * n + i]!));
  const objective = (v: Float64Array): number => {
    const sv = matVec(s, v, n);
    let f = 0;
    for (let i = 0; i < n; i++) f += 0.5 * v[i]! * sv[i]! - b[i]! * Math.log(v[i]!);
    return f;
  };
  let iterations = 0;
  let f = objective(x);
  for (; iterations < 200; iterations++) {
    const sx = matVec(s, x, n);
    let worst = 0;
    for (let i = 0; i < n; i++) worst = Math.max(worst, Math.abs(x[i]! * sx[i]! - b[i]!) / b[i]!);
    if (worst < 1e-14) break;
    const g = Float64Array.from({ length: n }, (_, i) => sx[i]! - b[i]! / x[i]!);
    const h = Float64Array.from(s);
    for (let i = 0; i < n; i++) h[i * n + i]! += b[i]! / (x[i]! * x[i]!);
    const l = cholesky(h, n);
    if (l === null) break;
    const step = choleskySolve(l, g, n);
    let decrement = 0;
    for (let i = 0; i < n; i++) decrement += g[i]! * step[i]!;
    let t = 1;
    for (let i = 0; i < n; i++) if (step[i]! > 0) t = Math.min(t, (0.99 * x[i]!) / step[i]!);
    let next = x;
    let fNext = f;
    for (let k = 0; k < 60; k++) {
      next = Float64Array.from(x, (xi, i) => xi - t * step[i]!);
      fNext = objective(next);
      // Armijo, with slack for round-off once the decrement is at machine precision.
      if (fNext <= f - 1e-4 * t * decrement || decrement < 1e-20) break;
      t /= 2;
    }
    x = next;
    f = fNext;
  }
  let total = 0;
  for (let i = 0; i < n; i++) total += x[i]!;
  const weights = Float64Array.from(x, (v) => v / total);
  const sw = matVec(covariance, weights, n);
  let variance = 0;
  for (let i = 0; i < n; i++) variance += weights[i]! * sw[i]!;
  let budgetError = 0;
  for (let i = 0; i < n; i++) budgetError = Math.max(budgetError, Math.abs((weights[i]! * sw[i]!) / variance - b[i]!));
  return { weights, iterations, budgetError };
}
