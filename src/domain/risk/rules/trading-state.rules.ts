import type { RiskContext } from '../risk-context';
import { riskReason, type RiskReason } from '../risk-decision';
import type { TradingState } from '../trading-state';
import { PASS, type PreTradeRule } from './pre-trade-rule';

function gate(state: TradingState, reducing: boolean, exit: boolean, whose: 'portfolio' | 'account', name: string): readonly RiskReason[] {
  switch (state) {
    case 'HALTED':
      // A halt (the kill switch, a breach) stops everything but exits that reduce risk.
      return exit && reducing ? PASS : [riskReason('TRADING_HALTED', `trading is halted for ${name}`, undefined, state, whose)];
    case 'REDUCING':
      return reducing ? PASS : [riskReason('TRADING_REDUCING', `${name} is REDUCING: only orders that reduce a position are accepted`, undefined, state, whose)];
    case 'ACTIVE':
      return PASS;
  }
}

/**
 * The gate: a HALTED portfolio or account takes no order but a risk-reducing exit (`order.purpose`
 * EXIT that reduces a position); a REDUCING one only orders that reduce a position.
 */
export const tradingStateGate: PreTradeRule = ({ portfolio, account, reducing, order }: RiskContext) => {
  const exit = order.purpose === 'EXIT';
  return [
    ...gate(portfolio.tradingState, reducing, exit, 'portfolio', 'this portfolio'),
    ...gate(account.tradingState, reducing, exit, 'account', `account ${account.id}`),
  ];
};
