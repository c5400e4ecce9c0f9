import { AnalyticsInputError } from './analytics-input-error';

/** A return series as the analytics read it: plain numbers or a typed array, oldest first. */
export type Series = ArrayLike<number>;

/** Every value finite and at least `minLength` of them, or a typed error naming the field. */
export function requireFiniteSeries(xs: Series, field: string, minLength = 1): void {
  if (xs.length === 0) throw new AnalyticsInputError('ANALYTICS_SERIES_EMPTY', field, 'must not be empty');
  if (xs.length < minLength) {
    throw new AnalyticsInputError('ANALYTICS_SERIES_TOO_SHORT', field, `needs at least ${minLength} values, got ${xs.length}`);
  }
  for (let i = 0; i < xs.length; i++) {
    if (!Number.isFinite(xs[i])) throw new AnalyticsInputError('ANALYTICS_VALUE_NOT_FINITE', `${field}[${i}]`, 'must be a finite number');
  }
}

export function requireFiniteNumber(x: number, field: string): number {
  if (!Number.isFinite(x)) throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', field, 'must be a finite number');
  return x;
}

export function requirePositiveInteger(x: number, field: string): number {
  if (!Number.isInteger(x) || x <= 0) throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', field, 'must be a positive integer');
  return x;
}

/** A confidence level strictly between 0 and 1 (0.95, 0.99). */
export function requireConfidence(c: number, field: string): number {
  if (!Number.isFinite(c) || c <= 0 || c >= 1) throw new AnalyticsInputError('ANALYTICS_OPTION_INVALID', field, 'must be strictly between 0 and 1');
  return c;
}

