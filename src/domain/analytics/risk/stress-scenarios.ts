import { AnalyticsInputError } from '../analytics-input-error';
import type { ExposurePosition } from './exposure';

/**
 * Stress scenarios: given shocks (simple returns, −0.2 = a 20 % fall) per asset and/or per sector,
 * the book's P&L Σ value_i · shock_i and its return P&L / equity. An asset's own shock wins over its
 * sector's; `defaultShock` (0 unless given) covers everything else. Shorts gain when prices fall.
 */
export interface StressScenario {
  readonly name: string;
  readonly assetShocks?: Readonly<Record<string, number>>;
  readonly sectorShocks?: Readonly<Record<string, number>>;
  readonly defaultShock?: number;
}

export interface StressResult {
  readonly name: string;
  readonly pnl: number;
  readonly return: number;
  /** P&L per asset, worst first. */
  readonly byAsset: ReadonlyArray<{ readonly asset: string; readonly shock: number; readonly pnl: number }>;
}

function checkShocks(shocks: Readonly<Record<string, number>> | undefined, field: string): void {
  for (const [k, v] of Object.entries(shocks ?? {})) {
    if (!Number.isFinite(v) || v < -1) throw new AnalyticsInputError('ANALYTICS_VALUE_OUT_OF_RANGE', `${field}.${k}`, 'must be a finite simple return of at least -1');
  }
}

/** Runs each scenario on the book. `equity` defaults to the net value of the book and must be positive. */
export function stressTest(positions: readonly ExposurePosition[], scenarios: readonly StressScenario[], equity?: number): StressResult[] {
  let net = 0;
  positions.forEach((p, i) => {
    if (!Number.isFinite(p.value)) throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `positions[${i}].value`, 'must be a finite number');
    net += p.value;
  });
  const base = equity ?? net;
  if (!(Number.isFinite(base) && base > 0)) {
    throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', 'equity', 'must be positive (give it explicitly for a book whose net value is not)');
  }
  const held = new Set(positions.map((p) => p.asset));
  return scenarios.map((s, si) => {
    checkShocks(s.assetShocks, `scenarios[${si}].assetShocks`);
    checkShocks(s.sectorShocks, `scenarios[${si}].sectorShocks`);
    for (const asset of Object.keys(s.assetShocks ?? {})) {
      if (!held.has(asset)) throw new AnalyticsInputError('ANALYTICS_UNKNOWN_KEY', `scenarios[${si}].assetShocks.${asset}`, 'is not a position of the book');
    }
    const fallback = s.defaultShock ?? 0;
    const byAsset = positions.map((p) => {
      const shock = s.assetShocks?.[p.asset] ?? (p.sector !== undefined ? s.sectorShocks?.[p.sector] : undefined) ?? fallback;
      return { asset: p.asset, shock, pnl: p.value * shock };
    });
    const pnl = byAsset.reduce((acc, a) => acc + a.pnl, 0);
    return { name: s.name, pnl, return: pnl / base, byAsset: byAsset.sort((a, b) => a.pnl - b.pnl) };
  });
}
