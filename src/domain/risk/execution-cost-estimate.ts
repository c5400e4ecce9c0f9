import { Decimal } from '../values/decimal';
import { Money } from '../values/money';

/** What the pre-trade engine assumes an execution costs beyond price × quantity, to reserve cash. */
export interface ExecutionCostEstimate {
  /** Fee as a fraction of notional. */
  readonly feeRate: Decimal;
  /** Minimum fee per execution, in the order's currency. */
  readonly minFee: Decimal;
  /** Expected slippage as a fraction of price, always against the trader. */
  readonly slippageRate: Decimal;
}

export const NO_COSTS: ExecutionCostEstimate = { feeRate: new Decimal(0), minFee: new Decimal(0), slippageRate: new Decimal(0) };

/** Cash a buy of this notional may consume: slipped notional plus the larger of fee and minimum fee, up to the cent. */
export function worstCaseBuyCost(orderNotional: Money, costs: ExecutionCostEstimate): Money {
  const slipped = orderNotional.times(Decimal.add(1, costs.slippageRate));
  const fee = Money.max(slipped.times(costs.feeRate), Money.of(costs.minFee, orderNotional.currency));
  return slipped.plus(fee).toDecimalPlaces(2, Decimal.ROUND_UP);
}
