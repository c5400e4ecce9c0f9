import type { Knex } from 'knex';
import * as coreSchema from './20261121_001_core_schema';
import * as paperFeeCurrency from './20261122_002_paper_fee_currency';
import * as orderRequests from './20261122_003_order_requests';
import * as portfolioGrants from './20261122_004_portfolio_grants';
import * as orderWorkflowRun from './20261122_005_order_workflow_run';
import * as workerHeartbeats from './20261122_006_worker_heartbeats';
import * as quoteTicks from './20261122_007_quote_ticks';
import * as riskControls from './20261122_008_risk_controls';
import * as sizingSettings from './20261122_009_sizing_settings';
import * as strategyWeights from './20261122_010_strategy_weights';
import * as riskControlIndexes from './20261122_011_risk_control_indexes';
import * as analyticsPayloads from './20261122_012_analytics_payloads';
import * as riskBudgets from './20261122_013_risk_budgets';
import * as rebalances from './20261122_014_rebalances';
import * as positionExits from './20261122_015_position_exits';
import * as dailyRisk from './20261122_016_daily_risk';
import * as rebalancePolicies from './20261122_017_rebalance_policies';
import * as dailyRiskBenchmark from './20261122_018_daily_risk_benchmark';
import * as rebalanceScheduleCommand from './20261122_019_rebalance_schedule_command';
import * as submissionClearance from './20261122_020_submission_clearance';
import * as boundedDecisionReads from './20261122_021_bounded_decision_reads';

interface Migration {
  up(knex: Knex): Promise<void>;
  down(knex: Knex): Promise<void>;
}

/** Migrations listed in order; an explicit source works the same under tsx, jest and a build. */
const MIGRATIONS: ReadonlyArray<readonly [string, Migration]> = [
  ['20261121_001_core_schema', coreSchema],
  ['20261122_002_paper_fee_currency', paperFeeCurrency],
  ['20261122_003_order_requests', orderRequests],
  ['20261122_004_portfolio_grants', portfolioGrants],
  ['20261122_005_order_workflow_run', orderWorkflowRun],
  ['20261122_006_worker_heartbeats', workerHeartbeats],
  ['20261122_007_quote_ticks', quoteTicks],
  ['20261122_008_risk_controls', riskControls],
  ['20261122_009_sizing_settings', sizingSettings],
  ['20261122_010_strategy_weights', strategyWeights],
  ['20261122_011_risk_control_indexes', riskControlIndexes],
  ['20261122_012_analytics_payloads', analyticsPayloads],
  ['20261122_013_risk_budgets', riskBudgets],
  ['20261122_014_rebalances', rebalances],
  ['20261122_015_position_exits', positionExits],
  ['20261122_016_daily_risk', dailyRisk],
  ['20261122_017_rebalance_policies', rebalancePolicies],
  ['20261122_018_daily_risk_benchmark', dailyRiskBenchmark],
  ['20261122_019_rebalance_schedule_command', rebalanceScheduleCommand],
  ['20261122_020_submission_clearance', submissionClearance],
  ['20261122_021_bounded_decision_reads', boundedDecisionReads],
];

export const migrationSource: Knex.MigrationSource<readonly [string, Migration]> = {
  getMigrations: async () => [...MIGRATIONS],
  getMigrationName: ([name]) => name,
  getMigration: async ([, migration]) => migration,
};
