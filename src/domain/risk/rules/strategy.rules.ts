import { worstQuantity } from '../risk-context';
import { riskReason } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

/** Only an order that opens a symbol for its strategy (the strategy neither holds it nor has it on order) can breach the count. */
export const maxOpenPositionsPerStrategy: PreTradeRule = ({ order, pricing, reducing, limits, activity }) => {
  const strategyId = order.strategyId ?? order.signal?.strategyId;
  if (limits.maxOpenPositionsPerStrategy === null || strategyId === undefined || pricing === null || reducing) return PASS;
  if (activity.strategySymbols.includes(order.symbol) || !worstQuantity(pricing.exposureBefore.get(order.symbol)!).isZero()) return PASS;
  const open = activity.strategySymbols.length + 1;
  return open > limits.maxOpenPositionsPerStrategy
    ? [riskReason('MAX_OPEN_POSITIONS_PER_STRATEGY', `the order would open position ${open} of strategy ${strategyId}`, limits.maxOpenPositionsPerStrategy, open)]
    : PASS;
};
