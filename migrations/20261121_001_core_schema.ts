import type { Knex } from 'knex';

// Money, prices and quantities are numeric (exact decimals), never float.
const DECIMAL = [38, 12] as const;

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('accounts', (t) => {
    t.text('id').primary();
    t.text('name').notNullable();
    t.text('kind').notNullable().checkIn(['paper', 'live'], 'accounts_kind_check');
    t.text('broker').notNullable().checkIn(['paper', 'ccxt', 'ib'], 'accounts_broker_check');
    t.text('status').notNullable().defaultTo('ACTIVE').checkIn(['ACTIVE', 'SUSPENDED', 'CLOSED'], 'accounts_status_check');
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('portfolios', (t) => {
    t.uuid('id').primary();
    t.text('account_id').notNullable().references('accounts.id');
    t.text('name').notNullable();
    t.string('base_currency', 3).notNullable();
    t.decimal('cash', ...DECIMAL).notNullable();
    t.text('created_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('instruments', (t) => {
    t.text('symbol').primary();
    t.text('name').notNullable();
    t.text('asset_class').notNullable();
    t.string('currency', 3).notNullable();
    t.decimal('tick_size', ...DECIMAL).notNullable();
    t.decimal('lot_size', ...DECIMAL).notNullable();
    t.decimal('min_notional', ...DECIMAL).notNullable();
    t.text('sector').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
  });

  await knex.schema.createTable('quotes', (t) => {
    t.text('symbol').primary().references('instruments.symbol');
    t.decimal('bid', ...DECIMAL).notNullable();
    t.decimal('ask', ...DECIMAL).notNullable();
    t.decimal('last', ...DECIMAL).notNullable();
    t.timestamp('as_of', { useTz: true }).notNullable();
    t.text('source').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('price_history', (t) => {
    t.text('symbol').notNullable().references('instruments.symbol');
    t.date('date').notNullable();
    t.decimal('close', ...DECIMAL).notNullable();
    t.primary(['symbol', 'date']);
  });

  await knex.schema.createTable('risk_limits', (t) => {
    t.uuid('portfolio_id').primary().references('portfolios.id');
    t.decimal('max_order_value', ...DECIMAL).notNullable();
    t.decimal('max_position_pct_of_equity', ...DECIMAL).notNullable();
    t.integer('max_open_positions').notNullable();
    t.decimal('max_gross_leverage', ...DECIMAL).notNullable();
    t.specificType('allowed_symbols', 'text[]').nullable();
    t.integer('max_quote_age_seconds').notNullable();
    t.boolean('allow_short').notNullable();
    t.text('updated_by').notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });

  await knex.schema.createTable('positions', (t) => {
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.decimal('quantity', ...DECIMAL).notNullable();
    t.decimal('average_cost', ...DECIMAL).notNullable();
    t.decimal('realized_pnl', ...DECIMAL).notNullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['portfolio_id', 'symbol']);
  });

  await knex.schema.createTable('orders', (t) => {
    t.uuid('id').primary();
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.text('client_request_id').nullable();
    t.text('workflow_id').notNullable().unique();
    t.text('symbol').notNullable();
    t.text('side').notNullable().checkIn(['BUY', 'SELL'], 'orders_side_check');
    t.text('type').notNullable().checkIn(['MARKET', 'LIMIT'], 'orders_type_check');
    t.decimal('quantity', ...DECIMAL).notNullable();
    t.decimal('limit_price', ...DECIMAL).nullable();
    t.boolean('execute').notNullable();
    t.text('status').notNullable();
    t.jsonb('decision').nullable();
    t.decimal('reference_price', ...DECIMAL).nullable();
    t.decimal('estimated_notional', ...DECIMAL).nullable();
    t.text('broker_client_order_id').nullable().unique();
    t.decimal('filled_quantity', ...DECIMAL).notNullable().defaultTo(0);
    t.decimal('average_fill_price', ...DECIMAL).nullable();
    t.decimal('fees', ...DECIMAL).notNullable().defaultTo(0);
    t.text('rejection_reason').nullable();
    t.text('requested_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['portfolio_id', 'client_request_id']);
    t.index(['portfolio_id', 'created_at']);
    t.index(['symbol', 'status']);
  });

  await knex.schema.createTable('fills', (t) => {
    t.uuid('id').primary();
    t.uuid('order_id').notNullable().references('orders.id');
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.text('symbol').notNullable();
    t.text('side').notNullable();
    t.decimal('quantity', ...DECIMAL).notNullable();
    t.decimal('price', ...DECIMAL).notNullable();
    t.decimal('fee', ...DECIMAL).notNullable();
    // One broker execution is booked once, however often the booking is retried.
    t.text('broker_execution_id').notNullable().unique();
    t.timestamp('executed_at', { useTz: true }).notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['order_id']);
  });

  await knex.schema.createTable('ledger_entries', (t) => {
    t.bigIncrements('id');
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.uuid('order_id').nullable().references('orders.id');
    t.uuid('fill_id').nullable().references('fills.id');
    t.text('entry_type').notNullable().checkIn(['DEPOSIT', 'TRADE_CASH', 'FEE', 'TRADE_POSITION'], 'ledger_entry_type_check');
    // null symbol: the cash account in the portfolio's base currency.
    t.text('symbol').nullable();
    t.decimal('amount', ...DECIMAL).notNullable();
    t.decimal('balance_after', ...DECIMAL).notNullable();
    t.text('description').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['portfolio_id', 'id']);
  });

  await knex.schema.createTable('audit_log', (t) => {
    t.bigIncrements('id');
    t.timestamp('occurred_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.text('principal').notNullable();
    t.text('action').notNullable();
    t.text('entity_type').notNullable();
    t.text('entity_id').notNullable();
    t.jsonb('details').notNullable().defaultTo('{}');
    t.index(['entity_type', 'entity_id']);
  });

  // The paper venue's own books: what a real broker would keep on its side.
  await knex.schema.createTable('paper_orders', (t) => {
    t.text('client_order_id').primary();
    t.uuid('broker_order_id').notNullable().unique();
    t.text('symbol').notNullable();
    t.text('side').notNullable();
    t.text('type').notNullable();
    t.decimal('quantity', ...DECIMAL).notNullable();
    t.decimal('limit_price', ...DECIMAL).nullable();
    t.text('status').notNullable();
    t.text('reject_reason').nullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.index(['symbol', 'status']);
  });

  await knex.schema.createTable('paper_executions', (t) => {
    t.text('execution_id').primary();
    t.text('client_order_id').notNullable().references('paper_orders.client_order_id');
    t.decimal('quantity', ...DECIMAL).notNullable();
    t.decimal('price', ...DECIMAL).notNullable();
    t.decimal('fee', ...DECIMAL).notNullable();
    t.timestamp('executed_at', { useTz: true }).notNullable();
  });
}

export async function down(knex: Knex): Promise<void> {
  for (const table of ['paper_executions', 'paper_orders', 'audit_log', 'ledger_entries', 'fills', 'orders', 'positions', 'risk_limits', 'price_history', 'quotes', 'instruments', 'portfolios', 'accounts']) {
    await knex.schema.dropTableIfExists(table);
  }
}
