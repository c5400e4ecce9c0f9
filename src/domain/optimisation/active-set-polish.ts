import { solveLinearSystem } from './dense-linear-algebra';
import { gradient, rowActivity, type QuadraticProgram } from './quadratic-program';

/**
 * KKT active-set polish. HiGHS's active-set QP stops with stationarity near 1e-7; given its point,
 * we guess the active constraints, solve the equality-constrained QP on them exactly (one dense
 * KKT solve), then add violated / drop wrong-signed constraints until the point satisfies every KKT
 * condition to ~1e-12. Multiplier convention: ∇f + Aᵀλ + μ = 0, with λ, μ ≥ 0 on constraints at
 * their upper bound and ≤ 0 at their lower bound.
 */
export interface KktPoint {
  readonly x: Float64Array;
  readonly rowMultipliers: Float64Array;
  readonly colMultipliers: Float64Array;
}

export interface KktResiduals {
  readonly stationarity: number;
  readonly primalFeasibility: number;
  readonly dualFeasibility: number;
  readonly complementarity: number;
  readonly max: number;
}

/** Which bound a constraint is held at in the working set. */
type Side = 'lower' | 'upper' | 'equal';

const ACTIVE_TOLERANCE = 1e-7;
const MAX_ITERATIONS = 50;

export function kktResiduals(qp: QuadraticProgram, point: KktPoint): KktResiduals {
  const { x, rowMultipliers: lambda, colMultipliers: mu } = point;
  const g = gradient(qp, x);
  for (let r = 0; r < qp.rows.length; r++) {
    const row = qp.rows[r]!;
    const l = lambda[r]!;
    if (l === 0) continue;
    for (let k = 0; k < row.indices.length; k++) g[row.indices[k]!]! += l * row.values[k]!;
  }
  let stationarity = 0;
  let primal = 0;
  let dual = 0;
  let comp = 0;
  for (let j = 0; j < qp.numVars; j++) {
    stationarity = Math.max(stationarity, Math.abs(g[j]! + mu[j]!));
    const xj = x[j]!;
    primal = Math.max(primal, qp.colLower[j]! - xj, xj - qp.colUpper[j]!);
    const m = mu[j]!;
    if (m > 0) comp = Math.max(comp, Math.abs(m * (qp.colUpper[j]! - xj)));
    if (m < 0) comp = Math.max(comp, Math.abs(m * (xj - qp.colLower[j]!)));
    if (m > 0 && qp.colUpper[j] === Infinity) dual = Math.max(dual, m);
    if (m < 0 && qp.colLower[j] === -Infinity) dual = Math.max(dual, -m);
  }
  for (let r = 0; r < qp.rows.length; r++) {
    const row = qp.rows[r]!;
    const a = rowActivity(row, x);
    primal = Math.max(primal, row.lower - a, a - row.upper);
    const l = lambda[r]!;
    if (l > 0) comp = Math.max(comp, Math.abs(l * (row.upper - a)));
    if (l < 0) comp = Math.max(comp, Math.abs(l * (a - row.lower)));
    if (l > 0 && row.upper === Infinity) dual = Math.max(dual, l);
    if (l < 0 && row.lower === -Infinity) dual = Math.max(dual, -l);
  }
  primal = Math.max(0, primal);
  const finiteComp = Number.isFinite(comp) ? comp : Infinity;
  return { stationarity, primalFeasibility: primal, dualFeasibility: dual, complementarity: finiteComp, max: Math.max(stationarity, primal, dual, finiteComp) };
}

/** Multipliers from HiGHS's duals (HiGHS: ∇f = Aᵀ rowDual + colDual, so ours are their negatives). */
export function highsPoint(x: Float64Array, rowDual: Float64Array, colDual: Float64Array): KktPoint {
  return { x, rowMultipliers: Float64Array.from(rowDual, (v) => -v), colMultipliers: Float64Array.from(colDual, (v) => -v) };
}

