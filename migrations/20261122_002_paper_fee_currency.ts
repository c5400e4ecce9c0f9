import type { Knex } from 'knex';

/** Fees carry their currency: a venue may charge in another currency than the instrument's. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('paper_executions', (t) => {
    t.string('fee_currency', 10).nullable();
  });
  // Executions so far were charged in their instrument's currency.
  await knex.raw(`
    update paper_executions e set fee_currency = i.currency
    from paper_orders o join instruments i on i.symbol = o.symbol
    where o.client_order_id = e.client_order_id`);
  await knex.schema.alterTable('paper_executions', (t) => {
    t.string('fee_currency', 10).notNullable().alter();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('paper_executions', (t) => {
    t.dropColumn('fee_currency');
  });
}
