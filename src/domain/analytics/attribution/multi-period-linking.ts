import { AnalyticsInputError } from '../analytics-input-error';

/**
 * Multi-period linking: per-period multipliers m_t such that Σ_t m_t·(R_p,t − R_b,t) equals the
 * compounded active return Π(1 + R_p,t) − Π(1 + R_b,t). Multiplying each period's effects by m_t and
 * summing over periods therefore links them exactly.
 *
 *   Carino (1999): m_t = k_t / k with k_t = ln((1 + R_p,t)/(1 + R_b,t)) / (R_p,t − R_b,t)
 *                  (1/(1 + R_p,t) when equal) and k likewise on the compounded returns.
 *   GRAP (1997):   m_t = Π_{s<t}(1 + R_p,s) · Π_{s>t}(1 + R_b,s).
 */
export type LinkingMethod = 'carino' | 'grap';

const logRatioSlope = (rp: number, rb: number): number =>
  Math.abs(rp - rb) < 1e-15 ? 1 / (1 + rp) : (Math.log1p(rp) - Math.log1p(rb)) / (rp - rb);

export function compound(returns: readonly number[]): number {
  return returns.reduce((w, r) => w * (1 + r), 1) - 1;
}

export function linkingMultipliers(portfolio: readonly number[], benchmark: readonly number[], method: LinkingMethod): number[] {
  if (portfolio.length !== benchmark.length) {
    throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'benchmarkReturns', `has ${benchmark.length} periods where the portfolio has ${portfolio.length}`);
  }
  [...portfolio, ...benchmark].forEach((r, i) => {
    if (!(Number.isFinite(r) && r > -1)) throw new AnalyticsInputError('ANALYTICS_VALUE_OUT_OF_RANGE', `periods[${i % portfolio.length}]`, 'a period return must be finite and above -1 to link');
  });
  if (method === 'carino') {
    const k = logRatioSlope(compound(portfolio), compound(benchmark));
    return portfolio.map((rp, t) => logRatioSlope(rp, benchmark[t]!) / k);
  }
  if (method === 'grap') {
    const n = portfolio.length;
    const after = new Array<number>(n).fill(1);
    for (let t = n - 2; t >= 0; t--) after[t] = after[t + 1]! * (1 + benchmark[t + 1]!);
    let before = 1;
    return portfolio.map((rp, t) => {
      const m = before * after[t]!;
      before *= 1 + rp;
      return m;
    });
  }
  throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', 'linking', "must be 'carino' or 'grap'");
}
