import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

export const positiveQuantity: PreTradeRule = ({ order }) =>
  order.quantity.isFinite() && order.quantity.gt(0) ? PASS : [riskReason('INVALID_QUANTITY', 'quantity must be greater than zero', undefined, order.quantity)];

export const limitPriceGiven: PreTradeRule = ({ order }) =>
  order.type !== 'LIMIT' || (order.limitPrice !== undefined && order.limitPrice.gt(0))
    ? PASS : [riskReason('INVALID_PRICE', 'a limit order needs a limit price greater than zero')];
