import { AnalyticsInputError } from '../analytics-input-error';

/**
 * Single-period Brinson attribution by any grouping key. For group i with portfolio and benchmark
 * weights w_p, w_b and returns r_p, r_b, and benchmark total R_b:
 *
 *   Brinson-Hood-Beebower: allocation = (w_p − w_b)·r_b
 *   Brinson-Fachler:       allocation = (w_p − w_b)·(r_b − R_b)
 *   both:                  selection = w_b·(r_p − r_b), interaction = (w_p − w_b)·(r_p − r_b)
 *
 * and allocation + selection + interaction summed over the groups equals the active return
 * R_p − R_b = Σ w_p r_p − Σ w_b r_b (Brinson-Fachler needs Σ w_p = Σ w_b for that; cash is a group).
 *
 * Groups only one side holds: a group the portfolio does not hold takes r_p = r_b (it selected
 * nothing: selection and interaction 0, allocation −w_b·r_b under BHB). A group the benchmark does
 * not hold takes r_b = `unheldGroupBenchmarkReturns[group]` when given (e.g. a sector index), else
 * the benchmark total R_b (so Fachler's allocation is 0 and the group's return over R_b is
 * interaction); its selection is 0 since w_b = 0.
 */
export interface AttributionHolding {
  /** The holding's identifier (the symbol): groupBy 'symbol' groups by it. */
  readonly id: string;
  readonly weight: number;
  /** The holding's simple return over the period. */
  readonly return: number;
  /** Grouping keys, e.g. { sector: 'TECH', strategy: 'momentum', instrumentType: 'EQUITY' }. */
  readonly groups?: Readonly<Record<string, string>>;
}

export interface AttributionPeriodInput {
  readonly portfolio: readonly AttributionHolding[];
  readonly benchmark: readonly AttributionHolding[];
  /** A label for the period (its end date), echoed in the answer. */
  readonly label?: string;
}

export type BrinsonMethod = 'brinson-hood-beebower' | 'brinson-fachler';

export interface AttributionOptions {
  /** 'symbol' (the holding id) or a key of the holdings' `groups`. */
  readonly groupBy: string;
  /** Default 'brinson-fachler'. */
  readonly method?: BrinsonMethod;
  /** Benchmark returns for groups the benchmark does not hold (default: the benchmark total). */
  readonly unheldGroupBenchmarkReturns?: Readonly<Record<string, number>>;
  /** Group of a holding without the `groupBy` key (default 'UNCLASSIFIED'). */
  readonly unclassified?: string;
}

export interface Effects {
  readonly allocation: number;
  readonly selection: number;
  readonly interaction: number;
  /** allocation + selection + interaction. */
  readonly total: number;
}

export interface GroupAttribution extends Effects {
  readonly group: string;
  readonly portfolioWeight: number;
  readonly benchmarkWeight: number;
  /** The group's return in the portfolio; null when the portfolio does not hold it. */
  readonly portfolioReturn: number | null;
  /** The group's return in the benchmark; null when the benchmark does not hold it. */
  readonly benchmarkReturn: number | null;
  /** The benchmark return the effects used (the substitute when the benchmark does not hold the group). */
  readonly effectiveBenchmarkReturn: number;
}

export interface PeriodAttribution extends Effects {
  readonly label?: string;
  readonly method: BrinsonMethod;
  readonly portfolioReturn: number;
  readonly benchmarkReturn: number;
  /** portfolioReturn − benchmarkReturn; equals total. */
  readonly activeReturn: number;
  /** Sorted by group name. */
  readonly groups: readonly GroupAttribution[];
}

/** Sums within 1e-6 count as equal for Brinson-Fachler. */
const WEIGHT_SUM_TOLERANCE = 1e-6;
/** A group whose weights net to less than this is not held. */
const ZERO_WEIGHT = 1e-14;

interface Side {
  weight: number;
  contribution: number;
}

