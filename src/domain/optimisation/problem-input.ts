import { EigenvalueDecomposition, Matrix } from 'ml-matrix';
import { semidefiniteDefect } from './dense-linear-algebra';
import { InvalidOptimisationInputError } from './optimisation-errors';
import type { CovarianceRepair, OptimisationRequest, PortfolioConstraints } from './optimisation-types';

/** A validated problem in index space: what every objective works on. */
export interface PortfolioProblem {
  readonly assets: readonly string[];
  readonly n: number;
  /** Row-major N × N annual covariance. */
  readonly covariance: Float64Array;
  readonly expectedReturns: Float64Array | null;
  readonly riskFreeRate: number;
  readonly lower: Float64Array;
  readonly upper: Float64Array;
  readonly sectors: readonly SectorCap[];
  readonly turnover: { readonly current: Float64Array; readonly max: number } | null;
  readonly timeLimitSeconds: number;
  /** Notes the caller should see (a repaired or indefinite covariance). */
  readonly warnings: readonly string[];
}

export interface SectorCap {
  readonly sector: string;
  readonly members: readonly number[];
  readonly cap: number;
}

const finite = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x);

function fail(field: string, reason: string): never {
  throw new InvalidOptimisationInputError(field, reason);
}

/** Square, finite, symmetric (relative 1e-8) and PSD covariance as a row-major Float64Array. */
export function parseCovariance(
  rows: readonly (readonly number[])[],
  n: number,
  mode: CovarianceRepair = 'reject',
  warnings: string[] = [],
  field = 'covariance',
): Float64Array {
  if (!Array.isArray(rows) || rows.length !== n) fail(field, `must have ${n} rows (one per asset), got ${Array.isArray(rows) ? rows.length : typeof rows}`);
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    const row = rows[i]!;
    if (!Array.isArray(row) || row.length !== n) fail(`${field}[${i}]`, `must have ${n} columns (the matrix must be square), got ${Array.isArray(row) ? row.length : typeof row}`);
    for (let j = 0; j < n; j++) {
      const v = row[j];
      if (!finite(v)) fail(`${field}[${i}][${j}]`, `must be a finite number, got ${String(v)}`);
      out[i * n + j] = v;
    }
  }
  let scale = 0;
  for (let i = 0; i < n; i++) scale = Math.max(scale, Math.abs(out[i * n + i]!));
  for (let i = 0; i < n; i++) {
    if (out[i * n + i]! < 0) fail(`${field}[${i}][${i}]`, `variance must not be negative, got ${out[i * n + i]}`);
    for (let j = i + 1; j < n; j++) {
      const a = out[i * n + j]!;
      const b = out[j * n + i]!;
      if (Math.abs(a - b) > 1e-8 * Math.max(scale, Math.abs(a), Math.abs(b))) fail(field, `must be symmetric: [${i}][${j}] = ${a} but [${j}][${i}] = ${b}`);
      const avg = (a + b) / 2;
      out[i * n + j] = avg;
      out[j * n + i] = avg;
    }
  }
  if (mode === 'none') return out;
  const defect = semidefiniteDefect(out, n);
  if (defect >= 0) return out;
  if (mode === 'spectral') {
    const clipped = clipNegativeEigenvalues(out, n);
    warnings.push(`covariance was not positive semi-definite (smallest eigenvalue ${clipped.smallest.toPrecision(3)}); negative eigenvalues were clipped to 0`);
    return clipped.matrix;
  }
  fail(field, `must be positive semi-definite (a pivot of ${defect.toPrecision(3)} is negative)`);
}

/** PyPortfolioOpt's spectral fix: V diag(max(λ, 0)) Vᵀ (ml-matrix's symmetric eigensolver). */
function clipNegativeEigenvalues(a: Float64Array, n: number): { matrix: Float64Array; smallest: number } {
  const rows = Array.from({ length: n }, (_, i) => Array.from(a.subarray(i * n, (i + 1) * n)));
  const eig = new EigenvalueDecomposition(new Matrix(rows), { assumeSymmetric: true });
  const values = eig.realEigenvalues;
  const v = eig.eigenvectorMatrix;
  const out = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = i; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) s += v.get(i, k) * Math.max(values[k]!, 0) * v.get(j, k);
      out[i * n + j] = s;
      out[j * n + i] = s;
    }
  }
  return { matrix: out, smallest: Math.min(...values) };
}

export function parseVector(values: readonly number[] | undefined, n: number, field: string): Float64Array {
  if (!Array.isArray(values)) fail(field, 'is required for this objective');
  if (values.length !== n) fail(field, `must have ${n} entries (one per asset), got ${values.length}`);
  return Float64Array.from(values, (v, i) => (finite(v) ? v : fail(`${field}[${i}]`, `must be a finite number, got ${String(v)}`)));
}

