import { standardDeviation } from '../../statistics/return-series';
import { AnalyticsInputError } from '../analytics-input-error';

/**
 * How a total risk budget is shared among entities (strategies, sectors, assets): each allocation
 * type gives every entity a share f_i ≥ 0 with Σ f_i = 1, and entity i is allocated f_i × total.
 *
 *   equal_risk          f_i = 1/N
 *   volatility_weighted f_i ∝ σ_i, the entity's own return volatility (riskier entities are given
 *                       more room, in proportion to how much they naturally move)
 *   confidence_weighted f_i ∝ the entity's confidence (in [0, 1])
 *   strategy_weighted   f_i ∝ strategyWeights[id]
 *   sector_weighted     each sector's weight sectorWeights[sector] shared equally by its entities
 *   custom              f_i = custom[id], given as shares that sum to 1
 */
export const ALLOCATION_TYPES = ['equal_risk', 'volatility_weighted', 'confidence_weighted', 'strategy_weighted', 'sector_weighted', 'custom'] as const;
export type AllocationType = (typeof ALLOCATION_TYPES)[number];

export interface BudgetAllocation {
  readonly type: AllocationType;
  readonly strategyWeights?: Readonly<Record<string, number>>;
  readonly sectorWeights?: Readonly<Record<string, number>>;
  readonly custom?: Readonly<Record<string, number>>;
}

export interface AllocatableEntity {
  readonly id: string;
  readonly returns: ArrayLike<number>;
  readonly confidence?: number;
  readonly sector?: string;
}

const SHARE_SUM_TOLERANCE = 1e-6;

function normalise(raw: readonly number[], field: string): number[] {
  const sum = raw.reduce((s, v) => s + v, 0);
  if (!(sum > 0)) throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', field, 'must give at least one entity a positive share');
  return raw.map((v) => v / sum);
}

function nonNegative(v: number | undefined, field: string): number {
  if (v === undefined) throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', field, 'is missing');
  if (!Number.isFinite(v) || v < 0) throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', field, 'must be a finite number of at least 0');
  return v;
}

function unknownKeys(map: Readonly<Record<string, number>>, known: ReadonlySet<string>, field: string): void {
  for (const k of Object.keys(map)) {
    if (!known.has(k)) throw new AnalyticsInputError('ANALYTICS_UNKNOWN_KEY', `${field}.${k}`, 'names nothing in the budget');
  }
}

/** The share of the total budget of each entity, in the entities' order. */
export function allocationShares(entities: readonly AllocatableEntity[], allocation: BudgetAllocation): number[] {
  const ids = new Set(entities.map((e) => e.id));
  switch (allocation.type) {
    case 'equal_risk':
      return entities.map(() => 1 / entities.length);
    case 'volatility_weighted':
      return normalise(entities.map((e) => standardDeviation(e.returns)), 'allocation.type');
    case 'confidence_weighted':
      return normalise(entities.map((e, i) => {
        const c = nonNegative(e.confidence, `entities[${i}].confidence`);
        if (c > 1) throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', `entities[${i}].confidence`, 'must be between 0 and 1');
        return c;
      }), 'entities.confidence');
    case 'strategy_weighted': {
      const weights = allocation.strategyWeights ?? {};
      unknownKeys(weights, ids, 'allocation.strategyWeights');
      return normalise(entities.map((e) => nonNegative(weights[e.id], `allocation.strategyWeights.${e.id}`)), 'allocation.strategyWeights');
    }
    case 'sector_weighted': {
      const weights = allocation.sectorWeights ?? {};
      const sectors = entities.map((e, i) => {
        if (e.sector === undefined) throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', `entities[${i}].sector`, 'is needed for a sector-weighted budget');
        return e.sector;
      });
      unknownKeys(weights, new Set(sectors), 'allocation.sectorWeights');
      const members = new Map<string, number>();
      sectors.forEach((s) => members.set(s, (members.get(s) ?? 0) + 1));
      return normalise(sectors.map((s) => nonNegative(weights[s], `allocation.sectorWeights.${s}`) / members.get(s)!), 'allocation.sectorWeights');
    }
    case 'custom': {
      const shares = allocation.custom ?? {};
      unknownKeys(shares, ids, 'allocation.custom');
      const raw = entities.map((e) => nonNegative(shares[e.id], `allocation.custom.${e.id}`));
      const sum = raw.reduce((s, v) => s + v, 0);
      if (Math.abs(sum - 1) > SHARE_SUM_TOLERANCE) {
        throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', 'allocation.custom', `shares must sum to 1, they sum to ${sum}`);
      }
      return raw;
    }
    default:
      throw new AnalyticsInputError('ANALYTICS_BUDGET_INVALID', 'allocation.type', `must be one of ${ALLOCATION_TYPES.join(', ')}`);
  }
}
