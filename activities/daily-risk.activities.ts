import { ApplicationFailure, Context } from '@temporalio/activity';
import { dailyRiskSignedFields, startRebalanceSignedFields } from '../src/contracts/command-signatures';
import { orderIdForClientRequest } from '../src/contracts/order-ids';
import type { StartRebalanceCommand } from '../src/contracts/rebalance-contracts';
import type { DeRiskingProposal } from '../src/domain/daily-risk';
import type { CommandSigner } from '../src/ports/command-signature.port';
import { DAILY_RISK_PRINCIPAL, type DailyRiskCommand, type DailyRiskPlan, type PortfolioDayOutcome } from '../src/contracts/daily-risk-contracts';
import { DAILY_RISK_FAILURES } from '../src/contracts/failure-types';
import { AnalyticsInputError } from '../src/domain/analytics/analytics-input-error';
import { backfillDates, dateIn, evaluatePortfolioDay, isIsoDate, RunDatesError } from '../src/domain/daily-risk';
import { toWire } from '../src/domain/values/decimal';
import type { DailyRiskStore, StopOutsPort } from '../src/ports/daily-risk.port';
import type { Logger } from '../src/ports/logger.port';
import type { WebhookHandOff, WebhookOutbox, WebhookSender } from '../src/ports/webhooks.port';
import { failFast } from './activity-failures';
import { currentExecution, refuseCommand, type CommandAcceptanceDeps } from './command-acceptance';

/** The worker's settings of the run (from configuration). */
export interface DailyRiskRunSettings {
  readonly timeZone: string;
  readonly concurrency: number;
  readonly lookbackDays: number;
  readonly webhookUrls: readonly string[];
}

export interface DailyRiskActivityDeps extends CommandAcceptanceDeps {
  readonly signer: CommandSigner;
  readonly dailyRisk: DailyRiskStore;
  readonly dailyRiskSettings: DailyRiskRunSettings;
  readonly webhookOutbox: WebhookOutbox;
  readonly webhookSender: WebhookSender;
  readonly stopOuts: StopOutsPort;
  /** Hands the webhooks a cooldown's change of state queued to their delivery workflows. */
  readonly webhookHandOff: WebhookHandOff;
  readonly logger?: Logger;
}

const nonRetryable = (type: string, err: Error) => ApplicationFailure.create({ type, message: err.message, nonRetryable: true, cause: err });

