import { Decimal, toWire, ZERO } from '../values/decimal';
import { price, type Price } from '../values/price';
import type { PositionDirection } from '../portfolio/position-lifecycle';

/** How volatility is measured for a dynamic stop. */
export const STOP_METHODS = {
  ATR: 'Average true range over the lookback, in price units. From daily closes only (no high/low is stored), the true range of a day is |close − previous close|; the average is the simple mean of the lookback\'s true ranges.',
  STDDEV: 'Sample standard deviation (n − 1) of the lookback\'s simple daily returns, times the entry price.',
} as const;
export type StopMethod = keyof typeof STOP_METHODS;

/** Whether the stop protects a long (stop below, target above) or a short (stop above, target below). */

/** Defaults when a request leaves a parameter out. Distances are fractions of the entry price. */
export const DEFAULT_DYNAMIC_STOPS = Object.freeze({
  lookbackDays: Object.freeze({ ATR: 14, STDDEV: 20 } as Record<StopMethod, number>),
  stopMultiplier: new Decimal(2),
  takeProfitMultiplier: new Decimal(3),
  minDistancePct: new Decimal('0.005'),
  maxDistancePct: new Decimal('0.2'),
});

export const MAX_LOOKBACK_DAYS = 1000;

export interface DynamicStopsInput {
  readonly method: StopMethod;
  readonly direction: PositionDirection;
  readonly entryPrice: Price;
  /** Daily closes, oldest first; the last `lookbackDays + 1` are used. */
  readonly closes: readonly Price[];
  /** How many daily changes (true ranges or returns) the volatility is measured over. */
  readonly lookbackDays: number;
  readonly stopMultiplier: Decimal;
  readonly takeProfitMultiplier: Decimal;
  /** The nearest a stop or target may be to the entry, as a fraction of the entry price. */
  readonly minDistancePct: Decimal;
  /** The farthest a stop or target may be from the entry, as a fraction of the entry price (below 1). */
  readonly maxDistancePct: Decimal;
  readonly tickSize: Price;
}

export type DistanceClamp = 'MIN' | 'MAX' | null;

export interface DynamicStops {
  readonly method: StopMethod;
  readonly direction: PositionDirection;
  readonly lookbackDays: number;
  /** The volatility measure in price units: the ATR, or the return standard deviation × the entry price. */
  readonly volatility: Decimal;
  /** For STDDEV, the standard deviation of daily returns itself (a fraction); null for ATR. */
  readonly returnStdDev: Decimal | null;
  readonly entryPrice: Price;
  readonly stopLoss: Price;
  readonly takeProfit: Price;
  /** |entry − stop| and |target − entry| after the clamp and the tick grid. */
  readonly stopDistance: Decimal;
  readonly takeProfitDistance: Decimal;
  /** Which bound, if any, the multiplier's distance was moved to. */
  readonly stopClamp: DistanceClamp;
  readonly takeProfitClamp: DistanceClamp;
  readonly stopMultiplier: Decimal;
  readonly takeProfitMultiplier: Decimal;
  readonly minDistancePct: Decimal;
  readonly maxDistancePct: Decimal;
}

export type DynamicStopsErrorCode = 'STOPS_INPUT_INVALID' | 'PRICE_HISTORY_TOO_SHORT';

/** A dynamic stop that cannot be computed from what was given; `field` names the input at fault. */
export class DynamicStopsError extends Error {
  override readonly name = 'DynamicStopsError';
  constructor(readonly code: DynamicStopsErrorCode, readonly field: string, readonly rule: string, readonly details: Record<string, unknown> = {}) {
    super(`${field}: ${rule}`);
  }
}

const invalid = (field: string, rule: string) => new DynamicStopsError('STOPS_INPUT_INVALID', field, rule);

function validate(input: DynamicStopsInput): void {
  const positive = (value: Decimal, field: string) => {
    if (!value.isFinite() || !value.gt(0)) throw invalid(field, 'must be greater than zero');
  };
  positive(input.entryPrice, 'entryPrice');
  positive(input.tickSize, 'tickSize');
  positive(input.stopMultiplier, 'stopMultiplier');
  positive(input.takeProfitMultiplier, 'takeProfitMultiplier');
  const minLookback = input.method === 'STDDEV' ? 2 : 1;
  if (!Number.isInteger(input.lookbackDays) || input.lookbackDays < minLookback || input.lookbackDays > MAX_LOOKBACK_DAYS) {
    throw invalid('lookbackDays', `must be a whole number from ${minLookback} to ${MAX_LOOKBACK_DAYS}${input.method === 'STDDEV' ? ' (a sample standard deviation needs two returns)' : ''}`);
  }
  if (!input.minDistancePct.isFinite() || !input.minDistancePct.gt(0) || !input.minDistancePct.lt(1)) throw invalid('minDistancePct', 'must be greater than 0 and below 1');
  if (!input.maxDistancePct.isFinite() || !input.maxDistancePct.gt(0) || !input.maxDistancePct.lt(1)) throw invalid('maxDistancePct', 'must be greater than 0 and below 1 (a stop at 100 % or more of the price is no stop)');
  if (input.minDistancePct.gt(input.maxDistancePct)) throw invalid('minDistancePct', 'must not be above maxDistancePct');
  const needed = input.lookbackDays + 1;
  if (input.closes.length < needed) {
    throw new DynamicStopsError('PRICE_HISTORY_TOO_SHORT', 'closes', `needs at least ${needed} daily closes (lookback ${input.lookbackDays} + 1), has ${input.closes.length}`,
      { needed, available: input.closes.length });
  }
  input.closes.forEach((close, i) => {
    if (!close.isFinite() || !close.gt(0)) throw invalid(`closes.${i}`, 'must be greater than zero');
  });
}

