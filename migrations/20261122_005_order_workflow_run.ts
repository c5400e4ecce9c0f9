import type { Knex } from 'knex';

/** The workflow run that recorded each order: the same signed command presented by another run is a replay. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.text('workflow_run_id').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => {
    t.dropColumn('workflow_run_id');
  });
}
