/**
 * The solver-neutral form every objective is reduced to:
 *   minimise ½ xᵀHx + cᵀx  subject to  lower ≤ aᵀx ≤ upper (rows),  colLower ≤ x ≤ colUpper.
 * H is dense over the first `hessianSize` variables (the weights); auxiliaries (turnover, the
 * homogenising scale κ) have no curvature.
 */
export interface LinearRow {
  readonly indices: readonly number[];
  readonly values: readonly number[];
  readonly lower: number;
  readonly upper: number;
  /** Which user constraint this row encodes, for infeasibility messages ("budget", "maxSectorWeight.Tech"). */
  readonly label: string;
}

export interface QuadraticProgram {
  readonly numVars: number;
  /** Row-major hessianSize × hessianSize (empty for an LP). */
  readonly hessian: Float64Array;
  readonly hessianSize: number;
  readonly cost: Float64Array;
  readonly colLower: Float64Array;
  readonly colUpper: Float64Array;
  readonly rows: readonly LinearRow[];
}

export const rowActivity = (row: LinearRow, x: ArrayLike<number>): number => {
  let s = 0;
  for (let k = 0; k < row.indices.length; k++) s += row.values[k]! * x[row.indices[k]!]!;
  return s;
};

/** Gradient Hx + c. */
export function gradient(qp: QuadraticProgram, x: ArrayLike<number>): Float64Array {
  const g = Float64Array.from(qp.cost);
  const k = qp.hessianSize;
  for (let i = 0; i < k; i++) {
    let s = 0;
    const row = i * k;
    for (let j = 0; j < k; j++) s += qp.hessian[row + j]! * x[j]!;
    g[i]! += s;
  }
  return g;
}
