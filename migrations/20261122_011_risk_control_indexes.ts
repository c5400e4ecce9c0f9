import type { Knex } from 'knex';

/**
 * What the decision reads under the portfolio's lock stays cheap however busy the day: the day's
 * approved orders (daily trades, the throttle), its fills and ledger entries (the day's P&L).
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index if not exists orders_counted_per_day on orders (portfolio_id, created_at)
    where execute and status not in ('PENDING_RISK', 'DENIED', 'VALIDATED')`);
  await knex.raw('create index if not exists fills_portfolio_created on fills (portfolio_id, created_at)');
  await knex.raw('create index if not exists ledger_entries_portfolio_created on ledger_entries (portfolio_id, created_at)');
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists ledger_entries_portfolio_created');
  await knex.raw('drop index if exists fills_portfolio_created');
  await knex.raw('drop index if exists orders_counted_per_day');
}
