/**
 * An analytics input that cannot be computed on: a typed error with a stable code and the field
 * it concerns, so the HTTP layer answers 400 with a precise message instead of returning NaN.
 */
export type AnalyticsErrorCode =
  | 'ANALYTICS_SERIES_EMPTY'
  | 'ANALYTICS_SERIES_TOO_SHORT'
  | 'ANALYTICS_VALUE_NOT_FINITE'
  | 'ANALYTICS_VALUE_OUT_OF_RANGE'
  | 'ANALYTICS_LENGTH_MISMATCH'
  | 'ANALYTICS_OPTION_INVALID'
  | 'ANALYTICS_UNKNOWN_KEY'
  | 'ANALYTICS_WEIGHTS_MISMATCH'
  | 'ANALYTICS_GROUP_NET_WEIGHT_ZERO'
  | 'ANALYTICS_BUDGET_INVALID';

export class AnalyticsInputError extends Error {
  constructor(readonly code: AnalyticsErrorCode, readonly field: string, rule: string) {
    super(`${field}: ${rule}`);
    this.name = 'AnalyticsInputError';
  }
}
