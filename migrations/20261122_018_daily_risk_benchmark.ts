import type { Knex } from 'knex';

/**
 * Daily-risk settings gain the benchmark the betas are measured against (the beta-adjusted
 * exposure, beta budgets) and the number of daily returns a statistical limit needs before it is
 * judged, and the share of each position a de-risking proposal keeps after a breach.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('daily_risk_settings', (t) => {
    t.text('benchmark_symbol').nullable().references('instruments.symbol');
    t.integer('min_observations').nullable();
    t.decimal('de_risking_scale', 38, 12).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('daily_risk_settings', (t) => {
    t.dropColumn('benchmark_symbol');
    t.dropColumn('min_observations');
    t.dropColumn('de_risking_scale');
  });
}
