import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

/** The gate: a HALTED portfolio takes no order, a REDUCING one only orders that reduce a position. */
export const tradingStateGate: PreTradeRule = ({ portfolio, reducing }) => {
  switch (portfolio.tradingState) {
    case 'HALTED':
      return [riskReason('TRADING_HALTED', 'trading is halted for this portfolio')];
    case 'REDUCING':
      return reducing ? PASS : [riskReason('TRADING_REDUCING', 'the portfolio is REDUCING: only orders that reduce a position are accepted')];
    case 'ACTIVE':
      return PASS;
  }
};
