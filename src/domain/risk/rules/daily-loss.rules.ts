import { Money } from '../../values/money';
import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

/** Beyond the day's loss limit only reducing orders pass; a P&L that cannot be measured counts as beyond it. */
export const maxDailyLoss: PreTradeRule = ({ limits, dailyPnl, reducing, portfolio }) => {
  if (limits.maxDailyLoss === null || reducing) return PASS;
  const limit = Money.of(limits.maxDailyLoss, portfolio.baseCurrency);
  if (dailyPnl === null || !dailyPnl.amount.isFinite()) {
    return [riskReason('MAX_DAILY_LOSS', 'the P&L since the trading day began cannot be measured', limit)];
  }
  return dailyPnl.plus(limit).isNegative()
    ? [riskReason('MAX_DAILY_LOSS', `the portfolio has lost ${dailyPnl.neg().toWire()} since its trading day began (${limits.tradingDayTimeZone}): only reducing orders are accepted`, limit, dailyPnl.neg())]
    : PASS;
};
