import type { Knex } from 'knex';

/** Analytics inputs and results too large for a Temporal payload, gzip-compressed JSON, by id. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('analytics_payloads', (t) => {
    t.text('id').primary();
    t.binary('body').notNullable();
    t.integer('json_bytes').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['created_at']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('analytics_payloads');
}
