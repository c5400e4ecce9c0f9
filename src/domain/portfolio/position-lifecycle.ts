import { Decimal } from '../values/decimal';
import type { Price } from '../values/price';
import type { SignedQuantity } from '../values/quantity';

export type PositionDirection = 'LONG' | 'SHORT';
export type PositionStatus = 'OPEN' | 'PARTIAL' | 'CLOSED';

/** A position from the fill that opens it to the fill that flattens it. */
export interface PositionLifecycle {
  readonly direction: PositionDirection;
  readonly status: PositionStatus;
  /** The average cost while it was built up. */
  readonly entryPrice: Price;
  /** The largest size it reached: what exit fractions refer to. */
  readonly openedQuantity: Decimal;
  /** Its size now (absolute). */
  readonly quantity: Decimal;
  readonly realizedPnl: Decimal;
}

/** What one fill does to the lifecycle of the position it touches. */
export type LifecycleStep =
  | { readonly kind: 'OPEN'; readonly opened: PositionLifecycle }
  | { readonly kind: 'CHANGE'; readonly live: PositionLifecycle }
  | { readonly kind: 'CLOSE'; readonly closed: PositionLifecycle }
  /** Through zero: the old one closes, the remainder opens a new one at the fill price. */
  | { readonly kind: 'FLIP'; readonly closed: PositionLifecycle; readonly opened: PositionLifecycle };

const directionOf = (q: Decimal): PositionDirection => (q.isPositive() ? 'LONG' : 'SHORT');

/**
 * The lifecycle after a fill took the position from `before` to `after` (signed sizes), at the
 * average cost and realised P&L the fill accounting computed. Adding raises the opened size;
 * reducing makes it PARTIAL; flat is CLOSED.
 */
export function stepLifecycle(live: PositionLifecycle | null, fill: {
  readonly before: SignedQuantity; readonly after: SignedQuantity; readonly averageCostAfter: Price; readonly fillPrice: Price; readonly realizedPnl: Decimal;
}): LifecycleStep | null {
  const { before, after } = fill;
  if (before.eq(after)) return null;
  const open = (): PositionLifecycle => ({
    direction: directionOf(after), status: 'OPEN', entryPrice: fill.averageCostAfter, openedQuantity: after.abs(), quantity: after.abs(), realizedPnl: new Decimal(0),
  });
  if (before.isZero() || live === null) return after.isZero() ? null : { kind: 'OPEN', opened: open() };
  const flat = after.isZero();
  const sameSide = !flat && after.isPositive() === before.isPositive();
  if (sameSide && after.abs().gt(before.abs())) {
    return { kind: 'CHANGE', live: { ...live, entryPrice: fill.averageCostAfter, openedQuantity: Decimal.max(live.openedQuantity, after.abs()), quantity: after.abs() } };
  }
  const realizedPnl = live.realizedPnl.plus(fill.realizedPnl);
  if (sameSide) return { kind: 'CHANGE', live: { ...live, status: 'PARTIAL', quantity: after.abs(), realizedPnl } };
  const closed: PositionLifecycle = { ...live, status: 'CLOSED', quantity: new Decimal(0), realizedPnl };
  return flat ? { kind: 'CLOSE', closed } : { kind: 'FLIP', closed, opened: open() };
}