function parseBounds(assets: readonly string[], c: PortfolioConstraints): { lower: Float64Array; upper: Float64Array } {
  const n = assets.length;
  const longOnly = c.longOnly ?? true;
  const globalMin = c.minWeight ?? (longOnly ? 0 : -1);
  const globalMax = c.maxWeight ?? 1;
  if (!finite(globalMin)) fail('constraints.minWeight', 'must be a finite number');
  if (!finite(globalMax)) fail('constraints.maxWeight', 'must be a finite number');
  if (longOnly && globalMin < 0) fail('constraints.minWeight', `must not be negative when longOnly, got ${globalMin}`);
  const lower = new Float64Array(n).fill(globalMin);
  const upper = new Float64Array(n).fill(globalMax);
  const index = new Map(assets.map((a, i) => [a, i]));
  for (const [asset, pair] of Object.entries(c.bounds ?? {})) {
    const i = index.get(asset);
    const field = `constraints.bounds.${asset}`;
    if (i === undefined) fail(field, 'names an asset that is not in assets');
    if (!Array.isArray(pair) || pair.length !== 2 || !finite(pair[0]) || !finite(pair[1])) fail(field, 'must be [min, max] with finite numbers');
    if (longOnly && pair[0] < 0) fail(field, `min must not be negative when longOnly, got ${pair[0]}`);
    lower[i] = pair[0];
    upper[i] = pair[1];
  }
  return { lower, upper };
}

function parseSectors(assets: readonly string[], c: PortfolioConstraints): SectorCap[] {
  if (c.maxSectorWeight === undefined) return [];
  if (c.sectors === undefined) fail('constraints.sectors', 'is required when maxSectorWeight is given');
  const index = new Map(assets.map((a, i) => [a, i]));
  const members = new Map<string, number[]>();
  for (const [asset, sector] of Object.entries(c.sectors)) {
    const i = index.get(asset);
    if (i === undefined) fail(`constraints.sectors.${asset}`, 'names an asset that is not in assets');
    if (typeof sector !== 'string' || sector === '') fail(`constraints.sectors.${asset}`, 'must be a sector name');
    const list = members.get(sector) ?? [];
    list.push(i);
    members.set(sector, list);
  }
  const caps = c.maxSectorWeight;
  const out: SectorCap[] = [];
  if (typeof caps === 'number') {
    if (!finite(caps)) fail('constraints.maxSectorWeight', 'must be a finite number');
    for (const [sector, list] of members) out.push({ sector, members: list, cap: caps });
  } else {
    for (const [sector, cap] of Object.entries(caps)) {
      if (!finite(cap)) fail(`constraints.maxSectorWeight.${sector}`, 'must be a finite number');
      const list = members.get(sector);
      if (list === undefined) fail(`constraints.maxSectorWeight.${sector}`, 'names a sector no asset belongs to');
      out.push({ sector, members: list, cap });
    }
  }
  return out;
}

function parseTurnover(assets: readonly string[], c: PortfolioConstraints): PortfolioProblem['turnover'] {
  if (c.maxTurnover === undefined) return null;
  if (!finite(c.maxTurnover) || c.maxTurnover < 0) fail('constraints.maxTurnover', 'must be a non-negative number');
  if (c.currentWeights === undefined) fail('constraints.currentWeights', 'is required when maxTurnover is given');
  const index = new Map(assets.map((a, i) => [a, i]));
  const current = new Float64Array(assets.length);
  for (const [asset, w] of Object.entries(c.currentWeights)) {
    const i = index.get(asset);
    if (i === undefined) fail(`constraints.currentWeights.${asset}`, 'names an asset that is not in assets');
    if (!finite(w)) fail(`constraints.currentWeights.${asset}`, 'must be a finite number');
    current[i] = w;
  }
  return { current, max: c.maxTurnover };
}

/** Validates a request into index space. Objective-specific fields are checked by each objective. */
export function parseProblem(request: OptimisationRequest, needsExpectedReturns: boolean): PortfolioProblem {
  const assets = request.assets;
  if (!Array.isArray(assets) || assets.length === 0) fail('assets', 'must name at least one asset');
  if (new Set(assets).size !== assets.length) fail('assets', 'must not repeat a name');
  const n = assets.length;
  const warnings: string[] = [];
  const repair = request.covarianceRepair ?? 'reject';
  if (!['reject', 'spectral', 'none'].includes(repair)) fail('covarianceRepair', `must be reject, spectral or none, got ${String(repair)}`);
  const covariance = parseCovariance(request.covariance, n, repair, warnings);
  if (repair === 'none' && semidefiniteDefect(covariance, n) < 0) {
    warnings.push('covariance is not positive semi-definite and was used as given: the weights satisfy the KKT conditions (a local optimum) but are not certified global');
  }
  const expectedReturns =
    needsExpectedReturns || request.expectedReturns !== undefined ? parseVector(request.expectedReturns, n, 'expectedReturns') : null;
  const riskFreeRate = request.riskFreeRate ?? 0;
  if (!finite(riskFreeRate)) fail('riskFreeRate', 'must be a finite number');
  const constraints = request.constraints ?? {};
  const { lower, upper } = parseBounds(assets, constraints);
  const timeLimitSeconds = request.timeLimitSeconds ?? 10;
  if (!finite(timeLimitSeconds) || timeLimitSeconds <= 0) fail('timeLimitSeconds', 'must be a positive number');
  return {
    assets,
    n,
    covariance,
    expectedReturns,
    riskFreeRate,
    lower,
    upper,
    sectors: parseSectors(assets, constraints),
    turnover: parseTurnover(assets, constraints),
    timeLimitSeconds,
    warnings,
  };
}
