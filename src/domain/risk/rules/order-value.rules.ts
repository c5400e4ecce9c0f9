import { Money } from '../../values/money';
import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

export const maxOrderValue: PreTradeRule = ({ pricing, limits, portfolio }) => {
  if (pricing === null) return PASS;
  const limit = Money.of(limits.maxOrderValue, portfolio.baseCurrency);
  return pricing.notional.gt(limit)
    ? [riskReason('MAX_ORDER_VALUE', `order value ${pricing.notional.toWire()} exceeds the limit ${limit.toWire()}`, limit, pricing.notional)]
    : PASS;
};
