import { randomUUID } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import type { Activities } from '../../activities';
import { WORKFLOWS_PATH } from '../../workers/compose-worker';
import { installQuietRuntime, sharedWorkflowBundle, temporalAddress } from './test-system';

const ORDER_ACTIVITY_NAMES = ['assessOrder', 'confirmAtSubmission', 'checkSubmitAndBook', 'submitOrderToBroker', 'refreshBrokerOrder', 'cancelBrokerOrder', 'bookBrokerReport', 'verifyCancelOrder'];

/**
 * Activities for a workflow test: the ones a scenario gives, typed as the real ones; any other call
 * fails the test's workflow loudly (non-retryable), so a scenario states every side effect it expects.
 */
export function mockActivities(given: Partial<Activities>): Activities {
  return new Proxy(given as Activities, {
    get(target, name: string) {
      const provided = target[name as keyof Activities];
      if (provided) return provided;
      // The last check before the broker passes unless a test says otherwise.
      if (name === 'confirmAtSubmission') {
        return async (orderId: string) => ({ orderId, status: 'APPROVED', decision: null, filledQuantity: '0', averageFillPrice: null, rejectionReason: null });
      }
      return async () => {
        const { ApplicationFailure } = await import('@temporalio/activity');
        throw ApplicationFailure.nonRetryable(`unexpected activity call: ${name}`, 'UnexpectedActivity');
      };
    },
    // The worker registers these: the order workflow's activities (the unexpected ones fail loudly) and any other the scenario gives.
    ownKeys: () => [...new Set([...ORDER_ACTIVITY_NAMES, ...Object.keys(given)])],
    getOwnPropertyDescriptor: () => ({ enumerable: true, configurable: true }),
  });
}

/** Records each call of each mocked activity, in order. */
export class CallLog {
  readonly calls: Array<{ name: string; args: unknown[] }> = [];
  names(): string[] {
    return this.calls.map((c) => c.name);
  }
  /** Wraps an activity so that its calls are recorded. */
  record<K extends keyof Activities>(name: K, impl: Activities[K]): Activities[K] {
    return (async (...args: unknown[]) => {
      this.calls.push({ name, args });
      return (impl as (...a: unknown[]) => unknown)(...args);
    }) as Activities[K];
  }
}

/**
 * Runs `scenario` against real workflow code on the run's shared Temporal dev server, with a worker
 * on a task queue of its own whose activities are the given mocks: no database, no broker.
 * The template for workflow tests. Temporal's time-skipping server cannot be downloaded here, so a
 * workflow that waits on a timer takes the duration as input and the test passes a short one.
 */
export async function withMockedWorker<T>(activities: Activities, scenario: (env: { client: Client; taskQueue: string }) => Promise<T>): Promise<T> {
  installQuietRuntime();
  const taskQueue = `workflow-test-${randomUUID()}`;
  const nativeConnection = await NativeConnection.connect({ address: temporalAddress() });
  const connection = await Connection.connect({ address: temporalAddress() });
  try {
    const bundle = await sharedWorkflowBundle();
    const worker = await Worker.create({
      connection: nativeConnection, taskQueue, activities,
      ...(bundle ? { workflowBundle: bundle } : { workflowsPath: WORKFLOWS_PATH }),
    });
    return await worker.runUntil(scenario({ client: new Client({ connection }), taskQueue }));
  } finally {
    await connection.close();
    await nativeConnection.close();
  }
}

/** Waits until `done()` holds, polling; throws after `timeoutMs`. */
export async function waitUntil(done: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!done()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A gate a mocked activity waits at until the test opens it. */
export function gate(): { wait: () => Promise<void>; open: () => void } {
  let open = () => undefined as void;
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { wait: () => opened, open };
}
