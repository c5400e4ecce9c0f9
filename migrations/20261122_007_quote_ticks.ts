import type { Knex } from 'knex';

/**
 * Every stored change of a quote, in order: the paper venue matches a resting order against each
 * tick since it last looked, and a tick not yet woken (its crossed orders not yet told) is the
 * outbox a worker's sweep delivers, whatever died after it was stored.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('quote_ticks', (t) => {
    t.bigIncrements('seq');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.decimal('bid', 38, 12).notNullable();
    t.decimal('ask', 38, 12).notNullable();
    t.decimal('last', 38, 12).notNullable();
    t.timestamp('as_of', { useTz: true }).notNullable();
    t.text('source').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('woken_at', { useTz: true }).nullable();
    t.index(['symbol', 'seq']);
  });
  await knex.raw('create index quote_ticks_unwoken on quote_ticks (created_at) where woken_at is null');
  await knex.schema.alterTable('paper_orders', (t) => {
    t.bigInteger('last_tick_seq').notNullable().defaultTo(0);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('paper_orders', (t) => t.dropColumn('last_tick_seq'));
  await knex.schema.dropTableIfExists('quote_ticks');
}
