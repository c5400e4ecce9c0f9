import type { ReferenceDataRepository } from '../db/reference-data.repository';
import type { Clock } from '../../ports/clock.port';
import type { Logger } from '../../ports/logger.port';

/**
 * Keeps the demo market's quotes fresh while the system runs, so a demo order is never denied as
 * QUOTE_STALE only because the laptop was left on. Prices do not move; quotes set through the API
 * (source "api") are never touched.
 */
export function startDemoQuoteFeed(referenceData: ReferenceDataRepository, clock: Clock, logger: Logger, intervalMs = 60_000): { stop(): void } {
  const timer = setInterval(() => {
    referenceData.refreshDemoQuotes(clock.now()).catch((err: unknown) =>
      logger.warn('demo quote refresh failed', { error: err instanceof Error ? err.message : String(err) }));
  }, intervalMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}
