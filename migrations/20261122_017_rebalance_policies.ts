import type { Knex } from 'knex';

const DECIMAL = [38, 12] as const;

/**
 * Per-portfolio rebalance rules (approvers, automatic mode, market hours), stored target sets
 * (per asset or per strategy, with bands), rebalance schedules, and how many approvers a plan needs.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('rebalance_policies', (t) => {
    t.uuid('portfolio_id').primary().references('portfolios.id');
    t.decimal('two_approvers_above', ...DECIMAL).nullable();
    t.boolean('automatic_allowed').notNullable().defaultTo(false);
    t.decimal('automatic_max_traded_value', ...DECIMAL).nullable();
    t.decimal('automatic_max_cost_pct', ...DECIMAL).nullable();
    t.boolean('respect_market_hours').notNullable().defaultTo(false);
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.createTable('rebalance_targets', (t) => {
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.text('kind').notNullable().checkIn(['asset', 'strategy'], 'rebalance_targets_kind_check');
    t.text('name').notNullable();
    t.decimal('target', ...DECIMAL).notNullable();
    t.decimal('min', ...DECIMAL).nullable();
    t.decimal('max', ...DECIMAL).nullable();
    t.decimal('threshold', ...DECIMAL).nullable();
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['portfolio_id', 'kind', 'name']);
  });
  await knex.schema.createTable('rebalance_schedules', (t) => {
    t.uuid('portfolio_id').primary().references('portfolios.id');
    t.text('schedule_id').notNullable().unique();
    t.jsonb('definition').notNullable();
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.schema.alterTable('rebalances', (t) => {
    t.integer('approvals_required').notNullable().defaultTo(1);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('rebalances', (t) => t.dropColumn('approvals_required'));
  await knex.schema.dropTableIfExists('rebalance_schedules');
  await knex.schema.dropTableIfExists('rebalance_targets');
  await knex.schema.dropTableIfExists('rebalance_policies');
}
