import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { Client, Connection, WithStartWorkflowOperation } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import { awaitRiskDecisionUpdate, ORDER_WORKFLOW_REVISION, type OrderProgress, type PlaceOrderCommand } from '../src/contracts/order-contracts';
import { BENCH_DISPATCH_RPS, startBenchTemporal } from './bench-platform';
import { pingUpdate } from './ceiling.workflow';
import { percentile } from './load-generator';
import { firstTaskTimeline } from './workflow-timeline';

const REQUESTS = Number(process.env.BENCH_FLOOR_REQUESTS ?? 200);
/** What the stub decision and the stub step to the broker take: about what the real decision's transaction takes here. */
const ACTIVITY_MS = Number(process.env.BENCH_FLOOR_ACTIVITY_MS ?? 9);
const TASK_QUEUE = 'floor';

/**
 * The floor the order workflow's shape sets, apart from everything Riskflow does inside it: one
 * client at a time, update-with-start straight from a Temporal client (no HTTP, no database), against
 * the empty ceiling workflow; then the ceiling with one local activity of ACTIVITY_MS in its first
 * task; then the real order workflow with stub activities that only wait ACTIVITY_MS. The order
 * path's one-client latency cannot go below the last line's ratio (BENCH_DISPATCH_RPS=1000 shows it
 * without the dev server's 50 ms dispatch beat).
 */
async function main(): Promise<void> {
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger('WARN') });
  const temporal = await startBenchTemporal();
  const workerConnection = await NativeConnection.connect({ address: temporal.address });
  const connection = await Connection.connect({ address: temporal.address });
  try {
    const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
    const progress = (orderId: string, status: OrderProgress['status']): OrderProgress => ({
      orderId, status, decision: null, filledQuantity: status === 'FILLED' ? '1' : '0', averageFillPrice: null, rejectionReason: null,
    });
    const worker = await Worker.create({
      connection: workerConnection, taskQueue: TASK_QUEUE,
      workflowBundle: await bundleWorkflowCode({ workflowsPath: path.join(__dirname, 'bench-workflows.ts'), logger: new DefaultLogger('WARN') }),
      activities: {
        decideInFirstTask: async (ms: number) => wait(ms).then(() => 'decided'),
        assessOrder: async (command: PlaceOrderCommand) => wait(ACTIVITY_MS).then(() => progress(command.orderId, 'APPROVED')),
        checkSubmitAndBook: async (orderId: string) => wait(ACTIVITY_MS).then(() => ({ kind: 'DONE', progress: progress(orderId, 'FILLED') })),
      },
    });
    const running = worker.run();
    const client = new Client({ connection });
    const sides: Array<{ name: string; send: (workflowId: string) => Promise<unknown> }> = [
      { name: 'ceiling (empty workflow)', send: (workflowId) => client.workflow.executeUpdateWithStart(pingUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation('ceilingWorkflow', { workflowId, taskQueue: TASK_QUEUE, args: [], workflowIdConflictPolicy: 'USE_EXISTING' }), updateId: 'ping' }) },
      { name: `ceiling + a ${ACTIVITY_MS} ms local activity`, send: (workflowId) => client.workflow.executeUpdateWithStart(pingUpdate, {
        startWorkflowOperation: new WithStartWorkflowOperation('ceilingWithLocalActivityWorkflow', { workflowId, taskQueue: TASK_QUEUE, args: [ACTIVITY_MS], workflowIdConflictPolicy: 'USE_EXISTING' }), updateId: 'ping' }) },
      { name: `orderWorkflow, stub activities of ${ACTIVITY_MS} ms`, send: (workflowId) => {
        const command: PlaceOrderCommand = {
          orderId: workflowId, portfolioId: 'floor', clientRequestId: null, symbol: 'AAPL', side: 'BUY', type: 'MARKET', quantity: '1', limitPrice: null,
          execute: true, requestedBy: 'bench', workflowRevision: ORDER_WORKFLOW_REVISION, issuedAt: new Date().toISOString(), signature: 'unchecked',
        };
        return client.workflow.executeUpdateWithStart(awaitRiskDecisionUpdate, {
          startWorkflowOperation: new WithStartWorkflowOperation('orderWorkflow', { workflowId, taskQueue: TASK_QUEUE, args: [command], workflowIdConflictPolicy: 'USE_EXISTING' }),
          updateId: 'risk-decision',
        });
      } },
    ];
    const latencies = sides.map(() => [] as number[]);
    const lastIds = sides.map(() => [] as string[]);
    for (const side of sides) await side.send(`warm-${randomUUID()}`);
    // Interleaved rounds: a moment of load elsewhere on the machine touches every side alike.
    for (let round = 0; round < 4; round++) {
      for (const [i, side] of sides.entries()) {
        for (let n = 0; n < REQUESTS / 4; n++) {
          const workflowId = `floor-${randomUUID()}`;
          const started = performance.now();
          await side.send(workflowId);
          latencies[i]!.push(performance.now() - started);
          lastIds[i]!.push(workflowId);
        }
      }
    }
    console.log(`One client, update-with-start until the answer, ${REQUESTS} requests per side${BENCH_DISPATCH_RPS ? `, dispatch limit ${BENCH_DISPATCH_RPS}/s` : ''}`);
    console.log(`  ${''.padEnd(44)} ${'p50 ms'.padStart(8)} ${'ratio'.padStart(6)} ${'first task ms'.padStart(14)}`);
    const ceilingP50 = percentile([...latencies[0]!].sort((a, b) => a - b), 50);
    for (const [i, side] of sides.entries()) {
      const p50 = percentile([...latencies[i]!].sort((a, b) => a - b), 50);
      const timelines = (await Promise.all(lastIds[i]!.slice(-30).map((id) => firstTaskTimeline(client, id)))).filter((t) => t !== null);
      const firstTask = percentile(timelines.map((t) => t.firstTaskMs).sort((a, b) => a - b), 50);
      console.log(`  ${side.name.padEnd(44)} ${p50.toFixed(1).padStart(8)} ${(p50 / ceilingP50).toFixed(2).padStart(6)} ${firstTask.toFixed(1).padStart(14)}`);
    }
    worker.shutdown();
    await running;
  } finally {
    await connection.close();
    await workerConnection.close();
    await temporal.stop();
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exitCode = 1;
});
