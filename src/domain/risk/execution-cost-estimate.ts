import { Decimal } from '../values/decimal';

/** What the pre-trade engine assumes an execution costs beyond price × quantity, to reserve cash. */
export interface ExecutionCostEstimate {
  /** Fee as a fraction of notional. */
  readonly feeRate: Decimal;
  /** Minimum fee per execution. */
  readonly minFee: Decimal;
  /** Expected slippage as a fraction of price, always against the trader. */
  readonly slippageRate: Decimal;
}

export const NO_COSTS: ExecutionCostEstimate = { feeRate: new Decimal(0), minFee: new Decimal(0), slippageRate: new Decimal(0) };

/** Cash a buy of this notional may consume: slipped notional plus the larger of fee and minimum fee, up to the cent. */
export function worstCaseBuyCost(notional: Decimal, costs: ExecutionCostEstimate): Decimal {
  const slipped = notional.times(Decimal.add(1, costs.slippageRate));
  const fee = Decimal.max(slipped.times(costs.feeRate), costs.minFee);
  return slipped.plus(fee).toDecimalPlaces(2, Decimal.ROUND_UP);
}
