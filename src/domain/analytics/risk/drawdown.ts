import { AnalyticsInputError } from '../analytics-input-error';
import { requireFiniteSeries, type Series } from '../series-checks';

/**
 * Max drawdown on compounded wealth W₀ = 1, W_t = Π_{s≤t}(1 + r_s), with the start counted as a
 * peak: value = max_t (1 − W_t / max_{s≤t} W_s), a fraction in [0, 1] reported as a positive loss.
 *
 * `peak`, `trough` and `recovery` are indices into that wealth curve: point 0 is the start, point t
 * the wealth after the t-th return (so with `dates` given for the returns, point t ends on
 * dates[t − 1] and point 0 on `startDate`, if any). The trough is the first point of the deepest
 * drawdown, the peak the first point that set the high it fell from, the recovery the first later
 * point back at or above that high (null while not recovered). No drawdown: value 0, all null.
 */
export interface MaxDrawdown {
  readonly value: number;
  readonly peak: number | null;
  readonly trough: number | null;
  readonly recovery: number | null;
  readonly peakDate?: string | null;
  readonly troughDate?: string | null;
  readonly recoveryDate?: string | null;
  /** Periods from peak to recovery (null while not recovered). */
  readonly duration: number | null;
}

export interface DrawdownDates {
  /** The date each return ends on (as many as the returns). */
  readonly dates: readonly string[];
  /** The date of the starting value, before the first return (optional). */
  readonly startDate?: string;
}

/** The compounded wealth curve, one longer than the returns, starting at 1. */
export function wealthCurve(returns: Series): Float64Array {
  const w = new Float64Array(returns.length + 1);
  w[0] = 1;
  for (let t = 0; t < returns.length; t++) w[t + 1] = w[t]! * (1 + returns[t]!);
  return w;
}

/** The max drawdown of an already computed wealth curve (no input checks; for the hot paths). */
export function maxDrawdownOfWealth(w: Float64Array): { value: number; peak: number | null; trough: number | null; recovery: number | null } {
  let high = w[0]!;
  let highAt = 0;
  let worst = 0;
  let peak = -1;
  let trough = -1;
  for (let t = 1; t < w.length; t++) {
    const v = w[t]!;
    if (v > high) {
      high = v;
      highAt = t;
    } else {
      const dd = 1 - v / high;
      if (dd > worst) {
        worst = dd;
        peak = highAt;
        trough = t;
      }
    }
  }
  if (trough < 0) return { value: 0, peak: null, trough: null, recovery: null };
  const peakWealth = w[peak]!;
  let recovery: number | null = null;
  for (let t = trough + 1; t < w.length; t++) {
    if (w[t]! >= peakWealth) {
      recovery = t;
      break;
    }
  }
  return { value: worst, peak, trough, recovery };
}

export function maxDrawdown(returns: Series, dates?: DrawdownDates): MaxDrawdown {
  requireFiniteSeries(returns, 'returns');
  for (let i = 0; i < returns.length; i++) {
    if (returns[i]! < -1) throw new AnalyticsInputError('ANALYTICS_VALUE_OUT_OF_RANGE', `returns[${i}]`, 'a simple return cannot be below -1 (a loss beyond everything)');
  }
  if (dates && dates.dates.length !== returns.length) {
    throw new AnalyticsInputError('ANALYTICS_LENGTH_MISMATCH', 'dates', `has ${dates.dates.length} values where returns has ${returns.length}`);
  }
  const core = maxDrawdownOfWealth(wealthCurve(returns));
  const duration = core.recovery !== null && core.peak !== null ? core.recovery - core.peak : null;
  if (!dates) return { ...core, duration };
  const dateOf = (point: number | null): string | null =>
    point === null ? null : point === 0 ? (dates.startDate ?? null) : dates.dates[point - 1]!;
  return { ...core, duration, peakDate: dateOf(core.peak), troughDate: dateOf(core.trough), recoveryDate: dateOf(core.recovery) };
}
