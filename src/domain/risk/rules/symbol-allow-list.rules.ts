import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

export const symbolAllowed: PreTradeRule = ({ order, limits }) =>
  limits.allowedSymbols === null || limits.allowedSymbols.includes(order.symbol)
    ? PASS : [riskReason('SYMBOL_NOT_ALLOWED', `${order.symbol} is not on the portfolio's symbol allow-list`)];
