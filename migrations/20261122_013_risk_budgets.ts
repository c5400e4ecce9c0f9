import type { Knex } from 'knex';

/** Risk budgets as risk officers store them: over a portfolio's assets, sectors or strategies, or over entities given when evaluated. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('risk_budgets', (t) => {
    t.uuid('id').primary();
    t.text('name').notNullable();
    t.uuid('portfolio_id').nullable().references('portfolios.id');
    t.text('entity_type').notNullable().checkIn(['asset', 'sector', 'strategy'], 'risk_budgets_entity_type_check');
    t.integer('lookback_days').nullable();
    // The definition's figures are analytics parameters (fractions, thresholds), not money.
    t.jsonb('definition').notNullable();
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['portfolio_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('risk_budgets');
}
