import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Express } from 'express';
import type { Knex } from 'knex';
import { createMarketDataRepository, createQuoteTicks } from '../adapters/db/market-data.repository';
import { createOrderReadModel } from '../adapters/db/order-read-model.repository';
import { createOrderRequestClaims } from '../adapters/db/order-requests.repository';
import { createWorkerPresence } from '../adapters/db/worker-presence.repository';
import { createPortfolioGrants, createPortfoliosRepository } from '../adapters/db/portfolios.repository';
import { createRiskLimitsRepository } from '../adapters/db/risk-limits.repository';
import { createRiskContextRepository } from '../adapters/db/risk-context.repository';
import { createBroker } from '../adapters/broker/create-broker';
import { createSizingSettingsRepository } from '../adapters/db/sizing-settings.repository';
import { createSignalSettingsRepository } from '../adapters/db/signal-settings.repository';
import { createHmacCommandSignature } from '../adapters/security/hmac-command-signature';
import type { RiskflowConfig } from '../config/config';
import { createApiKeyAuthenticator } from '../gateway/api-key-auth';
import { createApp } from '../gateway/create-app';
import type { GatewayDeps } from '../gateway/gateway-deps';
import { createHealthProbe } from '../gateway/health-probe';
import { createOrderWorkflows, TEMPORAL_CALL_DEADLINE_MS } from '../gateway/order-workflows';
import { createWebhookHandOff } from '../adapters/temporal/webhook-hand-off';
import { createPortfolioAccess } from '../gateway/portfolio-access';
import { createReconciliationWorkflows } from '../gateway/reconciliation-workflows';
import { createAnalyticsWorkflows } from '../gateway/analytics-workflows';
import { createAnalyticsPayloads } from '../adapters/db/analytics-payloads.repository';
import { createRiskBudgetsRepository } from '../adapters/db/risk-budgets.repository';
import { createRebalancesRepository } from '../adapters/db/rebalances.repository';
import { createExitsRepository } from '../adapters/db/exits.repository';
import { createExitWorkflows } from '../gateway/exit-workflows';
import { createRebalanceWorkflows } from '../gateway/rebalance-workflows';
import { createRebalancePoliciesRepository } from '../adapters/db/rebalance-policies.repository';
import { createRebalanceSchedules } from '../adapters/temporal/rebalance-schedules';
import type { Clock } from '../ports/clock.port';
import { createDailyRiskWorkflows } from '../gateway/daily-risk-workflows';
import { createKillSwitchWorkflows } from '../gateway/kill-switch-workflows';
import { createRiskSnapshotsRepository } from '../adapters/db/risk-snapshots.repository';
import type { Logger } from '../ports/logger.port';

/** What the process owns and lends the gateway. */
export interface GatewayResources {
  readonly client: Client;
  readonly db: Knex;
  readonly clock: Clock;
  readonly logger: Logger;
  /** The key commands are signed with (the worker verifies with the same). */
  readonly signingKey: Buffer;
}

/**
 * The gateway's composition, the one place it is wired: repositories behind the ports the routes
 * use, the Temporal client behind the order workflows. Used by `npm start`, `npm run gateway`, the
 * tests and the bench.
 */
export function composeGateway(config: RiskflowConfig, { client, db, clock, logger, signingKey }: GatewayResources): { app: Express; deps: GatewayDeps } {
  const { taskQueue } = config.temporal;
  const marketData = createMarketDataRepository(db);
  // Only its cost model: the gateway never sends an order to the broker.
  const broker = createBroker(config.broker, { db, marketData, ticks: createQuoteTicks(db), clock });
  const deps: GatewayDeps = {
    orders: createOrderReadModel(db),
    orderRequests: createOrderRequestClaims(db),
    portfolios: createPortfoliosRepository(db),
    riskLimits: createRiskLimitsRepository(db, { webhookUrls: config.webhooks.urls }),
    riskContext: createRiskContextRepository(db),
    executionCosts: (instrument) => broker.executionCosts(instrument),
    access: createPortfolioAccess(createPortfolioGrants(db)),
    sizingSettings: createSizingSettingsRepository(db),
    marketData,
    quoteTicks: createQuoteTicks(db),
    orderWorkflows: createOrderWorkflows(client, taskQueue, config.gateway.decisionTimeoutMs),
    reconciliations: createReconciliationWorkflows(client, taskQueue, config.gateway.decisionTimeoutMs),
    analyticsWorkflows: createAnalyticsWorkflows(client, taskQueue, config.gateway.decisionTimeoutMs),
    analyticsPayloads: createAnalyticsPayloads(db),
    riskBudgets: createRiskBudgetsRepository(db),
    rebalances: createRebalancesRepository(db),
    rebalanceWorkflows: createRebalanceWorkflows(client, taskQueue, config.gateway.decisionTimeoutMs),
    exits: createExitsRepository(db),
    exitWorkflows: createExitWorkflows(client, taskQueue, config.gateway.decisionTimeoutMs),
    rebalancePolicies: createRebalancePoliciesRepository(db),
    rebalanceSchedules: createRebalanceSchedules(client, taskQueue),
    signalSettings: createSignalSettingsRepository(db),
    signer: createHmacCommandSignature(signingKey),
    authenticateKey: createApiKeyAuthenticator(config.apiKeys),
    health: createHealthProbe({
      client, pingDatabase: () => db.raw('select 1'), presence: createWorkerPresence(db), taskQueue,
      workerSilenceSeconds: config.gateway.workerSilenceSeconds, now: () => clock.now(),
    }),
    logger,
    clock,
    newId: randomUUID,
    settings: { quoteMaxSkewSeconds: config.gateway.quoteMaxSkewSeconds },
    dailyRiskWorkflows: createDailyRiskWorkflows(client, taskQueue, config.gateway.decisionTimeoutMs),
    riskSnapshots: createRiskSnapshotsRepository(db),
    killSwitchWorkflows: createKillSwitchWorkflows(client, taskQueue, config.gateway.decisionTimeoutMs),
    webhookHandOff: createWebhookHandOff(client, taskQueue, { callDeadlineMs: TEMPORAL_CALL_DEADLINE_MS }),
  };
  return { app: createApp(deps), deps };
}
