import { Decimal } from '../values/decimal';
import { price, type Price } from '../values/price';
import { quantity, type Quantity } from '../values/quantity';
import type { PositionDirection } from '../portfolio/position-lifecycle';

/**
 * An exit plan: how one open position leaves the market. Everything is resolved to the
 * instrument's grids up front (stop and take-profit as absolute prices), except what moves with
 * the market (levels, trailing and break-even), which is kept as fractions of the entry price and
 * put on the tick grid by the functions below, the one place the rounding rules live:
 *
 * - A profit target (ladder level, take-profit from a fraction) is rounded AWAY from the entry:
 *   up for a long, down for a short. A level never fires before the profit it promises.
 * - A stop (stop loss from a fraction, a level's moveStopTo, break-even, trailing) is rounded
 *   AWAY from the market, i.e. to the looser grid line: down for a long, up for a short. A stop is
 *   never tighter than asked (the rule dynamic stops use too), except the trailing stop's
 *   maxDistance cap, which wins over the looser line (see trailingStopPrice).
 * - A quantity is floored to the lot grid; the last tranche takes whatever remains.
 */

export interface ExitLevel {
  /** 'L1', 'L2', ...: stable, part of the tranche's client order id. */
  readonly id: string;
  /** Fraction of the entry price, e.g. 0.01 = 1 % in the position's favour. */
  readonly profitTarget: Decimal;
  /** Fraction of the ORIGINAL quantity. */
  readonly fraction: Decimal;
  /** After this level, the stop moves (ratchet) to entry × (1 + moveStopTo) for a long, × (1 − moveStopTo) for a short; 0 = break-even. */
  readonly moveStopTo: Decimal | null;
}

export interface TrailingStop {
  /** Profit fraction (bid vs entry for a long, ask for a short) at which trailing starts. */
  readonly activation: Decimal;
  /** Fraction of the best price the stop trails by. */
  readonly distance: Decimal;
  /**
   * The farthest the trailing stop may be from the best price, as a fraction of it: the distance
   * is clamped to at most maxDistance, and when the looser tick-grid line would lie beyond it the
   * tighter line is taken. null = no cap beyond the distance itself.
   */
  readonly maxDistance: Decimal | null;
}

export interface ExitPlan {
  readonly direction: PositionDirection;
  readonly entryPrice: Price;
  readonly originalQuantity: Quantity;
  readonly tickSize: Price;
  readonly lotSize: Quantity;
  /** Sorted by profitTarget ascending; fractions sum to at most 1. */
  readonly ladder: readonly ExitLevel[];
  /** Absolute price on the tick grid. */
  readonly stopLoss: Price | null;
  /** Absolute price on the tick grid; closes everything left. */
  readonly takeProfit: Price | null;
  readonly trailing: TrailingStop | null;
  /** At profit >= trigger, the stop moves (ratchet) to entry × (1 ± offset). */
  readonly breakEven: { readonly trigger: Decimal; readonly offset: Decimal } | null;
  readonly timeExit: { readonly notAfter: string } | null;
  readonly preset: string | null;
  /** When the position opened (ISO instant): the origin of maxHoldingSeconds, also for amendments. */
  readonly openedAt: string;
}

/** +1 for a long, −1 for a short: the sign of a favourable price move. */
export function directionSign(direction: PositionDirection): 1 | -1 {
  return direction === 'LONG' ? 1 : -1;
}

const floorTo = (value: Decimal, step: Decimal) => value.div(step).floor().times(step);
const ceilTo = (value: Decimal, step: Decimal) => value.div(step).ceil().times(step);

export function floorToLot(value: Decimal, lot: Decimal): Quantity {
  return quantity(floorTo(value, lot));
}

/** The side of the book a position exits on: a long sells at the bid, a short buys back at the ask. */
export function exitSidePrice(direction: PositionDirection, market: { bid: Price; ask: Price }): Price {
  return direction === 'LONG' ? market.bid : market.ask;
}

