import { AnalyticsInputError } from '../analytics-input-error';
import type { AttributionHolding } from './brinson-attribution';
import { compound, linkingMultipliers, type LinkingMethod } from './multi-period-linking';

/** Contributions ranked: the largest positive ones (contributors) and the most negative (detractors). */
export interface Contribution {
  readonly id: string;
  readonly contribution: number;
}

export interface RankedContributions {
  /** Largest positive first; at most `count`. */
  readonly contributors: readonly Contribution[];
  /** Most negative first; at most `count`. */
  readonly detractors: readonly Contribution[];
}

export function rankContributions(items: readonly Contribution[], count = 5): RankedContributions {
  if (!Number.isInteger(count) || count < 0) throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', 'top', 'must be a non-negative integer');
  const sorted = [...items].sort((a, b) => b.contribution - a.contribution || a.id.localeCompare(b.id));
  return {
    contributors: sorted.filter((c) => c.contribution > 0).slice(0, count),
    detractors: sorted.filter((c) => c.contribution < 0).reverse().slice(0, count),
  };
}

/**
 * Each holding's contribution to the portfolio's return over one or more periods: w·r per period,
 * linked across periods like the attribution (against a zero benchmark), so the contributions sum to
 * the compounded portfolio return Π(1 + R_t) − 1. Ranked into top contributors and detractors.
 */
export function holdingContributions(
  periods: ReadonlyArray<readonly AttributionHolding[]>,
  o: { readonly top?: number; readonly linking?: LinkingMethod } = {},
): RankedContributions & { readonly portfolioReturn: number; readonly all: readonly Contribution[] } {
  if (periods.length === 0) throw new AnalyticsInputError('ANALYTICS_SERIES_EMPTY', 'periods', 'must not be empty');
  const totals = periods.map((holdings, t) =>
    holdings.reduce((s, h, i) => {
      if (!Number.isFinite(h.weight) || !Number.isFinite(h.return)) {
        throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `periods[${t}][${i}]`, 'weight and return must be finite numbers');
      }
      return s + h.weight * h.return;
    }, 0),
  );
  const m = linkingMultipliers(totals, totals.map(() => 0), o.linking ?? 'carino');
  const byId = new Map<string, number>();
  periods.forEach((holdings, t) => {
    for (const h of holdings) byId.set(h.id, (byId.get(h.id) ?? 0) + h.weight * h.return * m[t]!);
  });
  const all = [...byId].map(([id, contribution]) => ({ id, contribution })).sort((a, b) => a.id.localeCompare(b.id));
  return { ...rankContributions(all, o.top ?? 5), portfolioReturn: compound(totals), all };
}
