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

/**
 * The sample covariance matrix of T × N returns given as N columns (one array per asset, equally
 * long), row-major in a Float64Array of N × N, times `scale` (252 annualises daily returns).
 */
export function covarianceMatrix(columns: ReadonlyArray<ArrayLike<number>>, scale = 1, ddof = 1): Float64Array {
  const n = columns.length;
  const t = n === 0 ? 0 : columns[0]!.length;
  const centred = columns.map((c) => {
    if (c.length !== t) throw new RangeError(`return series of different lengths: ${c.length} and ${t}`);
    const m = mean(c);
    const out = new Float64Array(t);
    for (let k = 0; k < t; k++) out[k] = c[k]! - m;
    return out;
  });
  const cov = new Float64Array(n * n);
  const denominator = t - ddof;
  for (let i = 0; i < n; i++) {
    const ci = centred[i]!;
    for (let j = i; j < n; j++) {
      const cj = centred[j]!;
      let s = 0;
      for (let k = 0; k < t; k++) s += ci[k]! * cj[k]!;
      const v = (s / denominator) * scale;
      cov[i * n + j] = v;
      cov[j * n + i] = v;
    }
  }
  return cov;
}
