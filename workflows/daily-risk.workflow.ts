import { executeChild, ParentClosePolicy, patched, proxyActivities, sleep, startChild, workflowInfo } from '@temporalio/workflow';
import { WorkflowExecutionAlreadyStartedError } from '@temporalio/common';
import type { DailyRiskActivities } from '../activities/daily-risk.activities';
import {
  dailyRiskDayWorkflowId, webhookDeliveryWorkflowId,
  type DailyRiskCommand, type DailyRiskDayReport, type DailyRiskDayRequest, type DailyRiskReport, type PortfolioDayOutcome,
} from '../src/contracts/daily-risk-contracts';
import { DAILY_RISK_FAILURES, NON_RETRYABLE_FAILURE_TYPES } from '../src/contracts/failure-types';
import { rebalanceWorkflowId } from '../src/contracts/rebalance-contracts';
import { rebalanceWorkflow } from './rebalance.workflow';

const DAILY_RISK_NON_RETRYABLE = Object.values(DAILY_RISK_FAILURES);

const { acceptDailyRiskRun } = proxyActivities<DailyRiskActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '1 second', maximumAttempts: 5, nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES, ...DAILY_RISK_NON_RETRYABLE] },
});

// One portfolio's check: a lost attempt is retried a few times, a portfolio whose data cannot be analysed never.
const { checkPortfolioDay } = proxyActivities<DailyRiskActivities>({
  startToCloseTimeout: '2 minutes',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumAttempts: 3, nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES, ...DAILY_RISK_NON_RETRYABLE] },
});

const messageOf = (err: unknown): string => {
  let e: unknown = err;
  // An activity failure's cause says what went wrong.
  while (e instanceof Error && e.cause instanceof Error) e = e.cause;
  return e instanceof Error ? e.message : String(err);
};

/**
 * The daily risk run (started by the `daily-risk` Schedule, or run now / backfilled from the API):
 * accepts the signed command, then checks every portfolio for each date, one child workflow per
 * date, and reports what breached and what failed.
 */
export async function dailyRiskWorkflow(command: DailyRiskCommand): Promise<DailyRiskReport> {
  const plan = await acceptDailyRiskRun(command, Date.now());
  const days: DailyRiskDayReport[] = [];
  for (const date of plan.dates) {
    const request: DailyRiskDayRequest = { runId: plan.runId, date, portfolioIds: plan.portfolioIds, concurrency: plan.concurrency };
    days.push(await executeChild(dailyRiskDayWorkflow, { workflowId: dailyRiskDayWorkflowId(plan.runId, date), args: [request] }));
  }
  return { runId: plan.runId, dates: days };
}

/**
 * One date: every portfolio checked, `concurrency` at a time; a portfolio that fails (after its
 * retries) is reported and the others go on. The day's alerts are then handed to a delivery
 * workflow that outlives this one, so a slow receiver never holds the run.
 */
export async function dailyRiskDayWorkflow(request: DailyRiskDayRequest): Promise<DailyRiskDayReport> {
  const { runId, date, portfolioIds } = request;
  const outcomes: Array<PortfolioDayOutcome | { portfolioId: string; error: string }> = new Array(portfolioIds.length);
  let next = 0;
  const lane = async () => {
    while (next < portfolioIds.length) {
      const i = next++;
      const portfolioId = portfolioIds[i]!;
      try {
        outcomes[i] = await checkPortfolioDay({ runId, portfolioId, date });
      } catch (err) {
        outcomes[i] = { portfolioId, error: messageOf(err) };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, Math.min(request.concurrency, portfolioIds.length)) }, lane));

  const checked = outcomes.filter((o): o is PortfolioDayOutcome => !('error' in o));
  // A breach that latched a state may call for a de-risking plan: started here, it waits for an approver.
  const proposals = checked.flatMap((o) => (o.deRisking ? [o.deRisking] : []));
  if (proposals.length > 0 && patched('de-risking-proposals')) {
    for (const command of proposals) {
      try {
        await startChild(rebalanceWorkflow, {
          workflowId: rebalanceWorkflowId(command.rebalanceId), args: [command], parentClosePolicy: ParentClosePolicy.ABANDON, taskQueue: workflowInfo().taskQueue,
        });
      } catch (err) {
        if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
      }
    }
  }
  const deliveryIds = checked.flatMap((o) => o.deliveryIds);
  if (deliveryIds.length > 0) {
    try {
      await startChild(webhookDeliveryWorkflow, {
        workflowId: webhookDeliveryWorkflowId(`${runId}-${date}`),
        args: [{ deliveryIds }],
        parentClosePolicy: ParentClosePolicy.ABANDON,
      });
    } catch (err) {
      // A delivery run of this run and date is already going (a retried task): it delivers them.
      if (!(err instanceof WorkflowExecutionAlreadyStartedError)) throw err;
    }
  }
  return {
    date,
    checked: checked.length,
    breached: checked.filter((o) => o.breaches.length > 0).map((o) => ({ portfolioId: o.portfolioId, kinds: o.breaches.map((b) => b.kind), stateAfter: o.stateAfter })),
    failed: outcomes.filter((o): o is { portfolioId: string; error: string } => 'error' in o),
    ...(proposals.length > 0 && { proposed: proposals.map((p) => ({ portfolioId: p.portfolioId, rebalanceId: p.rebalanceId })) }),
  };
}

// Receivers are retried with exponential backoff for about an hour and a half, then the delivery is abandoned (recorded).
const { deliverWebhook } = proxyActivities<DailyRiskActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', backoffCoefficient: 2, maximumInterval: '15 minutes', maximumAttempts: 12 },
});
const { abandonWebhook } = proxyActivities<DailyRiskActivities>({ startToCloseTimeout: '30 seconds' });

/** Delivers queued webhooks, each with its own retries; one receiver's outage does not hold the others. */
export async function webhookDeliveryWorkflow(request: { deliveryIds: readonly string[] }): Promise<{ delivered: number; abandoned: number }> {
  let delivered = 0;
  let abandoned = 0;
  await Promise.all(request.deliveryIds.map(async (id) => {
    try {
      await deliverWebhook(id);
      delivered++;
    } catch (err) {
      await abandonWebhook(id, messageOf(err));
      abandoned++;
    }
  }));
  return { delivered, abandoned };
}

const { recordStopOut, releaseCooldown } = proxyActivities<DailyRiskActivities>({
  startToCloseTimeout: '30 seconds',
  retry: { initialInterval: '1 second', maximumAttempts: 10, nonRetryableErrorTypes: [...NON_RETRYABLE_FAILURE_TYPES] },
});

/**
 * Protections: records a stop-out (an exit workflow starts this when a stop tranche sells) and,
 * when it starts a cooldown, waits durably until the cooldown ends and releases it.
 */
export async function stopOutWorkflow(request: { portfolioId: string; symbol: string; at: string; orderId?: string }): Promise<{ cooldownUntil: string | null; released: boolean }> {
  const until = await recordStopOut(request);
  if (until === null) return { cooldownUntil: null, released: false };
  const wait = until - Date.now();
  if (wait > 0) await sleep(wait);
  return { cooldownUntil: new Date(until).toISOString(), released: await releaseCooldown({ portfolioId: request.portfolioId, untilMs: until }) };
}
