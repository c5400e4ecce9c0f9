/**
 * An input the planner cannot plan from: a typed error with a stable code and the field it
 * concerns (e.g. `targets.weights.AAPL`, `settings.cashBuffer`), so the HTTP layer answers 400 with
 * a precise message. A plan that can be computed but breaks a policy (the cost cap) is not an
 * error: it is a plan with status COST_CAP_EXCEEDED (decisions are data).
 */
export type RebalancePlanErrorCode =
  | 'REBALANCE_VALUE_NOT_FINITE'
  | 'REBALANCE_WEIGHT_NEGATIVE'
  | 'REBALANCE_WEIGHTS_EXCEED_ONE'
  | 'REBALANCE_UNKNOWN_INSTRUMENT'
  | 'REBALANCE_MISSING_PRICE'
  | 'REBALANCE_PRICE_NOT_POSITIVE'
  | 'REBALANCE_CURRENCY_MISMATCH'
  | 'REBALANCE_DUPLICATE_POSITION'
  | 'REBALANCE_EQUITY_NOT_POSITIVE'
  | 'REBALANCE_SETTING_INVALID'
  | 'REBALANCE_BAND_INVALID'
  | 'REBALANCE_TRANCHE_INVALID'
  | 'REBALANCE_MISSING_INPUT'
  | 'REBALANCE_HISTORY_TOO_SHORT';

export class RebalancePlanError extends Error {
  constructor(readonly code: RebalancePlanErrorCode, readonly field: string, rule: string) {
    super(`${field}: ${rule}`);
    this.name = 'RebalancePlanError';
  }
}
