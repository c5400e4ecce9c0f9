import type { Knex } from 'knex';

const DECIMAL = [38, 12] as const;

/**
 * Positions get a lifecycle (OPEN → PARTIAL → CLOSED, with its cost basis and realised P&L) and an
 * id that outlives them; an exit workflow per position keeps its state and its next trigger levels
 * here, so a stored quote wakes only the exits it crosses; every exit tranche is recorded.
 */
export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('position_lifecycles', (t) => {
    t.uuid('id').primary();
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.text('symbol').notNullable().references('instruments.symbol');
    t.text('direction').notNullable().checkIn(['LONG', 'SHORT'], 'position_lifecycles_direction_check');
    t.text('status').notNullable().checkIn(['OPEN', 'PARTIAL', 'CLOSED'], 'position_lifecycles_status_check');
    /** The average cost while it was built up: the basis of its exits' profit targets. */
    t.decimal('entry_price', ...DECIMAL).notNullable();
    /** The largest size it reached: what exit fractions refer to. */
    t.decimal('opened_quantity', ...DECIMAL).notNullable();
    t.decimal('quantity', ...DECIMAL).notNullable();
    t.decimal('realized_pnl', ...DECIMAL).notNullable();
    t.uuid('opened_by_order_id').nullable();
    t.timestamp('opened_at', { useTz: true }).notNullable();
    t.timestamp('closed_at', { useTz: true }).nullable();
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`create unique index position_lifecycles_live on position_lifecycles (portfolio_id, symbol) where status <> 'CLOSED'`);
  await knex.schema.alterTable('positions', (t) => {
    t.uuid('position_id').nullable();
  });
  // Positions open before lifecycles existed start theirs now, at their average cost.
  await knex.raw(`
    with opened as (
      insert into position_lifecycles (id, portfolio_id, symbol, direction, status, entry_price, opened_quantity, quantity, realized_pnl, opened_at)
      select gen_random_uuid(), portfolio_id, symbol, case when quantity > 0 then 'LONG' else 'SHORT' end, 'OPEN', average_cost, abs(quantity), abs(quantity), 0, updated_at
      from positions where quantity <> 0
      returning id, portfolio_id, symbol)
    update positions p set position_id = opened.id from opened where p.portfolio_id = opened.portfolio_id and p.symbol = opened.symbol`);

  await knex.schema.createTable('position_exits', (t) => {
    t.uuid('position_id').primary().references('position_lifecycles.id');
    t.text('workflow_id').notNullable().unique();
    t.uuid('portfolio_id').notNullable().references('portfolios.id');
    t.text('symbol').notNullable();
    t.text('direction').notNullable();
    t.text('status').notNullable().checkIn(['ACTIVE', 'PAUSED', 'CLOSED'], 'position_exits_status_check');
    /** A long wakes when bid ≤ lower or bid ≥ upper; a short when ask ≥ upper or ask ≤ lower. */
    t.decimal('lower_trigger', ...DECIMAL).nullable();
    t.decimal('upper_trigger', ...DECIMAL).nullable();
    t.timestamp('not_after', { useTz: true }).nullable();
    t.jsonb('state').notNullable();
    t.text('started_by').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
  });
  await knex.raw(`create index position_exits_waiting on position_exits (symbol) where status = 'ACTIVE'`);

  await knex.schema.createTable('exit_tranches', (t) => {
    t.uuid('position_id').notNullable().references('position_lifecycles.id');
    t.text('tranche_id').notNullable();
    t.uuid('order_id').notNullable();
    t.text('reason').notNullable();
    t.decimal('quantity', ...DECIMAL).notNullable();
    t.decimal('trigger_price', ...DECIMAL).nullable();
    t.decimal('filled_quantity', ...DECIMAL).notNullable();
    t.decimal('average_price', ...DECIMAL).nullable();
    t.decimal('realized_pnl', ...DECIMAL).notNullable();
    t.text('status').notNullable();
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.timestamp('updated_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.primary(['position_id', 'tranche_id']);
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.dropTableIfExists('exit_tranches');
  await knex.schema.dropTableIfExists('position_exits');
  await knex.schema.alterTable('positions', (t) => t.dropColumn('position_id'));
  await knex.schema.dropTableIfExists('position_lifecycles');
}
