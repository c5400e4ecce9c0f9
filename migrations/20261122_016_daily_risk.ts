import type { Knex } from 'knex';

const DECIMAL = [38, 12] as const;

/**
 * The daily risk run's data: one snapshot per portfolio and date (re-running a day replaces it),
 * the breaches it found (one per portfolio, date and limit: a re-run does not act or alert twice),
 * each portfolio's daily-risk settings (limits beyond the pre-trade ones, the action per limit,
 * protections), stop-outs and cooldowns (protections), and the webhook outbox.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('risk_snapshots', (t) => {
    t.bigIncrements('id');
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.date('as_of_date').notNullable();
    t.text('run_id').notNullable();
    t.string('currency', 3).notNullable();
    t.decimal('equity', ...DECIMAL).notNullable();
    t.decimal('cash', ...DECIMAL).notNullable();
    t.decimal('daily_pnl', ...DECIMAL).notNullable();
    t.decimal('realized_pnl', ...DECIMAL).notNullable();
    t.decimal('unrealized_pnl', ...DECIMAL).notNullable();
    t.text('trading_state').notNullable();
    // Analytics figures on return series are floats (risk), the day's performance figures beside them.
    t.jsonb('risk').notNullable();
    t.jsonb('performance').notNullable();
    t.jsonb('breaches').notNullable().defaultTo('[]');
    t.timestamp('computed_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['portfolio_id', 'as_of_date']);
  });

  await knex.schema.createTable('risk_breaches', (t) => {
    t.bigIncrements('id');
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.date('as_of_date').notNullable();
    t.text('limit_kind').notNullable();
    t.text('observed').notNullable();
    t.text('limit_value').notNullable();
    t.text('action').notNullable().checkIn(['ALERT', 'REDUCING', 'HALTED'], 'risk_breaches_action_check');
    t.text('run_id').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['portfolio_id', 'as_of_date', 'limit_kind']);
  });

  await knex.schema.createTable('daily_risk_settings', (t) => {
    t.uuid('portfolio_id').primary().references('portfolios.id');
    t.decimal('max_drawdown_pct', ...DECIMAL).nullable();
    t.decimal('max_var95_pct', ...DECIMAL).nullable();
    // { "<LIMIT_KIND>": "ALERT" | "REDUCING" | "HALTED" }: absent kinds take the default action.
    t.jsonb('actions').notNullable().defaultTo('{}');
    t.integer('stop_out_limit').nullable();
    t.integer('stop_out_lookback_minutes').nullable();
    t.integer('cooldown_minutes').nullable();
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('stop_outs', (t) => {
    t.bigIncrements('id');
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.text('symbol').notNullable();
    t.timestamp('occurred_at', { useTz: true }).notNullable();
    // The stop order, when known: recorded once however often the recording is retried.
    t.text('order_id').nullable().unique();
    t.index(['portfolio_id', 'occurred_at']);
  });

  await knex.schema.createTable('trading_cooldowns', (t) => {
    t.uuid('portfolio_id').primary().references('portfolios.id');
    t.timestamp('until', { useTz: true }).notNullable();
    t.text('reason').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('webhook_deliveries', (t) => {
    t.bigIncrements('id');
    // One delivery per event and URL, however often the event is raised.
    t.text('event_id').notNullable();
    t.text('url').notNullable();
    t.text('event_type').notNullable();
    // The exact bytes signed and sent.
    t.text('body').notNullable();
    t.text('status').notNullable().defaultTo('PENDING').checkIn(['PENDING', 'DELIVERED', 'FAILED'], 'webhook_deliveries_status_check');
    t.integer('attempts').notNullable().defaultTo(0);
    t.text('last_error').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('delivered_at', { useTz: true }).nullable();
    t.unique(['event_id', 'url']);
    t.index(['status']);
  });

  // An order may be a risk-reducing exit: the trading-state gate lets such an order through a halt.
  await knex.schema.alterTable('orders', (t) => {
    t.text('purpose').nullable().checkIn(['EXIT'], 'orders_purpose_check');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('orders', (t) => t.dropColumn('purpose'));
  for (const table of ['webhook_deliveries', 'trading_cooldowns', 'stop_outs', 'daily_risk_settings', 'risk_breaches', 'risk_snapshots']) {
    await knex.schema.dropTableIfExists(table);
  }
}
