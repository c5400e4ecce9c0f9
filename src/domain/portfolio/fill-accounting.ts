import type { OrderSide } from '../orders/order';
import { sideSign } from '../orders/order';
import { Decimal } from '../values/decimal';
import { Money, notional } from '../values/money';
import { price, type Price } from '../values/price';
import { signedQuantity, type Quantity, type SignedQuantity } from '../values/quantity';

/** One position: its size, average cost and realised P&L, in the instrument's currency. */
export interface PositionState {
  readonly quantity: SignedQuantity;
  readonly averageCost: Price;
  readonly realizedPnl: Money;
}

export interface Fill {
  readonly side: OrderSide;
  readonly quantity: Quantity;
  readonly price: Price;
  readonly fee: Money;
}

export interface FillEffect {
  readonly position: PositionState;
  /** Signed cash of the trade itself: −quantity × price for a buy, +quantity × price for a sell. */
  readonly tradeCash: Money;
  readonly fee: Money;
  /** This fill's realised P&L, the fee included. */
  readonly realizedPnl: Money;
}

export function flatPosition(currency: string): PositionState {
  return { quantity: signedQuantity(new Decimal(0)), averageCost: price(new Decimal(0)), realizedPnl: Money.zero(currency) };
}

/**
 * Applies one fill to a position (average-cost method). Adding to a position re-averages the cost;
 * reducing it realises P&L against the average cost; crossing zero opens the remainder at the
 * fill price. Fees are charged to realised P&L (and, by the ledger, to cash).
 */
export function applyFill(position: PositionState, fill: Fill): FillEffect {
  const currency = position.realizedPnl.currency;
  const signed = fill.quantity.times(sideSign(fill.side));
  const before = position.quantity;
  const after = before.plus(signed);
  const gross = notional(fill.quantity, fill.price, currency);

  let averageCost: Decimal;
  let realized = fill.fee.neg();
  const sameDirection = before.isZero() || before.isPositive() === signed.isPositive();
  if (sameDirection) {
    averageCost = before.abs().times(position.averageCost).plus(gross.amount).div(after.abs());
  } else {
    const closed = Decimal.min(before.abs(), fill.quantity);
    // A long closed at a higher price gains; a short closed at a lower price gains.
    realized = realized.plus(Money.of(fill.price.minus(position.averageCost).times(closed).times(before.isPositive() ? 1 : -1), currency));
    if (after.isZero()) averageCost = new Decimal(0);
    else if (after.isPositive() === before.isPositive()) averageCost = position.averageCost;
    else averageCost = fill.price;
  }
  return {
    position: { quantity: signedQuantity(after), averageCost: price(averageCost), realizedPnl: position.realizedPnl.plus(realized) },
    tradeCash: fill.side === 'BUY' ? gross.neg() : gross,
    fee: fill.fee,
    realizedPnl: realized,
  };
}

/** The one definition of cash after a fill: the trade's cash, less its fee. */
export function cashAfterFill(cash: Money, effect: FillEffect): Money {
  return cash.plus(effect.tradeCash).minus(effect.fee);
}