function near(value: number, bound: number): boolean {
  return Number.isFinite(bound) && Math.abs(value - bound) <= ACTIVE_TOLERANCE * (1 + Math.abs(bound));
}

function sideOf(value: number, lower: number, upper: number): Side | null {
  if (lower === upper && Number.isFinite(lower)) return 'equal';
  if (near(value, upper)) return 'upper';
  if (near(value, lower)) return 'lower';
  return null;
}

function boundOf(side: Side, lower: number, upper: number): number {
  return side === 'lower' ? lower : upper;
}

/**
 * Polishes x0 (HiGHS's optimum). Returns null when the active-set iteration does not settle on a
 * point that satisfies the KKT conditions (degenerate or badly scaled problems); the caller then
 * keeps HiGHS's point.
 */
export function polishActiveSet(qp: QuadraticProgram, x0: Float64Array): KktPoint | null {
  const n = qp.numVars;
  const rowSide: (Side | null)[] = qp.rows.map((row) => sideOf(rowActivity(row, x0), row.lower, row.upper));
  const colSide: (Side | null)[] = Array.from({ length: n }, (_, j) => sideOf(x0[j]!, qp.colLower[j]!, qp.colUpper[j]!));
  let x = x0;
  for (let iteration = 0; iteration < MAX_ITERATIONS; iteration++) {
    const solved = solveEqualityQp(qp, x, rowSide, colSide);
    if (solved === null) return null;
    const { point } = solved;
    x = point.x;
    // 1. Primal: the most violated constraint outside the working set joins it.
    let worst = 1e-12;
    let add: { kind: 'row' | 'col'; index: number; side: Side } | null = null;
    for (let r = 0; r < qp.rows.length; r++) {
      if (rowSide[r] !== null) continue;
      const row = qp.rows[r]!;
      const a = rowActivity(row, x);
      const scale = 1 + Math.abs(a);
      if ((row.lower - a) / scale > worst) {
        worst = (row.lower - a) / scale;
        add = { kind: 'row', index: r, side: 'lower' };
      }
      if ((a - row.upper) / scale > worst) {
        worst = (a - row.upper) / scale;
        add = { kind: 'row', index: r, side: 'upper' };
      }
    }
    for (let j = 0; j < n; j++) {
      if (colSide[j] !== null) continue;
      const v = x[j]!;
      const scale = 1 + Math.abs(v);
      if ((qp.colLower[j]! - v) / scale > worst) {
        worst = (qp.colLower[j]! - v) / scale;
        add = { kind: 'col', index: j, side: 'lower' };
      }
      if ((v - qp.colUpper[j]!) / scale > worst) {
        worst = (v - qp.colUpper[j]!) / scale;
        add = { kind: 'col', index: j, side: 'upper' };
      }
    }
    if (add !== null) {
      if (add.kind === 'row') rowSide[add.index] = add.side;
      else colSide[add.index] = add.side;
      continue;
    }
    // 2. Dual: the most wrong-signed multiplier leaves the working set.
    let wrong = 1e-11 * solved.multiplierScale;
    let drop: { kind: 'row' | 'col'; index: number } | null = null;
    const check = (side: Side | null, m: number, kind: 'row' | 'col', index: number) => {
      const bad = side === 'upper' ? -m : side === 'lower' ? m : 0;
      if (bad > wrong) {
        wrong = bad;
        drop = { kind, index };
      }
    };
    for (let r = 0; r < qp.rows.length; r++) check(rowSide[r]!, point.rowMultipliers[r]!, 'row', r);
    for (let j = 0; j < n; j++) check(colSide[j]!, point.colMultipliers[j]!, 'col', j);
    if (drop === null) return point;
    const d: { kind: 'row' | 'col'; index: number } = drop;
    if (d.kind === 'row') rowSide[d.index] = null;
    else colSide[d.index] = null;
  }
  return null;
}

