import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { Knex } from 'knex';
import { createMarketDataRepository } from '../adapters/db/market-data.repository';
import { createOrdersRepository } from '../adapters/db/orders.repository';
import { createPortfoliosRepository } from '../adapters/db/portfolios.repository';
import type { ApiKeyGrant } from '../config/config';
import { ORDERS_TASK_QUEUE } from '../contracts/task-queues';
import type { Clock } from '../ports/clock.port';
import type { Logger } from '../ports/logger.port';
import { createApiKeyAuthenticator } from './api-key-auth';
import type { GatewayDeps } from './gateway-deps';
import { createHealthProbe } from './health-probe';
import { createOrderWorkflows } from './order-workflows';

export interface GatewayWiring {
  readonly client: Client;
  readonly db: Knex;
  readonly namespace: string;
  readonly apiKeys: readonly ApiKeyGrant[];
  readonly logger: Logger;
  readonly clock: Clock;
  readonly taskQueue?: string;
  /** How long POST /v1/orders waits for the risk decision before answering 202. */
  readonly decisionTimeoutMs?: number;
}

export function createGatewayDeps(w: GatewayWiring): GatewayDeps {
  const taskQueue = w.taskQueue ?? ORDERS_TASK_QUEUE;
  return {
    orders: createOrdersRepository(w.db),
    portfolios: createPortfoliosRepository(w.db),
    marketData: createMarketDataRepository(w.db),
    orderWorkflows: createOrderWorkflows(w.client, taskQueue, w.decisionTimeoutMs),
    authenticateKey: createApiKeyAuthenticator(w.apiKeys),
    health: createHealthProbe(w.client, w.db, w.namespace, taskQueue, () => w.clock.now()),
    logger: w.logger,
    clock: w.clock,
    newId: randomUUID,
  };
}
