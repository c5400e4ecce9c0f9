import type { Knex } from 'knex';

/**
 * What the decision reads under the portfolio's lock must not grow with the portfolio's history.
 * - The open orders of a portfolio (and of a strategy in it) without its closed ones. The predicate
 *   is the order domain's open statuses (OPEN_ORDER_STATUSES) as literals, as the decision's
 *   statement names them; it replaces the index of every order per strategy, which only that read used.
 * - The deposits since the trading day began (the daily loss leaves them out) without the day's
 *   trade and fee entries.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.raw(`create index orders_open on orders (portfolio_id, strategy_id) where status in ('APPROVED', 'WORKING')`);
  await knex.raw('drop index if exists orders_portfolio_strategy');
  await knex.raw(`create index ledger_entries_deposits on ledger_entries (portfolio_id, created_at) where entry_type = 'DEPOSIT'`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('drop index if exists ledger_entries_deposits');
  await knex.raw(`create index orders_portfolio_strategy on orders (portfolio_id, strategy_id) where strategy_id is not null`);
  await knex.raw('drop index if exists orders_open');
}
