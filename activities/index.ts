import { createAnalyticsActivities, type AnalyticsActivityDeps } from './analytics.activities';
import { createRebalanceActivities, type RebalanceActivityDeps } from './rebalance.activities';
import { createExitActivities, type ExitActivityDeps } from './exit.activities';
import { createBooksActivities, type BooksActivityDeps } from './books.activities';
import { createBrokerActivities, type BrokerActivityDeps } from './broker.activities';
import { createCommandActivities, type CommandActivityDeps } from './command.activities';
import { createReconciliationActivities, type ReconciliationActivityDeps } from './reconciliation.activities';
import { createRiskActivities, type RiskActivityDeps } from './risk.activities';
import { createDailyRiskActivities, type DailyRiskActivityDeps } from './daily-risk.activities';
import { createKillSwitchActivities, type KillSwitchActivityDeps } from './kill-switch.activities';

export type ActivityDeps = RiskActivityDeps & BrokerActivityDeps & BooksActivityDeps & CommandActivityDeps & ReconciliationActivityDeps & AnalyticsActivityDeps & RebalanceActivityDeps & ExitActivityDeps & DailyRiskActivityDeps & KillSwitchActivityDeps;

/** Every activity the worker registers, grouped by side effect and shared by every workflow that needs them. */
export function createActivities(deps: ActivityDeps) {
  return {
    ...createRiskActivities(deps),
    ...createBrokerActivities(deps),
    ...createBooksActivities(deps),
    ...createCommandActivities(deps),
    ...createReconciliationActivities(deps),
    ...createAnalyticsActivities(deps),
    ...createRebalanceActivities(deps),
    ...createExitActivities(deps),
    ...createDailyRiskActivities(deps),
    ...createKillSwitchActivities(deps),
  };
}

export type Activities = ReturnType<typeof createActivities>;
