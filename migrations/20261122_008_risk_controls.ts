import type { Knex } from 'knex';

const DECIMAL = [38, 12] as const;
const STATES = ['ACTIVE', 'REDUCING', 'HALTED'];

/**
 * The full pre-trade engine's data: trading states of portfolios and accounts (set with a reason),
 * the portfolio's further limits (null: the default), the account's and the instrument's own
 * limits, and what an order carries beyond its terms (strategy, signal, stops) and its position keeps.
 */
export async function up(knex: Knex): Promise<void> {
  for (const table of ['portfolios', 'accounts']) {
    await knex.schema.alterTable(table, (t) => {
      t.text('trading_state').notNullable().defaultTo('ACTIVE').checkIn(STATES, `${table}_trading_state_check`);
      t.text('trading_state_reason').nullable();
      t.text('trading_state_changed_by').nullable();
      t.timestamp('trading_state_changed_at', { useTz: true }).nullable();
    });
  }

  await knex.schema.alterTable('risk_limits', (t) => {
    t.decimal('max_order_quantity', ...DECIMAL).nullable();
    t.integer('max_open_positions_per_strategy').nullable();
    t.decimal('max_sector_exposure_pct', ...DECIMAL).nullable();
    t.decimal('max_correlation', ...DECIMAL).nullable();
    t.integer('correlation_lookback_days').nullable();
    t.integer('correlation_min_observations').nullable();
    t.text('correlation_on_short_history').nullable().checkIn(['ALLOW', 'DENY'], 'risk_limits_short_history_check');
    t.decimal('max_daily_loss', ...DECIMAL).nullable();
    t.text('trading_day_time_zone').nullable();
    t.integer('max_daily_trades').nullable();
    t.integer('max_orders_per_window').nullable();
    t.integer('order_rate_window_seconds').nullable();
    t.decimal('price_collar_pct', ...DECIMAL).nullable();
    t.decimal('min_signal_confidence', ...DECIMAL).nullable();
    t.decimal('signal_probability_margin', ...DECIMAL).nullable();
    t.integer('version').notNullable().defaultTo(1);
  });
  // Every portfolio limit is a setting: null takes the default (new portfolios set none).
  await knex.raw(`alter table risk_limits
    alter column max_order_value drop not null, alter column max_position_pct_of_equity drop not null,
    alter column max_open_positions drop not null, alter column max_gross_leverage drop not null,
    alter column max_quote_age_seconds drop not null, alter column allow_short drop not null`);

  await knex.schema.createTable('account_risk_limits', (t) => {
    t.text('account_id').primary().references('accounts.id');
    t.decimal('max_order_value', ...DECIMAL).nullable();
    t.decimal('max_order_quantity', ...DECIMAL).nullable();
    t.integer('max_daily_trades').nullable();
    t.specificType('allowed_symbols', 'text[]').nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('instrument_risk_limits', (t) => {
    t.text('symbol').primary().references('instruments.symbol');
    t.decimal('max_order_value', ...DECIMAL).nullable();
    t.decimal('max_order_quantity', ...DECIMAL).nullable();
    t.decimal('price_collar_pct', ...DECIMAL).nullable();
    t.integer('version').notNullable().defaultTo(1);
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.alterTable('orders', (t) => {
    t.text('strategy_id').nullable();
    t.jsonb('signal').nullable();
    t.decimal('stop_loss', ...DECIMAL).nullable();
    t.decimal('take_profit', ...DECIMAL).nullable();
  });
  // A strategy's open orders are found per portfolio when its positions are counted.
  await knex.raw(`create index orders_portfolio_strategy on orders (portfolio_id, strategy_id) where strategy_id is not null`);

  await knex.schema.alterTable('positions', (t) => {
    // The strategy whose order opened the position; its stops, for the exit workflows.
    t.text('strategy_id').nullable();
    t.decimal('stop_loss', ...DECIMAL).nullable();
    t.decimal('take_profit', ...DECIMAL).nullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('positions', (t) => t.dropColumns('strategy_id', 'stop_loss', 'take_profit'));
  await knex.raw('drop index if exists orders_portfolio_strategy');
  await knex.schema.alterTable('orders', (t) => t.dropColumns('strategy_id', 'signal', 'stop_loss', 'take_profit'));
  await knex.schema.dropTableIfExists('instrument_risk_limits');
  await knex.schema.dropTableIfExists('account_risk_limits');
  await knex.schema.alterTable('risk_limits', (t) => t.dropColumns(
    'max_order_quantity', 'max_open_positions_per_strategy', 'max_sector_exposure_pct', 'max_correlation', 'correlation_lookback_days',
    'correlation_min_observations', 'correlation_on_short_history', 'max_daily_loss', 'trading_day_time_zone', 'max_daily_trades',
    'max_orders_per_window', 'order_rate_window_seconds', 'price_collar_pct', 'min_signal_confidence', 'signal_probability_margin', 'version'));
  for (const table of ['accounts', 'portfolios']) {
    await knex.schema.alterTable(table, (t) => t.dropColumns('trading_state', 'trading_state_reason', 'trading_state_changed_by', 'trading_state_changed_at'));
  }
}
