import type { DecimalString } from '../domain/values/decimal';
import type { StartRebalanceCommand } from './rebalance-contracts';
import { TASK_QUEUES } from './task-queues';

/** What a daily risk run is asked to do: a date, a range (backfill), or the day it starts on. */
export interface DailyRiskCommand {
  /** Names the run (workflow ids, snapshots' run_id, alerts). */
  readonly runId: string;
  /** One date (YYYY-MM-DD); absent with `from`/`to` absent: the day the run starts, in the run's time zone. */
  readonly date?: string;
  /** A backfill: every weekday from `from` to `to` inclusive. */
  readonly from?: string;
  readonly to?: string;
  /** Only these portfolios (absent: every portfolio). */
  readonly portfolioIds?: readonly string[];
  /** Who asked: an admin's name, or `daily-risk-schedule`. Audited. */
  readonly requestedBy: string;
  readonly issuedAt: string;
  /** The gateway's (for the schedule, the worker's) signature over every other field. */
  readonly signature: string;
}

/** The run as the signed command's acceptance resolved it. */
export interface DailyRiskPlan {
  readonly runId: string;
  readonly dates: readonly string[];
  readonly portfolioIds: readonly string[];
  /** How many portfolios are checked at once. */
  readonly concurrency: number;
  readonly requestedBy: string;
}

/** One portfolio's day, as the check answers it (decimals as strings). */
export interface PortfolioDayOutcome {
  readonly portfolioId: string;
  readonly date: string;
  readonly equity: DecimalString;
  readonly dailyPnl: DecimalString;
  readonly breaches: ReadonlyArray<{ readonly kind: string; readonly action: string; readonly message: string }>;
  readonly stateBefore: string;
  readonly stateAfter: string;
  /** Webhook deliveries this check queued (new breaches and state changes). */
  readonly deliveryIds: readonly string[];
  /** A de-risking plan to propose (signed, waiting for approval): the breaches latched a state and the portfolio asks for proposals. */
  readonly deRisking?: StartRebalanceCommand;
}

export interface DailyRiskDayReport {
  readonly date: string;
  readonly checked: number;
  readonly breached: ReadonlyArray<{ readonly portfolioId: string; readonly kinds: readonly string[]; readonly stateAfter: string }>;
  /** Portfolios whose check failed (after its retries): the others ran regardless. */
  readonly failed: ReadonlyArray<{ readonly portfolioId: string; readonly error: string }>;
  /** De-risking plans proposed (rebalances waiting for approval). */
  readonly proposed?: ReadonlyArray<{ readonly portfolioId: string; readonly rebalanceId: string }>;
}

export interface DailyRiskReport {
  readonly runId: string;
  readonly dates: readonly DailyRiskDayReport[];
}

export interface DailyRiskDayRequest {
  readonly runId: string;
  readonly date: string;
  readonly portfolioIds: readonly string[];
  readonly concurrency: number;
}

export interface WebhookDeliveryRequest {
  readonly deliveryIds: readonly string[];
}

/** `daily-risk` for the default queue; a deployment on another queue gets `daily-risk@<queue>`. */
export function dailyRiskScheduleId(taskQueue: string): string {
  return taskQueue === TASK_QUEUES.orders ? 'daily-risk' : `daily-risk@${taskQueue}`;
}

/** The principal the daily run acts as: trading-state changes, audit entries, the de-risking plans it proposes. */
export const DAILY_RISK_PRINCIPAL = 'daily-risk';

export const dailyRiskWorkflowId = (runId: string) => `daily-risk-${runId}`;
/** A date's child of a run, named after the run's workflow id. */
export const dailyRiskDayWorkflowId = (runWorkflowId: string, date: string) => `${runWorkflowId}-${date}`;
export const webhookDeliveryWorkflowId = (key: string) => `webhooks-${key}`;