/** The profit of `at` against the entry, as a fraction of the entry (positive = in the position's favour). */
export function profitFraction(plan: Pick<ExitPlan, 'direction' | 'entryPrice'>, at: Decimal): Decimal {
  return at.minus(plan.entryPrice).div(plan.entryPrice).times(directionSign(plan.direction));
}

/** A target `fraction` of the entry in the position's favour, rounded away from the entry (up for a long, down for a short). */
export function targetPrice(plan: Pick<ExitPlan, 'direction' | 'entryPrice' | 'tickSize'>, fraction: Decimal): Price {
  const raw = plan.entryPrice.times(new Decimal(1).plus(fraction.times(directionSign(plan.direction))));
  return price(plan.direction === 'LONG' ? ceilTo(raw, plan.tickSize) : floorTo(raw, plan.tickSize));
}

/** A stop at `fraction` of profit (negative = a loss) against the entry, rounded to the looser line (down for a long, up for a short). */
export function stopPriceAtProfit(plan: Pick<ExitPlan, 'direction' | 'entryPrice' | 'tickSize'>, fraction: Decimal): Price {
  const raw = plan.entryPrice.times(new Decimal(1).plus(fraction.times(directionSign(plan.direction))));
  return price(plan.direction === 'LONG' ? floorTo(raw, plan.tickSize) : ceilTo(raw, plan.tickSize));
}

/** The level price of a ladder level. */
export function levelPrice(plan: ExitPlan, level: ExitLevel): Price {
  return targetPrice(plan, level.profitTarget);
}

/** The distance actually trailed: `distance` clamped to at most `maxDistance`. */
export function effectiveTrailingDistance(trailing: TrailingStop): Decimal {
  return trailing.maxDistance !== null && trailing.distance.gt(trailing.maxDistance) ? trailing.maxDistance : trailing.distance;
}

/**
 * The trailing stop for a best price: best × (1 − distance) for a long, × (1 + distance) for a
 * short, on the looser grid line, unless that line lies farther than maxDistance from the best
 * price, when the tighter line is taken (the cap wins over the rounding).
 */
export function trailingStopPrice(plan: Pick<ExitPlan, 'direction' | 'tickSize'>, trailing: TrailingStop, best: Price): Price {
  const distance = effectiveTrailingDistance(trailing);
  if (plan.direction === 'LONG') {
    const raw = best.times(new Decimal(1).minus(distance));
    const looser = floorTo(raw, plan.tickSize);
    const tooFar = trailing.maxDistance !== null && best.minus(looser).gt(best.times(trailing.maxDistance));
    return price(tooFar ? ceilTo(raw, plan.tickSize) : looser);
  }
  const raw = best.times(new Decimal(1).plus(distance));
  const looser = ceilTo(raw, plan.tickSize);
  const tooFar = trailing.maxDistance !== null && looser.minus(best).gt(best.times(trailing.maxDistance));
  return price(tooFar ? floorTo(raw, plan.tickSize) : looser);
}

/** True when `candidate` is a strictly better (tighter, in the position's favour) stop than `current`. */
export function isBetterStop(direction: PositionDirection, candidate: Price, current: Price | null): boolean {
  if (current === null) return true;
  return direction === 'LONG' ? candidate.gt(current) : candidate.lt(current);
}

/** Whether the exit-side price has reached the stop (at or through it). */
export function stopReached(direction: PositionDirection, at: Price, stop: Price | null): boolean {
  if (stop === null) return false;
  return direction === 'LONG' ? at.lte(stop) : at.gte(stop);
}

/** Whether the exit-side price has reached a target (at or beyond it). */
export function targetReached(direction: PositionDirection, at: Price, target: Price | null): boolean {
  if (target === null) return false;
  return direction === 'LONG' ? at.gte(target) : at.lte(target);
}

/** The ladder's total fraction (of the original quantity). */
export function ladderTotalOf(ladder: readonly ExitLevel[]): Decimal {
  return ladder.reduce((acc, level) => acc.plus(level.fraction), new Decimal(0));
}
