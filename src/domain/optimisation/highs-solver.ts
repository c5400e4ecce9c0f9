import type { Highs } from 'highs';
import { OptimisationSolverError } from './optimisation-errors';
import type { QuadraticProgram } from './quadratic-program';

/**
 * The part of a loaded `highs` runtime the optimiser uses. Load it once per process
 * (`await (await import('highs')).default()`) and pass it in: loading is async, solving is sync.
 */
export type HighsSolver = Pick<Highs, 'createModel' | 'infinity'>;

const MODEL_STATUS: Readonly<Record<number, string>> = {
  0: 'NotSet', 1: 'LoadError', 2: 'ModelError', 3: 'PresolveError', 4: 'SolveError', 5: 'PostsolveError',
  6: 'ModelEmpty', 7: 'Optimal', 8: 'Infeasible', 9: 'UnboundedOrInfeasible', 10: 'Unbounded',
  11: 'ObjectiveBound', 12: 'ObjectiveTarget', 13: 'TimeLimit', 14: 'IterationLimit', 15: 'Unknown',
  16: 'SolutionLimit', 17: 'Interrupted',
};

export interface SolveOutcome {
  readonly status: string;
  /** Primal solution; present only when status is Optimal. */
  readonly x: Float64Array | null;
  /** HiGHS row and column duals (gradient = Aᵀ rowDual + colDual at an optimum). */
  readonly rowDual: Float64Array | null;
  readonly colDual: Float64Array | null;
  readonly iterations: number;
  readonly seconds: number;
}

const toFinite = (v: number, inf: number): number => (v === Infinity ? inf : v === -Infinity ? -inf : v);

function infoNumber(read: () => number | bigint): number {
  try {
    return Number(read());
  } catch {
    return 0;
  }
}

/**
 * Solves a QP (or LP when hessianSize = 0) with a wall-clock limit. Returns the status rather than
 * throwing on Infeasible, so callers can diagnose which constraints conflict; every other
 * non-optimal status is an OptimisationSolverError: weights are only trusted when Optimal.
 */
export function solveWithHighs(highs: HighsSolver, qp: QuadraticProgram, timeLimitSeconds: number): SolveOutcome {
  const inf = highs.infinity;
  const m = qp.rows.length;
  const starts = new Int32Array(m + 1);
  let nnz = 0;
  for (let r = 0; r < m; r++) nnz += qp.rows[r]!.indices.length;
  const indices = new Int32Array(nnz);
  const values = new Float64Array(nnz);
  const rowLower = new Float64Array(m);
  const rowUpper = new Float64Array(m);
  let p = 0;
  for (let r = 0; r < m; r++) {
    const row = qp.rows[r]!;
    starts[r] = p;
    for (let k = 0; k < row.indices.length; k++) {
      indices[p] = row.indices[k]!;
      values[p] = row.values[k]!;
      p++;
    }
    rowLower[r] = toFinite(row.lower, inf);
    rowUpper[r] = toFinite(row.upper, inf);
  }
  starts[m] = p;
  const n = qp.numVars;
  const k = qp.hessianSize;
  let hessian;
  if (k > 0) {
    const hStarts = new Int32Array(n + 1);
    const hIdx: number[] = [];
    const hVal: number[] = [];
    for (let j = 0; j < n; j++) {
      hStarts[j] = hIdx.length;
      if (j >= k) continue;
      for (let i = j; i < k; i++) {
        const v = qp.hessian[i * k + j]!;
        if (v !== 0 || i === j) {
          hIdx.push(i);
          hVal.push(v);
        }
      }
    }
    hStarts[n] = hIdx.length;
    hessian = { format: 'triangular' as const, dimension: n, starts: hStarts, indices: hIdx, values: hVal };
  }
  const model = highs.createModel({
    numCols: n,
    numRows: m,
    colCost: qp.cost,
    colLower: Float64Array.from(qp.colLower, (v) => toFinite(v, inf)),
    colUpper: Float64Array.from(qp.colUpper, (v) => toFinite(v, inf)),
    rowLower,
    rowUpper,
    matrix: { format: 'csr', numRows: m, numCols: n, starts, indices, values },
    ...(hessian === undefined ? {} : { hessian }),
  });
  try {
    model.options.set({ output_flag: false, time_limit: timeLimitSeconds });
    try {
      model.run();
    } catch (error) {
      // HiGHS reports numerical failure (e.g. a degenerate homogenised QP) by throwing.
      throw new OptimisationSolverError('SolveError', error instanceof Error ? error.message : String(error));
    }
    const code = model.getModelStatus();
    const status = MODEL_STATUS[code] ?? `Status${code}`;
    const iterations = infoNumber(() => model.info.get(k > 0 ? 'qp_iteration_count' : 'simplex_iteration_count'));
    const seconds = model.getRunTime();
    if (status === 'Optimal') {
      const solution = model.getSolution();
      return { status, x: solution.colValue, rowDual: solution.rowDual, colDual: solution.colDual, iterations, seconds };
    }
    // Every variable is bounded through the budget and bounds, so "unbounded or infeasible" means infeasible.
    if (status === 'Infeasible' || status === 'UnboundedOrInfeasible') return { status, x: null, rowDual: null, colDual: null, iterations, seconds };
    throw new OptimisationSolverError(status, status === 'TimeLimit' ? `no optimum within ${timeLimitSeconds} s` : 'no trustworthy optimum');
  } finally {
    model.dispose();
  }
}
