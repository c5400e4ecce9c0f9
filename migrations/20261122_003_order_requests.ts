import type { Knex } from 'knex';

/**
 * Client request ids as they are first claimed: of concurrent requests under one id, exactly one
 * claims it and is answered 201; every other is a repeat and is answered 200.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('order_requests', (t) => {
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.text('client_request_id').notNullable();
    t.uuid('order_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['portfolio_id', 'client_request_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('order_requests');
}
