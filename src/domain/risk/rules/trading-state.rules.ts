import type { RiskContext } from '../risk-context';
import { riskReason, type RiskReason } from '../risk-decision';
import type { TradingState } from '../trading-state';
import { PASS, type PreTradeRule } from './pre-trade-rule';

function gate(state: TradingState, reducing: boolean, whose: 'portfolio' | 'account', name: string): readonly RiskReason[] {
  switch (state) {
    case 'HALTED':
      return [riskReason('TRADING_HALTED', `trading is halted for ${name}`, undefined, state, whose)];
    case 'REDUCING':
      return reducing ? PASS : [riskReason('TRADING_REDUCING', `${name} is REDUCING: only orders that reduce a position are accepted`, undefined, state, whose)];
    case 'ACTIVE':
      return PASS;
  }
}

/** The gate: a HALTED portfolio or account takes no order, a REDUCING one only orders that reduce a position. */
export const tradingStateGate: PreTradeRule = ({ portfolio, account, reducing }: RiskContext) => [
  ...gate(portfolio.tradingState, reducing, 'portfolio', 'this portfolio'),
  ...gate(account.tradingState, reducing, 'account', `account ${account.id}`),
];
