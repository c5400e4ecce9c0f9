import { randomUUID } from 'node:crypto';
import { Client } from '@temporalio/client';
import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { Knex } from 'knex';
import type { DecisionTiming } from '../activities/risk.activities';
import { createActivities } from '../activities';
import { createAnalyticsComputations } from '../activities/analytics-computations';
import loadHighs from 'highs';
import { createOptimiser } from '../src/domain/optimisation';
import { createAnalyticsPayloads } from '../src/adapters/db/analytics-payloads.repository';
import { createAnalyticsInputs } from '../src/adapters/db/analytics-inputs.repository';
import { createRebalancesRepository } from '../src/adapters/db/rebalances.repository';
import { createExitsRepository } from '../src/adapters/db/exits.repository';
import type { Quote } from '../src/domain/market/quote';
import { createRebalancePoliciesRepository } from '../src/adapters/db/rebalance-policies.repository';
import { createBroker } from '../src/adapters/broker/create-broker';
import { createAuditLog } from '../src/adapters/db/audit-log.repository';
import { createBooksRepository } from '../src/adapters/db/books.repository';
import { createMarketDataRepository, createQuoteTicks } from '../src/adapters/db/market-data.repository';
import { createRiskContextRepository } from '../src/adapters/db/risk-context.repository';
import { createWorkerPresence } from '../src/adapters/db/worker-presence.repository';
import { createOpenOrders } from '../src/adapters/db/open-orders.repository';
import { createWorkflowStatus } from '../src/adapters/temporal/workflow-status';
import { createOrderSignals } from '../src/adapters/temporal/order-signals';
import { createOrderReadModel } from '../src/adapters/db/order-read-model.repository';
import { startMarketWaker } from './market-waker';
import { startWebhookOutboxSweep } from './webhook-outbox-sweep';
import { createWebhookHandOff } from '../src/adapters/temporal/webhook-hand-off';
import { createRiskSnapshotsRepository } from '../src/adapters/db/risk-snapshots.repository';
import { createStopOutsRepository } from '../src/adapters/db/stop-outs.repository';
import { createWebhookOutbox } from '../src/adapters/db/webhook-deliveries.repository';
import { createHttpWebhookSender } from '../src/adapters/webhooks/http-webhook-sender';
import { createJsonLogger } from '../src/adapters/logging/json-logger';
import { createHmacCommandSignature } from '../src/adapters/security/hmac-command-signature';
import { createRiskLimitsRepository } from '../src/adapters/db/risk-limits.repository';
import { createKillSwitchReads } from '../src/adapters/db/kill-switch.repository';
import { createOrderCancellation } from '../src/adapters/temporal/order-cancellation';
import type { RiskflowConfig } from '../src/config/config';
import type { Clock } from '../src/ports/clock.port';

