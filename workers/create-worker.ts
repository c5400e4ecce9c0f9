import { NativeConnection, Worker, type WorkflowBundle } from '@temporalio/worker';
import type { Knex } from 'knex';
import { createActivities } from '../activities';
import { createPaperBroker } from '../src/adapters/broker/paper/paper-broker.adapter';
import { createOrdersRepository } from '../src/adapters/db/orders.repository';
import { ORDERS_TASK_QUEUE } from '../src/contracts/task-queues';
import { paperCostEstimate, type PaperCostModel } from '../src/domain/broker/paper-execution';
import type { Clock } from '../src/ports/clock.port';

export interface WorkerDeps {
  readonly connection: NativeConnection;
  readonly namespace: string;
  readonly db: Knex;
  readonly paperCosts: PaperCostModel;
  readonly clock: Clock;
  /** A prebuilt bundle (tests, benchmarks) saves the few seconds the bundler takes. */
  readonly workflowBundle?: WorkflowBundle;
  readonly taskQueue?: string;
}

export const WORKFLOWS_PATH = require.resolve('../workflows');

/** The worker's composition: ports → adapters → activities, workflows from workflows/. */
export async function createRiskflowWorker(deps: WorkerDeps): Promise<Worker> {
  const broker = createPaperBroker(deps.db, deps.paperCosts, deps.clock);
  const activities = createActivities({
    orders: createOrdersRepository(deps.db),
    broker,
    clock: deps.clock,
    costEstimate: paperCostEstimate(deps.paperCosts),
  });
  return Worker.create({
    connection: deps.connection,
    namespace: deps.namespace,
    taskQueue: deps.taskQueue ?? ORDERS_TASK_QUEUE,
    activities,
    ...(deps.workflowBundle ? { workflowBundle: deps.workflowBundle } : { workflowsPath: WORKFLOWS_PATH }),
  });
}
