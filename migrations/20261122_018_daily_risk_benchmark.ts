import type { Knex } from 'knex';

/**
 * Daily-risk settings gain the benchmark the betas are measured against (the beta-adjusted
 * exposure, beta budgets) and the number of daily returns a statistical limit needs before it is
 * judged.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('daily_risk_settings', (t) => {
    t.text('benchmark_symbol').nullable().references('instruments.symbol');
    t.integer('min_observations').nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('daily_risk_settings', (t) => {
    t.dropColumn('benchmark_symbol');
    t.dropColumn('min_observations');
  });
}
