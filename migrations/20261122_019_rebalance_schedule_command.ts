import type { Knex } from 'knex';

/**
 * Which signed command a portfolio's rebalance schedule runs (its issuedAt; with updated_by, who
 * put it): a scheduled run whose command is not the stored schedule's (deleted, or put again since)
 * is refused. Null for a schedule put before this column: only its existence is checked.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rebalance_schedules', (t) => {
    t.timestamp('command_issued_at', { useTz: true }).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rebalance_schedules', (t) => {
    t.dropColumn('command_issued_at');
  });
}
