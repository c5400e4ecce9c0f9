import { riskReason, type RiskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

/** Counts of approved orders, taken under the lock: the order is one more. Validate-only orders are not counted. */
export const maxDailyTrades: PreTradeRule = ({ limits, account, activity }) => {
  const reasons: RiskReason[] = [];
  if (limits.maxDailyTrades !== null && activity.portfolioTradesToday + 1 > limits.maxDailyTrades) {
    reasons.push(riskReason('MAX_DAILY_TRADES', `the portfolio has had ${activity.portfolioTradesToday} orders approved since its trading day began (${limits.tradingDayTimeZone})`, limits.maxDailyTrades, activity.portfolioTradesToday + 1, 'portfolio'));
  }
  if (account.limits.maxDailyTrades !== null && activity.accountTradesToday + 1 > account.limits.maxDailyTrades) {
    reasons.push(riskReason('MAX_DAILY_TRADES', `account ${account.id} has had ${activity.accountTradesToday} orders approved since the UTC day began`, account.limits.maxDailyTrades, activity.accountTradesToday + 1, 'account'));
  }
  return reasons;
};

export const maxOrderRate: PreTradeRule = ({ limits, activity }) =>
  limits.maxOrdersPerWindow !== null && activity.portfolioOrdersInWindow + 1 > limits.maxOrdersPerWindow
    ? [riskReason('MAX_ORDER_RATE', `${activity.portfolioOrdersInWindow} orders approved in the last ${limits.orderRateWindowSeconds} s`, limits.maxOrdersPerWindow, activity.portfolioOrdersInWindow + 1)]
    : PASS;