/** The volatility in price units over the last `lookbackDays` daily changes. */
function measureVolatility(input: DynamicStopsInput): { volatility: Decimal; returnStdDev: Decimal | null } {
  const window = input.closes.slice(input.closes.length - input.lookbackDays - 1);
  const changes = window.slice(1).map((close, i) => ({ close, previous: window[i]! }));
  const n = changes.length;
  if (input.method === 'ATR') {
    // Closes only: the true range max(high − low, |high − prev close|, |low − prev close|) reduces to |close − prev close|.
    const trueRanges = changes.map(({ close, previous }) => close.minus(previous).abs());
    return { volatility: trueRanges.reduce((acc, tr) => acc.plus(tr), ZERO).div(n), returnStdDev: null };
  }
  const returns = changes.map(({ close, previous }) => close.div(previous).minus(1));
  const mean = returns.reduce((acc, r) => acc.plus(r), ZERO).div(n);
  const variance = returns.reduce((acc, r) => acc.plus(r.minus(mean).pow(2)), ZERO).div(n - 1);
  const sd = variance.sqrt();
  return { volatility: sd.times(input.entryPrice), returnStdDev: sd };
}

function clamp(distance: Decimal, min: Decimal, max: Decimal): { distance: Decimal; clamp: DistanceClamp } {
  if (distance.lt(min)) return { distance: min, clamp: 'MIN' };
  if (distance.gt(max)) return { distance: max, clamp: 'MAX' };
  return { distance, clamp: null };
}

/**
 * The level `distance` beyond the entry (side −1: below, +1: above) put on the tick grid. `away`
 * moves it to the grid line farther from the entry, else to the nearer one; either way it stays
 * within [min, max] of the entry when the grid allows that, and strictly on its side of the entry.
 */
function snapLevel(entry: Decimal, distance: Decimal, side: 1 | -1, tick: Decimal, min: Decimal, max: Decimal, away: boolean): Decimal {
  const raw = entry.plus(distance.times(side));
  const down = raw.div(tick).floor().times(tick);
  const up = raw.div(tick).ceil().times(tick);
  const farther = side < 0 ? down : up;
  const nearer = side < 0 ? up : down;
  const gap = (level: Decimal) => level.minus(entry).times(side); // > 0 on the right side
  if (away) return gap(farther).gt(max) && gap(nearer).gte(min) && gap(nearer).gt(0) ? nearer : farther;
  return gap(nearer).lt(min) || !gap(nearer).gt(0) ? farther : nearer;
}

/**
 * A dynamic stop loss and take profit from volatility: distance = multiplier × volatility, clamped
 * to [minDistancePct, maxDistancePct] of the entry price, then put on the tick grid. A long's stop is
 * below the entry and its target above; a short's the other way round.
 *
 * Tick grid, chosen conservatively: the stop is snapped away from the entry (never tighter than the
 * volatility asks, and position sizing measures the risk at the snapped stop, so the risk caps hold
 * at the level actually used) unless that would pass the max distance; the take profit is snapped
 * toward the entry (never promising more than the volatility supports) unless that would fall
 * inside the min distance. Neither is ever at or across the entry price.
 */
export function dynamicStops(input: DynamicStopsInput): DynamicStops {
  validate(input);
  const { entryPrice, tickSize, direction } = input;
  const { volatility, returnStdDev } = measureVolatility(input);
  const min = entryPrice.times(input.minDistancePct);
  const max = entryPrice.times(input.maxDistancePct);
  const stop = clamp(volatility.times(input.stopMultiplier), min, max);
  const target = clamp(volatility.times(input.takeProfitMultiplier), min, max);
  const below = direction === 'LONG' ? -1 : 1;
  const stopLoss = snapLevel(entryPrice, stop.distance, below, tickSize, min, max, true);
  const takeProfit = snapLevel(entryPrice, target.distance, below === -1 ? 1 : -1, tickSize, min, max, false);
  const stopDistance = stopLoss.minus(entryPrice).abs();
  const takeProfitDistance = takeProfit.minus(entryPrice).abs();
  for (const level of [stopLoss, takeProfit]) {
    if (!level.gt(0)) throw invalid('entryPrice', `${toWire(entryPrice)} is too close to zero for a level ${toWire(entryPrice.minus(level))} below it on the tick grid ${toWire(tickSize)}`);
  }
  return {
    method: input.method, direction, lookbackDays: input.lookbackDays, volatility, returnStdDev, entryPrice,
    stopLoss: price(stopLoss), takeProfit: price(takeProfit), stopDistance, takeProfitDistance,
    stopClamp: stop.clamp, takeProfitClamp: target.clamp,
    stopMultiplier: input.stopMultiplier, takeProfitMultiplier: input.takeProfitMultiplier,
    minDistancePct: input.minDistancePct, maxDistancePct: input.maxDistancePct,
  };
}
