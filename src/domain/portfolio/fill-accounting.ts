import type { OrderSide } from '../orders/order';
import { sideSign } from '../orders/order';
import { Decimal, ZERO } from '../values/decimal';

export interface PositionState {
  readonly quantity: Decimal;
  readonly averageCost: Decimal;
  readonly realizedPnl: Decimal;
}

export interface FillInput {
  readonly side: OrderSide;
  readonly quantity: Decimal;
  readonly price: Decimal;
  readonly fee: Decimal;
}

export interface FillEffect {
  readonly position: PositionState;
  /** Signed change of cash: −(qty × price + fee) for a buy, +(qty × price − fee) for a sell. */
  readonly cashDelta: Decimal;
  readonly realizedPnl: Decimal;
}

export const FLAT: PositionState = { quantity: ZERO, averageCost: ZERO, realizedPnl: ZERO };

/**
 * Applies one fill to a position (average-cost method). Adding to a position re-averages the cost;
 * reducing it realises P&L against the average cost; crossing zero opens the remainder at the
 * fill price. Fees are charged to cash and to realised P&L.
 */
export function applyFill(position: PositionState, fill: FillInput): FillEffect {
  const signed = fill.quantity.times(sideSign(fill.side));
  const before = position.quantity;
  const after = before.plus(signed);
  const gross = fill.quantity.times(fill.price);
  const cashDelta = fill.side === 'BUY' ? gross.plus(fill.fee).neg() : gross.minus(fill.fee);

  let averageCost: Decimal;
  let realized = fill.fee.neg();
  const sameDirection = before.isZero() || before.isPositive() === signed.isPositive();
  if (sameDirection) {
    averageCost = before.abs().times(position.averageCost).plus(gross).div(after.abs());
  } else {
    const closed = Decimal.min(before.abs(), fill.quantity);
    // A long closed at a higher price gains; a short closed at a lower price gains.
    realized = realized.plus(fill.price.minus(position.averageCost).times(closed).times(before.isPositive() ? 1 : -1));
    if (after.isZero()) averageCost = ZERO;
    else if (after.isPositive() === before.isPositive()) averageCost = position.averageCost;
    else averageCost = fill.price;
  }
  return {
    position: { quantity: after, averageCost, realizedPnl: position.realizedPnl.plus(realized) },
    cashDelta,
    realizedPnl: realized,
  };
}
