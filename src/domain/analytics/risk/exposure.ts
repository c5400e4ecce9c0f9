import { AnalyticsInputError } from '../analytics-input-error';

/**
 * Exposures of a long/short book. Position values are signed (short < 0) and may be currency
 * amounts or weights; analytics use floats, so convert decimal money to numbers at the edge. With
 * `equity` given, every figure is also reported as a fraction of it.
 */
export interface ExposurePosition {
  readonly asset: string;
  /** Signed market value (or weight): shorts are negative. */
  readonly value: number;
  /** Beta to the market or benchmark (for the beta-adjusted exposure). */
  readonly beta?: number;
  readonly sector?: string;
}

export interface BetaAdjustedExposure {
  readonly long: number;
  readonly short: number;
  readonly gross: number;
  readonly net: number;
  /** Σ value·β over long positions, over shorts (≤ 0), net and gross. */
  readonly betaAdjustedLong: number;
  readonly betaAdjustedShort: number;
  readonly betaAdjustedNet: number;
  readonly betaAdjustedGross: number;
  /** The same divided by equity, when equity is given. */
  readonly relativeToEquity?: Omit<BetaAdjustedExposure, 'relativeToEquity'>;
}

const checkValue = (p: ExposurePosition, i: number) => {
  if (!Number.isFinite(p.value)) throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `positions[${i}].value`, 'must be a finite number');
};

function checkEquity(equity: number | undefined): void {
  if (equity !== undefined && !(Number.isFinite(equity) && equity > 0)) {
    throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', 'equity', 'must be a positive number');
  }
}

export function betaAdjustedExposure(positions: readonly ExposurePosition[], equity?: number): BetaAdjustedExposure {
  checkEquity(equity);
  let long = 0, short = 0, bLong = 0, bShort = 0, bGross = 0;
  positions.forEach((p, i) => {
    checkValue(p, i);
    if (p.beta === undefined || !Number.isFinite(p.beta)) {
      throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', `positions[${i}].beta`, 'a finite beta is required for the beta-adjusted exposure');
    }
    const b = p.value * p.beta;
    if (p.value >= 0) {
      long += p.value;
      bLong += b;
    } else {
      short += p.value;
      bShort += b;
    }
    bGross += Math.abs(b);
  });
  const figures = {
    long, short, gross: long - short, net: long + short,
    betaAdjustedLong: bLong, betaAdjustedShort: bShort, betaAdjustedNet: bLong + bShort, betaAdjustedGross: bGross,
  };
  if (equity === undefined) return figures;
  const rel = Object.fromEntries(Object.entries(figures).map(([k, v]) => [k, v / equity])) as typeof figures;
  return { ...figures, relativeToEquity: rel };
}

export interface SectorExposure {
  readonly long: number;
  readonly short: number;
  readonly gross: number;
  readonly net: number;
  /** Net as a share of the book's gross (or of equity when given). */
  readonly netShare: number;
  readonly grossShare: number;
}

/** Long, short, gross and net per sector; positions without a sector fall under `unclassified`. */
export function sectorExposure(positions: readonly ExposurePosition[], equity?: number, unclassified = 'UNCLASSIFIED'): Record<string, SectorExposure> {
  checkEquity(equity);
  const acc = new Map<string, { long: number; short: number }>();
  let bookGross = 0;
  positions.forEach((p, i) => {
    checkValue(p, i);
    const key = p.sector ?? unclassified;
    const a = acc.get(key) ?? { long: 0, short: 0 };
    if (p.value >= 0) a.long += p.value;
    else a.short += p.value;
    acc.set(key, a);
    bookGross += Math.abs(p.value);
  });
  const base = equity ?? bookGross;
  const out: Record<string, SectorExposure> = {};
  for (const [sector, { long, short }] of [...acc].sort(([a], [b]) => a.localeCompare(b))) {
    const gross = long - short;
    const net = long + short;
    out[sector] = { long, short, gross, net, netShare: base > 0 ? net / base : 0, grossShare: base > 0 ? gross / base : 0 };
  }
  return out;
}

export interface Concentration {
  /** Herfindahl–Hirschman index Σ s_i² of the shares s_i = |w_i| / Σ|w|, in [1/N, 1]. */
  readonly hhi: number;
  /** 1 / HHI: the number of equal positions with the same concentration. */
  readonly effectiveN: number;
  /** The largest share |w_i| / Σ|w|. */
  readonly largestShare: number;
}

export function concentration(values: ArrayLike<number>): Concentration {
  let gross = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (!Number.isFinite(v)) throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `weights[${i}]`, 'must be a finite number');
    gross += Math.abs(v);
  }
  if (gross === 0) return { hhi: 0, effectiveN: 0, largestShare: 0 };
  let hhi = 0;
  let largest = 0;
  for (let i = 0; i < values.length; i++) {
    const s = Math.abs(values[i]!) / gross;
    hhi += s * s;
    largest = Math.max(largest, s);
  }
  return { hhi, effectiveN: 1 / hhi, largestShare: largest };
}
