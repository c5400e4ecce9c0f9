import type { Knex } from 'knex';

const DECIMAL = [38, 12] as const;

/** Rebalances: the plan as approved (its canonical form and version), every decision, every leg's outcome. */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rebalances', (t) => {
    t.uuid('id').primary();
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.text('mode').notNullable();
    t.text('status').notNullable();
    t.jsonb('request').notNullable();
    t.jsonb('plan').nullable();
    t.text('plan_version').nullable();
    t.text('reason').nullable();
    t.text('requested_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['portfolio_id', 'created_at']);
  });
  await knex.schema.createTable('rebalance_decisions', (t) => {
    t.bigIncrements('id');
    t.uuid('rebalance_id').notNullable().references('rebalances.id');
    t.text('decision').notNullable().checkIn(['approve', 'reject'], 'rebalance_decisions_decision_check');
    t.text('decided_by').notNullable();
    t.text('plan_version').notNullable();
    t.text('comment').nullable();
    t.timestamp('decided_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['rebalance_id', 'decided_by', 'decision']);
  });
  await knex.schema.createTable('rebalance_legs', (t) => {
    t.uuid('rebalance_id').notNullable().references('rebalances.id');
    t.integer('leg').notNullable();
    t.text('symbol').notNullable();
    t.text('side').notNullable();
    t.decimal('quantity', ...DECIMAL).notNullable();
    t.uuid('order_id').nullable();
    t.text('status').notNullable();
    t.decimal('filled_quantity', ...DECIMAL).notNullable().defaultTo(0);
    t.primary(['rebalance_id', 'leg']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('rebalance_legs');
  await knex.schema.dropTableIfExists('rebalance_decisions');
  await knex.schema.dropTableIfExists('rebalances');
}
