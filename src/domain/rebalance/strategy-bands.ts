import { Decimal, ZERO, sum } from '../values/decimal';
import { RebalancePlanError } from './rebalance-plan-error';
import type { PlanNote, StrategyBand, Weight } from './rebalance-types';

const band = (target: string, min: string, max: string): StrategyBand => ({
  target: new Decimal(target), min: new Decimal(min), max: new Decimal(max), threshold: new Decimal('0.05'),
});

/** The default allocation table (target / min / max, threshold 5 %). Σ targets = 100 %. */
export const DEFAULT_STRATEGY_BANDS: Readonly<Record<string, StrategyBand>> = {
  arbitrage: band('0.25', '0.15', '0.35'),
  trend_following: band('0.20', '0.10', '0.30'),
  market_making: band('0.15', '0.05', '0.25'),
  htf: band('0.15', '0.05', '0.25'),
  news_driven: band('0.15', '0.05', '0.25'),
  statistical_arbitrage: band('0.10', '0.05', '0.20'),
};

export interface BandTargets {
  readonly weights: ReadonlyMap<string, Weight>;
  /** Symbols whose strategy is outside its band or beyond its threshold. */
  readonly beyondThreshold: ReadonlySet<string>;
  readonly strategyOf: ReadonlyMap<string, string>;
  readonly notes: readonly PlanNote[];
}

function checkBands(bands: Readonly<Record<string, StrategyBand>>): void {
  const targets: Decimal[] = [];
  for (const [name, b] of Object.entries(bands)) {
    for (const key of ['target', 'min', 'max', 'threshold'] as const) {
      const v = b[key];
      if (!v.isFinite()) throw new RebalancePlanError('REBALANCE_VALUE_NOT_FINITE', `targets.bands.${name}.${key}`, 'must be a finite number');
      if (v.isNegative() || v.gt(1)) throw new RebalancePlanError('REBALANCE_BAND_INVALID', `targets.bands.${name}.${key}`, 'must be within [0, 1]');
    }
    if (b.min.gt(b.target) || b.target.gt(b.max)) {
      throw new RebalancePlanError('REBALANCE_BAND_INVALID', `targets.bands.${name}`, 'needs min ≤ target ≤ max');
    }
    targets.push(b.target);
  }
  if (sum(targets).gt(1)) throw new RebalancePlanError('REBALANCE_WEIGHTS_EXCEED_ONE', 'targets.bands', 'strategy targets sum to more than 1');
}

/**
 * A strategy outside [min, max] or more than its threshold away from target is brought back to
 * target pro rata across its positions (each keeps its share of the strategy); a breached strategy
 * with no position is split equally across the symbols mapped to it. Strategies within band keep
 * their current weights, and so do positions mapped to no strategy (noted).
 */
export function bandTargets(
  currentWeights: ReadonlyMap<string, Weight>,
  strategyOfInput: Readonly<Record<string, string>>,
  bands: Readonly<Record<string, StrategyBand>>,
): BandTargets {
  checkBands(bands);
  const notes: PlanNote[] = [];
  const strategyOf = new Map<string, string>();
  for (const symbol of Object.keys(strategyOfInput).sort()) {
    const strategy = strategyOfInput[symbol] as string;
    if (bands[strategy] === undefined) throw new RebalancePlanError('REBALANCE_BAND_INVALID', `targets.strategyOf.${symbol}`, `no band for strategy ${JSON.stringify(strategy)}`);
    strategyOf.set(symbol, strategy);
  }
  const weights = new Map<string, Weight>();
  const beyond = new Set<string>();
  for (const [symbol, w] of currentWeights) {
    if (!strategyOf.has(symbol)) {
      weights.set(symbol, w);
      notes.push({ code: 'POSITION_UNMAPPED', symbol, message: `${symbol} maps to no strategy and is left as it is` });
    }
  }
  for (const name of Object.keys(bands).sort()) {
    const b = bands[name] as StrategyBand;
    const members = [...strategyOf].filter(([, s]) => s === name).map(([symbol]) => symbol);
    const current = sum(members.map((s) => currentWeights.get(s) ?? ZERO));
    const outOfBand = current.lt(b.min) || current.gt(b.max);
    const beyondThreshold = current.minus(b.target).abs().gt(b.threshold);
    if (!outOfBand && !beyondThreshold) {
      for (const s of members) weights.set(s, currentWeights.get(s) ?? ZERO);
      continue;
    }
    if (members.length === 0) {
      notes.push({ code: 'STRATEGY_EMPTY', message: `strategy ${name} is at ${current.toFixed()} (band ${b.min.toFixed()}–${b.max.toFixed()}) but has no symbol to trade` });
      continue;
    }
    notes.push({ code: 'STRATEGY_OUT_OF_BAND', message: `strategy ${name} at ${current.toDecimalPlaces(6).toFixed()} is ${outOfBand ? 'outside its band' : 'beyond its threshold'}; brought back to ${b.target.toFixed()}` });
    for (const s of members) {
      const share = current.isZero() ? new Decimal(1).div(members.length) : (currentWeights.get(s) ?? ZERO).div(current);
      weights.set(s, b.target.times(share));
      beyond.add(s);
    }
  }
  return { weights, beyondThreshold: beyond, strategyOf, notes };
}
