import type { AnalyticsComputations } from './analytics.activities';

/** Each analytics kind's computation: the request's JSON in, the domain's answer out. */
export function createAnalyticsComputations(): AnalyticsComputations {
  return {};
}
