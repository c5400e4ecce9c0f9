import { proxyActivities } from '@temporalio/workflow';
import type { AnalyticsActivities } from '../activities/analytics.activities';
import { ANALYTICS_FAILURES, type AnalyticsCommand, type AnalyticsOutcome } from '../src/contracts/analytics-contracts';
import { NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';

// Math is pure and quick; a lost attempt (a killed worker) is retried, a bad input never.
const { assembleAnalyticsInput, computeAnalytics } = proxyActivities<AnalyticsActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '500 milliseconds', maximumAttempts: 5, nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES, ...Object.values(ANALYTICS_FAILURES)] },
});

/**
 * One analytics computation, inspectable in the Temporal UI: an input that names a portfolio is
 * first completed from its holdings and stored closes; then verify, compute, answer.
 */
export async function analyticsWorkflow(command: AnalyticsCommand): Promise<AnalyticsOutcome> {
  if (command.portfolioId === undefined) return computeAnalytics(command);
  return computeAnalytics(command, await assembleAnalyticsInput(command));
}
