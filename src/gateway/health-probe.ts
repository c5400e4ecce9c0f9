import type { Client } from '@temporalio/client';

export type ComponentStatus = { readonly status: 'up' | 'down'; readonly detail?: string };
export interface HealthReport {
  readonly status: 'ok' | 'degraded';
  readonly components: { readonly temporal: ComponentStatus; readonly database: ComponentStatus; readonly worker: ComponentStatus };
}

const WORKER_SILENCE_MS = 90_000;

async function probe(check: () => Promise<string | undefined>): Promise<ComponentStatus> {
  try {
    const detail = await check();
    return detail === undefined ? { status: 'up' } : { status: 'down', detail };
  } catch (err) {
    return { status: 'down', detail: err instanceof Error ? err.message.split('\n')[0] : 'unreachable' };
  }
}

/** Temporal answers, the database answers, and a worker has polled the order queue recently. */
export function createHealthProbe(client: Client, pingDatabase: () => Promise<unknown>, namespace: string, taskQueue: string, now: () => Date) {
  return async (): Promise<HealthReport> => {
    const [temporal, database, worker] = await Promise.all([
      probe(async () => {
        await client.workflowService.getSystemInfo({}, );
        return undefined;
      }),
      probe(async () => {
        await pingDatabase();
        return undefined;
      }),
      probe(async () => {
        const res = await client.workflowService.describeTaskQueue({ namespace, taskQueue: { name: taskQueue }, taskQueueType: 1 });
        const recent = (res.pollers ?? []).filter((p) => {
          const seconds = Number(p.lastAccessTime?.seconds ?? 0);
          return now().getTime() - seconds * 1000 < WORKER_SILENCE_MS;
        });
        return recent.length > 0 ? undefined : `no worker has polled ${taskQueue} in the last ${WORKER_SILENCE_MS / 1000} s`;
      }),
    ]);
    const ok = temporal.status === 'up' && database.status === 'up' && worker.status === 'up';
    return { status: ok ? 'ok' : 'degraded', components: { temporal, database, worker } };
  };
}