/** What the process owns and lends the worker: connections, the clock, optionally a prebuilt bundle. */
export interface WorkerResources {
  readonly connection: NativeConnection;
  readonly db: Knex;
  readonly clock: Clock;
  /** The key the gateway signs commands with: activities verify every command with it. */
  readonly signingKey: Buffer;
  /** A prebuilt bundle (tests, benchmarks) saves the few seconds the bundler takes. */
  readonly workflowBundle?: WorkflowBundle;
  /** Told how long each risk decision took (the bench). */
  readonly observeDecision?: (timing: DecisionTiming) => void;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** A composed worker: run() polls until shutdown(), saying that it is alive while it runs. */
export interface ComposedWorker {
  readonly worker: Worker;
  run(): Promise<void>;
  shutdown(): void;
}

/**
 * The worker's composition, the one place it is wired: adapters behind ports, activities over the
 * ports, workflows from workflows/. Used by `npm start`, `npm run worker`, the tests and the bench.
 */
/** How long the kill switch waits for one order's cancel before it counts it as requested (the cancel stays queued). */
const KILL_SWITCH_CANCEL_WAIT_MS = 20_000;

export async function composeWorker(config: RiskflowConfig, { connection, db, clock, signingKey, workflowBundle, observeDecision }: WorkerResources): Promise<ComposedWorker> {
  const marketData = createMarketDataRepository(db);
  const ticks = createQuoteTicks(db);
  const client = new Client({ connection, namespace: config.temporal.namespace });
  const broker = createBroker(config.broker, { db, marketData, ticks, clock });
  // HiGHS (wasm) loads once per worker; each solve makes and frees its own model.
  const optimiser = createOptimiser(await loadHighs());
  // The gateway's key: the worker verifies commands with it, and signs a rebalance's legs once their approval is verified.
  const signatures = createHmacCommandSignature(signingKey);
  const exits = createExitsRepository(db);
  const webhookOutbox = createWebhookOutbox(db);
  const webhookHandOff = createWebhookHandOff(client, config.temporal.taskQueue);
  const activities = createActivities({
    riskContext: createRiskContextRepository(db),
    books: createBooksRepository(db),
    broker,
    clock,
    executionCosts: (instrument) => broker.executionCosts(instrument),
    ...(observeDecision && { observeDecision }),
    verifier: signatures,
    signer: signatures,
    rebalances: createRebalancesRepository(db),
    exits,
    marketData,
    rebalancePolicies: createRebalancePoliciesRepository(db),
    optimiser,
    audit: createAuditLog(db),
    openOrders: createOpenOrders(db),
    workflowStatus: createWorkflowStatus(client),
    analyticsPayloads: createAnalyticsPayloads(db),
    analyticsInputs: createAnalyticsInputs(db),
    analyticsComputations: createAnalyticsComputations({ optimiser }),
    dailyRisk: createRiskSnapshotsRepository(db),
    dailyRiskSettings: {
      timeZone: config.dailyRisk.timeZone, concurrency: config.dailyRisk.concurrency, lookbackDays: config.dailyRisk.lookbackDays, webhookUrls: config.webhooks.urls,
    },
    webhookOutbox,
    webhookSender: createHttpWebhookSender({ secret: config.webhooks.secret, now: () => clock.now() }),
    stopOuts: createStopOutsRepository(db, { webhookUrls: config.webhooks.urls }),
    webhookHandOff,
    riskLimits: createRiskLimitsRepository(db, { webhookUrls: config.webhooks.urls }),
    killSwitch: createKillSwitchReads(db),
    orderCancellation: createOrderCancellation(client, KILL_SWITCH_CANCEL_WAIT_MS),
    logger: createJsonLogger(config.logLevel),
  });
  const worker = await Worker.create({
    connection,
    namespace: config.temporal.namespace,
    taskQueue: config.temporal.taskQueue,
    activities,
    ...(workflowBundle ? { workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
  const presence = createWorkerPresence(db);
  const workerId = `${worker.options.identity}/${randomUUID()}`;
  return {
    worker,
    async run() {
      const beat = () => presence.beat(workerId, config.temporal.taskQueue, clock.now()).catch(() => undefined); // the database may be away: the next beat tells
      await beat();
      const timer = setInterval(() => void beat(), config.workerHeartbeatSeconds * 1000);
      // Errors are retried by the next sweep (the database or Temporal may be away for a moment).
      const resting = createOrderReadModel(db);
      const crossedBy = async (quote: Quote) => [...await resting.restingOrdersCrossedBy(quote), ...await exits.exitsCrossedBy(quote)];
      const waker = startMarketWaker({ ticks, crossedBy, signals: createOrderSignals(client), onError: () => undefined });
      const outboxSweep = startWebhookOutboxSweep({ outbox: webhookOutbox, handOff: webhookHandOff, onError: () => undefined });
      try {
        await worker.run();
      } finally {
        clearInterval(timer);
        await outboxSweep.stop();
        await waker.stop();
        await presence.leave(workerId).catch(() => undefined);
      }
    },
    shutdown() {
      if (worker.getState() === 'RUNNING') worker.shutdown();
    },
  };
}
