import type { Knex } from 'knex';

/**
 * When an approved order passed the last check before the broker. The check runs in the activity
 * that submits; the first attempt to pass it (or to reject the order) wins, so a retried attempt
 * submits an order already cleared instead of checking it again against a quote that has moved
 * since, and never rejects an order that may already be at the broker.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.timestamp('submission_cleared_at', { useTz: true }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.dropColumn('submission_cleared_at');
  });
}
