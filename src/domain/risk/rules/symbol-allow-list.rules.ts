import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

/** The portfolio's and the account's allow-lists, each when set. */
export const symbolAllowed: PreTradeRule = ({ order, limits, account }) => [
  ...(limits.allowedSymbols === null || limits.allowedSymbols.includes(order.symbol) ? PASS
    : [riskReason('SYMBOL_NOT_ALLOWED', `${order.symbol} is not on the portfolio's symbol allow-list`, undefined, undefined, 'portfolio')]),
  ...(account.limits.allowedSymbols === null || account.limits.allowedSymbols.includes(order.symbol) ? PASS
    : [riskReason('SYMBOL_NOT_ALLOWED', `${order.symbol} is not on account ${account.id}'s symbol allow-list`, undefined, undefined, 'account')]),
];