/** Solves the QP with the working set held at equality; returns the point and its multipliers. */
function solveEqualityQp(
  qp: QuadraticProgram,
  xPrev: Float64Array,
  rowSide: readonly (Side | null)[],
  colSide: readonly (Side | null)[],
): { point: KktPoint; multiplierScale: number } | null {
  const n = qp.numVars;
  const k = qp.hessianSize;
  const x = Float64Array.from(xPrev);
  for (let j = 0; j < n; j++) {
    const side = colSide[j];
    if (side != null) x[j] = boundOf(side, qp.colLower[j]!, qp.colUpper[j]!);
  }
  const activeRows: number[] = [];
  for (let r = 0; r < qp.rows.length; r++) if (rowSide[r] != null) activeRows.push(r);
  // Free variables with no curvature and no active row are undetermined (e.g. turnover slack when the
  // turnover limit is slack): hold them where they are.
  const inActiveRow = new Uint8Array(n);
  for (const r of activeRows) for (const j of qp.rows[r]!.indices) inActiveRow[j] = 1;
  const free: number[] = [];
  for (let j = 0; j < n; j++) {
    if (colSide[j] != null) continue;
    const curvature = j < k ? qp.hessian[j * k + j]! : 0;
    if (curvature === 0 && inActiveRow[j] === 0) continue;
    free.push(j);
  }
  const position = new Int32Array(n).fill(-1);
  free.forEach((j, p) => (position[j] = p));
  const nf = free.length;
  const m = nf + activeRows.length;
  const a = new Float64Array(m * m);
  const b = new Float64Array(m);
  // Stationarity rows: H_FF x_F + A_RFᵀ λ = −c_F − H_F,rest x_rest.
  let hScale = 0;
  for (let p = 0; p < nf; p++) {
    const j = free[p]!;
    let rhs = -qp.cost[j]!;
    if (j < k) {
      for (let i = 0; i < k; i++) {
        const h = qp.hessian[j * k + i]!;
        if (position[i]! >= 0) a[p * m + position[i]!] = h;
        else rhs -= h * x[i]!;
        hScale = Math.max(hScale, Math.abs(h));
      }
    }
    b[p] = rhs;
  }
  activeRows.forEach((r, q) => {
    const row = qp.rows[r]!;
    let rhs = boundOf(rowSide[r]!, row.lower, row.upper);
    for (let t = 0; t < row.indices.length; t++) {
      const j = row.indices[t]!;
      const v = row.values[t]!;
      const p = position[j]!;
      if (p >= 0) {
        a[(nf + q) * m + p] = v;
        a[p * m + nf + q] = v;
      } else {
        rhs -= v * x[j]!;
      }
    }
    b[nf + q] = rhs;
  });
  // A tiny dual regularisation keeps linearly dependent active rows (degenerate vertices) solvable.
  const ridge = 1e-14 * Math.max(1, hScale);
  for (let q = 0; q < activeRows.length; q++) a[(nf + q) * m + nf + q] = -ridge;
  const solution = solveLinearSystem(a, b, m);
  if (solution === null) return null;
  for (let p = 0; p < nf; p++) x[free[p]!] = solution[p]!;
  const rowMultipliers = new Float64Array(qp.rows.length);
  let multiplierScale = 1;
  activeRows.forEach((r, q) => {
    rowMultipliers[r] = solution[nf + q]!;
    multiplierScale = Math.max(multiplierScale, Math.abs(solution[nf + q]!));
  });
  // Column multipliers of bound-held variables: μ = −(∇f + Aᵀλ).
  const g = gradient(qp, x);
  for (const r of activeRows) {
    const row = qp.rows[r]!;
    const l = rowMultipliers[r]!;
    for (let t = 0; t < row.indices.length; t++) g[row.indices[t]!]! += l * row.values[t]!;
  }
  const colMultipliers = new Float64Array(n);
  for (let j = 0; j < n; j++) {
    if (colSide[j] != null) {
      colMultipliers[j] = -g[j]!;
      multiplierScale = Math.max(multiplierScale, Math.abs(g[j]!));
    }
  }
  if (!x.every(Number.isFinite)) return null;
  return { point: { x, rowMultipliers, colMultipliers }, multiplierScale };
}
