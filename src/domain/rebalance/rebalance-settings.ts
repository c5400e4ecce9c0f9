import type { ExecutionCostEstimate } from '../risk/execution-cost-estimate';
import { Decimal } from '../values/decimal';
import { RebalancePlanError } from './rebalance-plan-error';
import type { RebalanceSettings } from './rebalance-types';

/** 10 bps fee, no minimum fee, 5 bps slippage: a retail-broker-like default; portfolios override it. */
export const DEFAULT_REBALANCE_COSTS: ExecutionCostEstimate = {
  feeRate: new Decimal('0.001'),
  minFee: new Decimal(0),
  slippageRate: new Decimal('0.0005'),
};

export const DEFAULT_REBALANCE_SETTINGS: RebalanceSettings = {
  costs: DEFAULT_REBALANCE_COSTS,
  driftThreshold: new Decimal('0.05'),
  cashBuffer: new Decimal('0.02'),
  maxCostFraction: new Decimal('0.005'),
  turnoverCap: null,
  minNotional: {},
};

function fraction(field: string, value: Decimal, allowAboveOne = false): Decimal {
  if (!value.isFinite()) throw new RebalancePlanError('REBALANCE_VALUE_NOT_FINITE', field, 'must be a finite number');
  if (value.isNegative() && !value.isZero()) throw new RebalancePlanError('REBALANCE_SETTING_INVALID', field, 'must not be negative');
  if (!allowAboveOne && value.gt(1)) throw new RebalancePlanError('REBALANCE_SETTING_INVALID', field, 'must be at most 1');
  return value;
}

/** Defaults filled in and every setting checked; the field names match the input's. */
export function resolveRebalanceSettings(partial: Partial<RebalanceSettings> | undefined): RebalanceSettings {
  const s: RebalanceSettings = { ...DEFAULT_REBALANCE_SETTINGS, ...(partial ?? {}) };
  fraction('settings.costs.feeRate', s.costs.feeRate);
  fraction('settings.costs.minFee', s.costs.minFee, true);
  fraction('settings.costs.slippageRate', s.costs.slippageRate);
  fraction('settings.driftThreshold', s.driftThreshold);
  fraction('settings.cashBuffer', s.cashBuffer);
  fraction('settings.maxCostFraction', s.maxCostFraction);
  // Turnover Σ|w − w0| can reach 2 (sell everything, buy everything else).
  if (s.turnoverCap !== null) fraction('settings.turnoverCap', s.turnoverCap, true);
  for (const [symbol, m] of Object.entries(s.minNotional)) fraction(`settings.minNotional.${symbol}`, m.amount, true);
  return s;
}
