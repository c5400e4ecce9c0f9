import { AnalyticsInputError } from '../analytics-input-error';
import { brinsonAttribution, type AttributionOptions, type AttributionPeriodInput, type BrinsonMethod, type Effects, type PeriodAttribution } from './brinson-attribution';
import { compound, linkingMultipliers, type LinkingMethod } from './multi-period-linking';
import { rankContributions, type RankedContributions } from './top-contributors';

/**
 * Brinson attribution over several periods, each period's effects linked (Carino by default, or
 * GRAP) so that the linked allocation + selection + interaction equals the compounded active return
 * Π(1 + R_p) − Π(1 + R_b); per group, and the top contributors / detractors to the active return by
 * linked group total. One period is the single-period attribution (the multiplier is 1 under GRAP,
 * and Carino's is 1 too).
 */
export interface LinkedAttributionOptions extends AttributionOptions {
  /** Default 'carino'. */
  readonly linking?: LinkingMethod;
  /** How many top contributors and detractors to list (default 5). */
  readonly top?: number;
}

export interface LinkedGroupEffects extends Effects {
  readonly group: string;
}

export interface LinkedAttribution extends Effects {
  readonly method: BrinsonMethod;
  readonly linking: LinkingMethod;
  /** Compounded over the periods. */
  readonly portfolioReturn: number;
  readonly benchmarkReturn: number;
  readonly activeReturn: number;
  readonly groups: readonly LinkedGroupEffects[];
  readonly periods: readonly PeriodAttribution[];
  /** The groups adding most to and taking most from the active return (linked totals). */
  readonly topContributors: RankedContributions['contributors'];
  readonly topDetractors: RankedContributions['detractors'];
}

export function linkedAttribution(periods: readonly AttributionPeriodInput[], o: LinkedAttributionOptions): LinkedAttribution {
  if (periods.length === 0) throw new AnalyticsInputError('ANALYTICS_SERIES_EMPTY', 'periods', 'must not be empty');
  const linking = o.linking ?? 'carino';
  const each = periods.map((p) => brinsonAttribution(p, o));
  const rp = each.map((p) => p.portfolioReturn);
  const rb = each.map((p) => p.benchmarkReturn);
  const m = linkingMultipliers(rp, rb, linking);
  const byGroup = new Map<string, { allocation: number; selection: number; interaction: number }>();
  let allocation = 0, selection = 0, interaction = 0;
  each.forEach((period, t) => {
    const mt = m[t]!;
    allocation += period.allocation * mt;
    selection += period.selection * mt;
    interaction += period.interaction * mt;
    for (const g of period.groups) {
      const acc = byGroup.get(g.group) ?? { allocation: 0, selection: 0, interaction: 0 };
      acc.allocation += g.allocation * mt;
      acc.selection += g.selection * mt;
      acc.interaction += g.interaction * mt;
      byGroup.set(g.group, acc);
    }
  });
  const groups = [...byGroup].sort(([a], [b]) => a.localeCompare(b)).map(([group, e]) => ({
    group, ...e, total: e.allocation + e.selection + e.interaction,
  }));
  const portfolioReturn = compound(rp);
  const benchmarkReturn = compound(rb);
  const ranked = rankContributions(groups.map((g) => ({ id: g.group, contribution: g.total })), o.top ?? 5);
  return {
    method: each[0]!.method,
    linking,
    portfolioReturn,
    benchmarkReturn,
    activeReturn: portfolioReturn - benchmarkReturn,
    allocation, selection, interaction,
    total: allocation + selection + interaction,
    groups,
    periods: each,
    topContributors: ranked.contributors,
    topDetractors: ranked.detractors,
  };
}
