import type { ScheduledRebalanceCommand } from '../contracts/rebalance-contracts';

/** When a schedule fires: a calendar (lists of values) in an IANA time zone. */
export interface RebalanceCalendar {
  readonly minute: readonly number[];
  readonly hour: readonly number[];
  readonly dayOfWeek?: readonly string[];
  readonly dayOfMonth?: readonly number[];
  readonly month?: readonly string[];
}

/** Portfolios' rebalance schedules: one per portfolio, each starting scheduledRebalanceWorkflow with its signed command. */
export interface RebalanceSchedules {
  /** Creates or replaces the portfolio's schedule (an operator's pause kept). */
  put(command: ScheduledRebalanceCommand, calendar: RebalanceCalendar, timeZone: string): Promise<void>;
  /** Deletes it; false when there was none. */
  remove(portfolioId: string): Promise<boolean>;
  /** The next times it fires (empty when there is none). */
  nextRuns(portfolioId: string): Promise<string[]>;
}