/** The daily run's activities: accept the signed run, check one portfolio's day, deliver a webhook, protections. */
export function createDailyRiskActivities(deps: DailyRiskActivityDeps) {
  const { dailyRisk, dailyRiskSettings: settings, verifier, audit, webhookOutbox, webhookSender, stopOuts } = deps;
  const log = deps.logger?.child({ component: 'daily-risk' });
  /** The change is committed with its webhooks queued: a hand-off that fails is logged, and the outbox sweep hands them on. */
  const handOn = async (deliveryIds: readonly string[]) => {
    if (deliveryIds.length === 0) return;
    try {
      await deps.webhookHandOff.deliver(deliveryIds);
    } catch (err) {
      log?.warn('state change webhooks not handed on', { deliveryIds, error: err instanceof Error ? err.message : String(err) });
    }
  };
  /** The rebalance a de-risking proposal starts: manual (an approver decides), its legs exits, its id derived from the portfolio and date. */
  const deRiskingCommand = (portfolioId: string, date: string, proposal: DeRiskingProposal): StartRebalanceCommand => {
    const unsigned: Omit<StartRebalanceCommand, 'signature'> = {
      rebalanceId: orderIdForClientRequest(portfolioId, `de-risking-${date}`), portfolioId, mode: 'manual',
      method: { type: 'target-weights', targets: proposal.targets }, settings: { driftThreshold: '0' },
      approvalDeadlineSeconds: 24 * 3600, requestedBy: DAILY_RISK_PRINCIPAL, issuedAt: deps.clock.now().toISOString(), purpose: 'REDUCE_RISK',
    };
    log?.warn('de-risking proposed', { portfolioId, date, rebalanceId: unsigned.rebalanceId, scale: proposal.scale, reasons: proposal.reasons });
    return { ...unsigned, signature: deps.signer.sign('start-rebalance', startRebalanceSignedFields(unsigned)) };
  };
  return {
    /**
     * Accepts the run only with a valid signature (refusals audited), then resolves its dates (the
     * day it started on in the run's time zone unless given) and its portfolios.
     */
    async acceptDailyRiskRun(command: DailyRiskCommand, startedAtMs: number): Promise<DailyRiskPlan> {
      return failFast(async () => {
        const execution = currentExecution(Context.current().info);
        if (!verifier.verify('daily-risk', dailyRiskSignedFields(command), command.signature)) {
          throw await refuseCommand(audit, 'daily-risk', { type: 'daily-risk', id: execution.workflowId }, command.requestedBy, 'the signature is missing or does not match the command', execution);
        }
        let dates: string[];
        try {
          if (command.from !== undefined || command.to !== undefined) dates = backfillDates(command.from ?? '', command.to ?? '');
          else if (command.date !== undefined) {
            if (!isIsoDate(command.date)) throw new RunDatesError('date', 'must be a date YYYY-MM-DD');
            dates = [command.date];
          } else dates = [dateIn(new Date(startedAtMs), settings.timeZone)];
        } catch (err) {
          if (err instanceof RunDatesError) throw nonRetryable(DAILY_RISK_FAILURES.DailyRiskDatesInvalid, err);
          throw err;
        }
        const portfolioIds = await dailyRisk.listPortfolioIds(command.portfolioIds);
        await audit.record({ principal: command.requestedBy, action: 'daily-risk.started', entityType: 'daily-risk', entityId: execution.workflowId,
          details: { dates, portfolios: portfolioIds.length, commandRunId: command.runId } });
        return { runId: execution.workflowId, dates, portfolioIds, concurrency: settings.concurrency, requestedBy: command.requestedBy };
      });
    },

    /** One portfolio's day: read, judged (pure), recorded with its breaches, latched state and queued alerts in one transaction. */
    async checkPortfolioDay(request: { runId: string; portfolioId: string; date: string }): Promise<PortfolioDayOutcome> {
      return failFast(async () => {
        const { runId, portfolioId, date } = request;
        const input = await dailyRisk.loadPortfolioDay(portfolioId, date, settings.lookbackDays);
        if (input === null) throw nonRetryable(DAILY_RISK_FAILURES.DailyRiskInputInvalid, new Error(`portfolio ${portfolioId} does not exist`));
        let result;
        try {
          result = evaluatePortfolioDay(input);
        } catch (err) {
          if (err instanceof AnalyticsInputError) throw nonRetryable(DAILY_RISK_FAILURES.DailyRiskInputInvalid, new Error(err.message));
          throw err;
        }
        const recorded = await dailyRisk.recordDay({ runId, portfolioId, date, currency: input.currency, result, webhookUrls: settings.webhookUrls });
        for (const b of recorded.newBreaches) {
          log?.warn('risk limit breached', { metric: 'riskflow_daily_risk_breaches_total', portfolioId, date, runId, kind: b.kind, action: b.action, observed: b.observed, limit: b.limit });
        }
        if (recorded.stateAfter !== recorded.stateBefore) {
          log?.warn('trading state latched', { metric: 'riskflow_trading_state_changes_total', portfolioId, date, runId, before: recorded.stateBefore, after: recorded.stateAfter });
        }
        // Proposed once, when the breaches latch a state (a re-run of the day finds them recorded and proposes nothing).
        const deRisking = recorded.stateAfter !== recorded.stateBefore && result.deRisking !== null ? deRiskingCommand(portfolioId, date, result.deRisking) : undefined;
        return {
          portfolioId, date, equity: toWire(result.equity), dailyPnl: toWire(result.dailyPnl),
          breaches: result.breaches.map((b) => ({ kind: b.kind, action: b.action, message: b.message })),
          stateBefore: recorded.stateBefore, stateAfter: recorded.stateAfter, deliveryIds: recorded.deliveryIds,
          ...(deRisking && { deRisking }),
        };
      });
    },

    /** Posts one queued webhook (signed); a receiver's refusal or silence throws and the retry policy backs off. */
    async deliverWebhook(deliveryId: string): Promise<'delivered' | 'already-delivered' | 'unknown'> {
      const delivery = await webhookOutbox.find(deliveryId);
      if (delivery === null) return 'unknown';
      if (delivery.status === 'DELIVERED') return 'already-delivered';
      try {
        await webhookSender.send(delivery);
      } catch (err) {
        const error = err instanceof Error ? err.message : String(err);
        await webhookOutbox.recordAttempt(deliveryId, { delivered: false, error, final: false });
        // The URL and the error, never the secret or the signature.
        log?.warn('webhook delivery failed', { deliveryId, eventType: delivery.eventType, url: delivery.url, error, attempt: Context.current().info.attempt });
        throw err;
      }
      await webhookOutbox.recordAttempt(deliveryId, { delivered: true });
      return 'delivered';
    },

    /** Gives up on a delivery whose retries are spent. */
    async abandonWebhook(deliveryId: string, error: string): Promise<void> {
      await webhookOutbox.recordAttempt(deliveryId, { delivered: false, error, final: true });
      log?.error('webhook delivery abandoned', { deliveryId, error });
    },

    /** Protections: records a stop-out; answers when a cooldown it started ends (epoch ms), else null. */
    async recordStopOut(request: { portfolioId: string; symbol: string; at: string; orderId?: string }): Promise<number | null> {
      return failFast(async () => {
        const { cooldownUntil, deliveryIds } = await stopOuts.recordStopOut(request.portfolioId, request.symbol, new Date(request.at), request.orderId);
        await handOn(deliveryIds);
        return cooldownUntil === null ? null : cooldownUntil.getTime();
      });
    },

    async releaseCooldown(request: { portfolioId: string; untilMs: number }): Promise<boolean> {
      return failFast(async () => {
        const { released, deliveryIds } = await stopOuts.releaseCooldown(request.portfolioId, new Date(request.untilMs));
        await handOn(deliveryIds);
        return released;
      });
    },
  };
}

export type DailyRiskActivities = ReturnType<typeof createDailyRiskActivities>;