function aggregate(holdings: readonly AttributionHolding[], side: string, o: AttributionOptions): { groups: Map<string, Side>; total: number; weight: number } {
  const groups = new Map<string, Side>();
  let total = 0;
  let weight = 0;
  holdings.forEach((h, i) => {
    if (!Number.isFinite(h.weight)) throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `${side}[${i}].weight`, 'must be a finite number');
    if (!Number.isFinite(h.return)) throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `${side}[${i}].return`, 'must be a finite number');
    const key = o.groupBy === 'symbol' ? h.id : (h.groups?.[o.groupBy] ?? o.unclassified ?? 'UNCLASSIFIED');
    const g = groups.get(key) ?? { weight: 0, contribution: 0 };
    g.weight += h.weight;
    g.contribution += h.weight * h.return;
    groups.set(key, g);
    total += h.weight * h.return;
    weight += h.weight;
  });
  for (const [key, g] of groups) {
    if (Math.abs(g.weight) < ZERO_WEIGHT && Math.abs(g.contribution) > ZERO_WEIGHT) {
      throw new AnalyticsInputError('ANALYTICS_GROUP_NET_WEIGHT_ZERO', `${side}.${key}`,
        'nets to zero weight but contributes a return: its group return is undefined; group it with its hedge or by another key');
    }
  }
  return { groups, total, weight };
}

export function brinsonAttribution(period: AttributionPeriodInput, o: AttributionOptions): PeriodAttribution {
  const method = o.method ?? 'brinson-fachler';
  if (method !== 'brinson-fachler' && method !== 'brinson-hood-beebower') {
    throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', 'method', "must be 'brinson-hood-beebower' or 'brinson-fachler'");
  }
  const p = aggregate(period.portfolio, 'portfolio', o);
  const b = aggregate(period.benchmark, 'benchmark', o);
  if (method === 'brinson-fachler' && Math.abs(p.weight - b.weight) > WEIGHT_SUM_TOLERANCE) {
    throw new AnalyticsInputError('ANALYTICS_WEIGHTS_MISMATCH', 'portfolio',
      `weights sum to ${p.weight} where the benchmark's sum to ${b.weight}; Brinson-Fachler needs equal sums (add cash as a group)`);
  }
  const keys = [...new Set([...p.groups.keys(), ...b.groups.keys()])].sort();
  let allocation = 0, selection = 0, interaction = 0;
  const groups = keys.map((group): GroupAttribution => {
    const pg = p.groups.get(group);
    const bg = b.groups.get(group);
    const wp = pg?.weight ?? 0;
    const wb = bg?.weight ?? 0;
    const benchmarkHolds = Math.abs(wb) >= ZERO_WEIGHT;
    const portfolioHolds = Math.abs(wp) >= ZERO_WEIGHT;
    const benchmarkReturn = benchmarkHolds ? bg!.contribution / wb : null;
    const override = o.unheldGroupBenchmarkReturns?.[group];
    if (override !== undefined && !Number.isFinite(override)) {
      throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `unheldGroupBenchmarkReturns.${group}`, 'must be a finite number');
    }
    const rb = benchmarkReturn ?? override ?? b.total;
    const portfolioReturn = portfolioHolds ? pg!.contribution / wp : null;
    const rp = portfolioReturn ?? rb;
    const a = method === 'brinson-hood-beebower' ? (wp - wb) * rb : (wp - wb) * (rb - b.total);
    const s = wb * (rp - rb);
    const x = (wp - wb) * (rp - rb);
    allocation += a;
    selection += s;
    interaction += x;
    return {
      group, portfolioWeight: wp, benchmarkWeight: wb, portfolioReturn, benchmarkReturn, effectiveBenchmarkReturn: rb,
      allocation: a, selection: s, interaction: x, total: a + s + x,
    };
  });
  return {
    ...(period.label !== undefined ? { label: period.label } : {}),
    method,
    portfolioReturn: p.total,
    benchmarkReturn: b.total,
    activeReturn: p.total - b.total,
    allocation, selection, interaction,
    total: allocation + selection + interaction,
    groups,
  };
}
