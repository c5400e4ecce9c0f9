import type { Knex } from 'knex';
import type { WorkerPresence } from '../../ports/worker-presence.port';

export function createWorkerPresence(db: Knex): WorkerPresence {
  return {
    async beat(workerId, taskQueue, at) {
      await db('worker_heartbeats').insert({ worker_id: workerId, task_queue: taskQueue, seen_at: at }).onConflict('worker_id').merge(['seen_at', 'task_queue']);
    },
    async lastSeen(taskQueue) {
      const row = await db('worker_heartbeats').where({ task_queue: taskQueue }).max<{ seen_at: Date | null }>('seen_at as seen_at').first();
      return row?.seen_at ?? null;
    },
    async leave(workerId) {
      await db('worker_heartbeats').where({ worker_id: workerId }).delete();
    },
  };
}
