export { planRebalance } from './rebalance-planner';
export { RebalancePlanError, type RebalancePlanErrorCode } from './rebalance-plan-error';
export { DEFAULT_REBALANCE_SETTINGS, DEFAULT_REBALANCE_COSTS, resolveRebalanceSettings } from './rebalance-settings';
export { DEFAULT_STRATEGY_BANDS } from './strategy-bands';
export { rebalancePlanToWire, canonicalPlanContent, planVersionOf } from './plan-version';
export { sha256Hex } from './sha256';
export { canonicalJson, type CanonicalValue } from './canonical-json';
export type * from './rebalance-types';
