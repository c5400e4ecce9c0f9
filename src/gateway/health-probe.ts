import type { Client } from '@temporalio/client';
import type { WorkerPresence } from '../ports/worker-presence.port';

export type ComponentStatus = { readonly status: 'up' | 'down'; readonly detail?: string };
export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly components: { readonly temporal: ComponentStatus; readonly database: ComponentStatus; readonly worker: ComponentStatus };
}

/** Each component has this long to answer, so /health answers within two seconds whatever is down. */
export const PROBE_TIMEOUT_MS = 1_500;

async function probe(check: () => Promise<string | undefined>): Promise<ComponentStatus> {
  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<string>((resolve) => {
    timer = setTimeout(() => resolve(`no answer within ${PROBE_TIMEOUT_MS} ms`), PROBE_TIMEOUT_MS);
  });
  try {
    const work = check();
    work.catch(() => undefined); // answered late, after the timeout: nobody waits for it
    const detail = await Promise.race([work, timedOut]);
    return detail === undefined ? { status: 'up' } : { status: 'down', detail };
  } catch (err) {
    return { status: 'down', detail: err instanceof Error ? err.message.split('\n')[0] : 'unreachable' };
  } finally {
    clearTimeout(timer);
  }
}

export interface HealthProbeDeps {
  readonly client: Client;
  readonly pingDatabase: () => Promise<unknown>;
  readonly presence: WorkerPresence;
  readonly taskQueue: string;
  readonly workerSilenceSeconds: number;
  readonly now: () => Date;
}

/** Temporal answers, the database answers, and a worker of the order queue said it was alive recently. */
export function createHealthProbe({ client, pingDatabase, presence, taskQueue, workerSilenceSeconds, now }: HealthProbeDeps) {
  return async (): Promise<HealthReport> => {
    const [temporal, database, worker] = await Promise.all([
      probe(async () => {
        await client.connection.withDeadline(Date.now() + PROBE_TIMEOUT_MS, () => client.workflowService.getSystemInfo({}));
        return undefined;
      }),
      probe(async () => {
        await pingDatabase();
        return undefined;
      }),
      probe(async () => {
        const seen = await presence.lastSeen(taskQueue);
        if (seen === null) return `no worker of ${taskQueue} has said it is alive`;
        const silentMs = now().getTime() - seen.getTime();
        return silentMs <= workerSilenceSeconds * 1000 ? undefined : `no worker of ${taskQueue} has said it is alive for ${Math.round(silentMs / 1000)} s`;
      }),
    ]);
    const ok = temporal.status === 'up' && database.status === 'up' && worker.status === 'up';
    return { status: ok ? 'ok' : 'degraded', components: { temporal, database, worker } };
  };
}
