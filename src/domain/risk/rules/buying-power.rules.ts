import { Decimal, ZERO, toWire } from '../../values/decimal';
import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

/** A buy needs its worst-case cost (slippage, fee) from the cash that open buys have not reserved. */
export const cashForBuy: PreTradeRule = ({ order, pricing }) => {
  if (pricing === null || order.side !== 'BUY') return PASS;
  const cashAfter = pricing.freeCash.minus(pricing.worstCaseCost);
  return cashAfter.isNegative()
    ? [riskReason('INSUFFICIENT_CASH', `the order needs ${cashAfter.neg().toWire()} more cash than is free (cash less open buys, fees and slippage)`, ZERO, cashAfter)]
    : PASS;
};

/** Without shorting, a sell may take only what is held and not already being sold. */
export const positionForSell: PreTradeRule = ({ order, pricing, position, limits }) => {
  if (pricing === null || order.side !== 'SELL' || limits.allowShort) return PASS;
  const free = Decimal.max(position.held.minus(position.pendingSells), ZERO);
  return order.quantity.gt(free)
    ? [riskReason('INSUFFICIENT_POSITION', `only ${toWire(free)} ${order.symbol} are free to sell (held less open sells)`, free, order.quantity)]
    : PASS;
};
