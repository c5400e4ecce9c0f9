import type { Knex } from 'knex';

/**
 * Each running worker's last sign of life, every few seconds: /health tells a missing worker in
 * seconds (a live worker's Temporal poll can be a minute old, so the poller list cannot).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('worker_heartbeats', (t) => {
    t.text('worker_id').primary();
    t.text('task_queue').notNullable();
    t.timestamp('seen_at', { useTz: true }).notNullable();
    t.index(['task_queue', 'seen_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('worker_heartbeats');
}
