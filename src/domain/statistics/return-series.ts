/**
 * The statistics every analytics module shares, on float64 return series (analytics may use floats;
 * money never does). Conventions, stated once: 252 periods per year, simple returns, sample
 * statistics with ddof = 1.
 */
export const PERIODS_PER_YEAR = 252;

/** Simple returns r_t = p_t / p_{t−1} − 1 of a price series (oldest first); one shorter than the prices. */
export function simpleReturns(prices: ArrayLike<number>): Float64Array {
  const n = Math.max(0, prices.length - 1);
  const out = new Float64Array(n);
  for (let i = 0; i < n; i++) out[i] = prices[i + 1]! / prices[i]! - 1;
  return out;
}

export function mean(xs: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < xs.length; i++) s += xs[i]!;
  return xs.length === 0 ? Number.NaN : s / xs.length;
}

/** Sample variance (ddof = 1 by default). */
export function variance(xs: ArrayLike<number>, ddof = 1): number {
  const n = xs.length;
  if (n - ddof <= 0) return Number.NaN;
  const m = mean(xs);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i]! - m) ** 2;
  return s / (n - ddof);
}

export const standardDeviation = (xs: ArrayLike<number>, ddof = 1): number => Math.sqrt(variance(xs, ddof));

/** Sample covariance of two equally long series (ddof = 1 by default). */
export function covariance(xs: ArrayLike<number>, ys: ArrayLike<number>, ddof = 1): number {
  const n = xs.length;
  if (n !== ys.length) throw new RangeError(`series of different lengths: ${n} and ${ys.length}`);
  if (n - ddof <= 0) return Number.NaN;
  const mx = mean(xs);
  const my = mean(ys);
  let s = 0;
  for (let i = 0; i < n; i++) s += (xs[i]! - mx) * (ys[i]! - my);
  return s / (n - ddof);
}

/** Return columns centred on their means, column-major: column i occupies [i·T, (i+1)·T). */
export interface CentredColumns {
  readonly means: Float64Array;
  readonly data: Float64Array;
  readonly assets: number;
  readonly periods: number;
}

/**
 * The sample covariance (ddof 1 by default) of centred columns, row-major N × N, times `scale`.
 * Each pass over column i feeds four columns j, about twice as fast as one at a time (500 assets ×
 * 1,260 days in ~0.1 s here; mathjs takes seconds at that size, ARCHITECTURE §4).
 */
export function covarianceOfCentred(x: CentredColumns, scale = 1, ddof = 1): Float64Array {
  const { data, assets: n, periods: t } = x;
  const cov = new Float64Array(n * n);
  const denominator = t - ddof;
  const put = (i: number, j: number, s: number) => {
    cov[i * n + j] = cov[j * n + i] = (s / denominator) * scale;
  };
  for (let i = 0; i < n; i++) {
    const oi = i * t;
    let j = i;
    for (; j + 3 < n; j += 4) {
      const o0 = j * t;
      const o1 = o0 + t;
      const o2 = o1 + t;
      const o3 = o2 + t;
      let s0 = 0;
      let s1 = 0;
      let s2 = 0;
      let s3 = 0;
      for (let k = 0; k < t; k++) {
        const a = data[oi + k]!;
        s0 += a * data[o0 + k]!;
        s1 += a * data[o1 + k]!;
        s2 += a * data[o2 + k]!;
        s3 += a * data[o3 + k]!;
      }
      put(i, j, s0);
      put(i, j + 1, s1);
      put(i, j + 2, s2);
      put(i, j + 3, s3);
    }
    for (; j < n; j++) {
      const oj = j * t;
      let s = 0;
      for (let k = 0; k < t; k++) s += data[oi + k]! * data[oj + k]!;
      put(i, j, s);
    }
  }
  return cov;
}

/**
 * The sample covariance matrix of T × N returns given as N columns (one array per asset, equally
 * long), row-major in a Float64Array of N × N, times `scale` (252 annualises daily returns).
 */
export function covarianceMatrix(columns: ReadonlyArray<ArrayLike<number>>, scale = 1, ddof = 1): Float64Array {
  const n = columns.length;
  const t = n === 0 ? 0 : columns[0]!.length;
  const data = new Float64Array(n * t);
  const means = new Float64Array(n);
  columns.forEach((c, i) => {
    if (c.length !== t) throw new RangeError(`return series of different lengths: ${c.length} and ${t}`);
    const m = mean(c);
    means[i] = m;
    for (let k = 0; k < t; k++) data[i * t + k] = c[k]! - m;
  });
  return covarianceOfCentred({ means, data, assets: n, periods: t }, scale, ddof);
}
