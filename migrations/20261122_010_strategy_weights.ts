import type { Knex } from 'knex';

/**
 * A portfolio's signal combination: the weight of each strategy and the thresholds a combined
 * signal must reach to trade. No row means the defaults (src/domain/signals/signal-combination.ts).
 * Weights and thresholds are statistics, kept exactly as given in unconstrained numeric columns.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('signal_settings', (t) => {
    t.uuid('portfolio_id').primary().references('portfolios.id');
    t.decimal('min_strength', null).notNullable();
    t.decimal('min_confidence', null).notNullable();
    t.decimal('min_agreement', null).notNullable();
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`alter table signal_settings add constraint signal_settings_thresholds_check
    check (min_strength between 0 and 1 and min_confidence between 0 and 1 and min_agreement between 0 and 1)`);

  await knex.schema.createTable('strategy_weights', (t) => {
    t.uuid('portfolio_id').notNullable().references('signal_settings.portfolio_id').onDelete('CASCADE');
    t.text('strategy_id').notNullable();
    t.decimal('weight', null).notNullable();
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['portfolio_id', 'strategy_id']);
  });
  await knex.raw('alter table strategy_weights add constraint strategy_weights_weight_check check (weight >= 0)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('strategy_weights');
  await knex.schema.dropTableIfExists('signal_settings');
}
