import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { isFinalOrderStatus, type OrderStatus } from '../../domain/orders/order';
import { flatPosition, type PositionState } from '../../domain/portfolio/fill-accounting';
import { bookFill } from '../../domain/portfolio/fill-ledger';
import { stepLifecycle, type PositionDirection, type PositionLifecycle, type PositionStatus } from '../../domain/portfolio/position-lifecycle';
import { toWire } from '../../domain/values/decimal';
import { Money } from '../../domain/values/money';
import { price } from '../../domain/values/price';
import { signedQuantity } from '../../domain/values/quantity';
import { OrderNotRecordedError, type BooksPort } from '../../ports/books.port';
import { appendAudit } from './audit-log.repository';
import { toProgress, type OrderRow } from './order-rows';
import { lockPortfolio } from './portfolio-lock';
import { num } from './row-mappers';
import { oneStatement, type SqlStatement } from './one-statement';

type FillTotals = { quantity: string | null; notional: string | null; fees: string | null };
type PositionRow = { quantity: string; average_cost: string; realized_pnl: string };

function toPositionState(row: PositionRow | undefined, currency: string): PositionState {
  return row
    ? { quantity: signedQuantity(num(row.quantity)), averageCost: price(num(row.average_cost)), realizedPnl: Money.of(num(row.realized_pnl), currency) }
    : flatPosition(currency);
}

type LifecycleRow = { id: string; direction: PositionDirection; status: PositionStatus; entry_price: string; opened_quantity: string; quantity: string; realized_pnl: string };

const lifecycleColumns = (l: PositionLifecycle) => ({
  direction: l.direction, status: l.status, entry_price: l.entryPrice.toFixed(), opened_quantity: l.openedQuantity.toFixed(), quantity: l.quantity.toFixed(), realized_pnl: l.realizedPnl.toFixed(),
});

/**
 * How the lifecycle of the position a fill touched moves (its live row as read, locked, with the
 * position): the id of the position live after it (null when flat), and its writes. `closeFirst`
 * runs on its own before the rest: a flip closes the live row before the new one may be live (one
 * live lifecycle per symbol, checked as each row is written); `writes` join the booking's one statement.
 */
function lifecycleStep(trx: Knex.Transaction, row: LifecycleRow | null, where: { portfolioId: string; symbol: string; orderId: string; at: Date }, fill: Parameters<typeof stepLifecycle>[1]): { positionId: string | null; closeFirst: SqlStatement[]; writes: SqlStatement[] } {
  const live: PositionLifecycle | null = row ? {
    direction: row.direction, status: row.status, entryPrice: price(num(row.entry_price)), openedQuantity: num(row.opened_quantity), quantity: num(row.quantity), realizedPnl: num(row.realized_pnl),
  } : null;
  const step = stepLifecycle(live, fill);
  if (step === null) return { positionId: row?.id ?? null, closeFirst: [], writes: [] };
  if (step.kind === 'CHANGE') {
    return { positionId: row!.id, closeFirst: [], writes: [trx('position_lifecycles').where({ id: row!.id }).update({ ...lifecycleColumns(step.live), updated_at: trx.fn.now() }).toSQL()] };
  }
  const close = step.kind === 'CLOSE' || step.kind === 'FLIP'
    ? [trx('position_lifecycles').where({ id: row!.id }).update({ ...lifecycleColumns(step.closed), closed_at: where.at, updated_at: trx.fn.now() }).toSQL()]
    : [];
  if (step.kind === 'CLOSE') return { positionId: null, closeFirst: [], writes: close };
  const id = randomUUID();
  const open = trx('position_lifecycles').insert({ id, portfolio_id: where.portfolioId, symbol: where.symbol, ...lifecycleColumns(step.opened), opened_by_order_id: where.orderId, opened_at: where.at }).toSQL();
  return { positionId: id, closeFirst: close, writes: [open] };
}

/**
 * The fill, recorded once (an execution already booked inserts nothing), and, locked, the position
 * and the live lifecycle of its symbol, in one round trip. Numerics travel as text, exact.
 */
const RECORD_FILL_SQL = `
  with inserted as (
    insert into fills (id, order_id, portfolio_id, symbol, side, quantity, price, fee, broker_execution_id, executed_at)
    values (:id, :orderId, :portfolioId, :symbol, :side, :quantity, :price, :fee, :executionId, :executedAt)
    on conflict (broker_execution_id) do nothing returning id)
  select exists (select 1 from inserted) as inserted,
    (select row_to_json(p) from (select quantity::text as quantity, average_cost::text as average_cost, realized_pnl::text as realized_pnl
       from positions where portfolio_id = :portfolioId and symbol = :symbol for update) p) as position,
    (select row_to_json(l) from (select id, direction, status, entry_price::text as entry_price, opened_quantity::text as opened_quantity,
       quantity::text as quantity, realized_pnl::text as realized_pnl
       from position_lifecycles where portfolio_id = :portfolioId and symbol = :symbol and status <> 'CLOSED' for update) l) as lifecycle`;

/**
 * The portfolio's lock (NO KEY UPDATE, as lockPortfolio takes it), then the order's, found through
 * the order, in one round trip: the locking clauses lock in the order they are written.
 */
const LOCK_PORTFOLIO_AND_ORDER_SQL = `
  select p.cash::text as portfolio_cash, p.base_currency as portfolio_currency, o.*
  from orders o join portfolios p on p.id = o.portfolio_id
  where o.id = ? for no key update of p for update of o`;

export function createBooksRepository(db: Knex): BooksPort {
  return {
    async bookBrokerReport(orderId, report, actor) {
      return db.transaction(async (trx) => {
        const { rows: [locked] } = await trx.raw<{ rows: Array<OrderRow & { portfolio_cash: string; portfolio_currency: string }> }>(LOCK_PORTFOLIO_AND_ORDER_SQL, [orderId]);
        if (!locked) throw new OrderNotRecordedError(orderId);
        const { portfolio_cash: portfolioCash, portfolio_currency: portfolioCurrency, ...order } = locked;
        let cash = Money.of(portfolioCash, portfolioCurrency);
        /** The order's totals as of its last fill booked here: the fills themselves, exact, never rebuilt from a rounded average. */
        let totals: FillTotals | undefined;
        const totalsOfFills = () => trx('fills').where({ order_id: orderId }).select(
          trx.raw('sum(quantity) as quantity'), trx.raw('sum(quantity * price) as notional'), trx.raw('sum(fee) as fees')).toSQL();

        for (const execution of report.executions) {
          const fillId = randomUUID();
          const { rows: [recorded] } = await trx.raw<{ rows: Array<{ inserted: boolean; position: PositionRow | null; lifecycle: LifecycleRow | null }> }>(RECORD_FILL_SQL, {
            id: fillId, orderId, portfolioId: order.portfolio_id, symbol: order.symbol, side: order.side,
            quantity: execution.quantity.toFixed(), price: execution.price.toFixed(), fee: execution.fee.toFixed(),
            executionId: execution.executionId, executedAt: execution.executedAt,
          });
          if (!recorded!.inserted) continue;

          const positionRow = recorded!.position ?? undefined;
          const before = toPositionState(positionRow, cash.currency);
          const booking = bookFill(cash, before, {
            side: order.side, symbol: order.symbol, executionId: execution.executionId,
            quantity: execution.quantity, price: execution.price, fee: Money.of(execution.fee, execution.feeCurrency ?? cash.currency),
          });
          const position = booking.effect.position;
          const opens = positionRow === undefined || num(positionRow.quantity).isZero();
          const positionColumns = {
            quantity: position.quantity.toFixed(), average_cost: position.averageCost.toFixed(), realized_pnl: position.realizedPnl.amount.toFixed(),
            // The order that opens a position gives it its strategy; an order with stops gives it those, for its exit workflow.
            ...(opens && { strategy_id: order.strategy_id ?? null }),
            ...(order.stop_loss !== null && { stop_loss: order.stop_loss }),
            ...(order.take_profit !== null && { take_profit: order.take_profit }),
          };
          const { positionId, closeFirst, writes: lifecycleWrites } = lifecycleStep(trx, recorded!.lifecycle, { portfolioId: order.portfolio_id, symbol: order.symbol, orderId, at: execution.executedAt }, {
            before: before.quantity, after: position.quantity, averageCostAfter: position.averageCost,
            fillPrice: execution.price, realizedPnl: booking.effect.realizedPnl.amount,
          });
          for (const statement of closeFirst) await oneStatement(trx, [statement]);
          // The position's lifecycle, the position, the cash and the ledger entries, and the order's
          // totals with this fill (recorded by the statement before): one statement.
          const { rows: [withFill] } = await oneStatement(trx, [
            ...lifecycleWrites,
            trx('positions').insert({ portfolio_id: order.portfolio_id, symbol: order.symbol, ...positionColumns, position_id: positionId })
              .onConflict(['portfolio_id', 'symbol']).merge({ ...positionColumns, position_id: positionId, updated_at: trx.fn.now() }).toSQL(),
            trx('portfolios').where({ id: order.portfolio_id }).update({ cash: booking.cashAfter.amount.toFixed(), updated_at: trx.fn.now() }).toSQL(),
            trx('ledger_entries').insert(booking.entries.map((e) => ({
              portfolio_id: order.portfolio_id, order_id: orderId, fill_id: fillId, entry_type: e.type, symbol: e.symbol,
              amount: e.amount.toFixed(), balance_after: e.balanceAfter.toFixed(), description: e.description,
            }))).toSQL(),
            totalsOfFills(),
          ]) as { rows: FillTotals[] };
          totals = withFill;
          cash = booking.cashAfter;
        }

        // No new fill (a repeated report, a cancel, a rejection): the totals as the fills stand.
        totals ??= (await oneStatement(trx, [totalsOfFills()]) as { rows: FillTotals[] }).rows[0];
        const filled = num(totals?.quantity ?? '0');
        const notional = num(totals?.notional ?? '0');
        const fees = num(totals?.fees ?? '0');
        // A final status never moves again; otherwise the broker's word is the order's status.
        const next: OrderStatus = isFinalOrderStatus(order.status) ? order.status : report.status;
        const update = trx('orders').where({ id: orderId }).update({
          status: next,
          broker_client_order_id: report.clientOrderId,
          filled_quantity: filled.toFixed(),
          average_fill_price: filled.isZero() ? null : notional.div(filled).toFixed(),
          fees: fees.toFixed(),
          rejection_reason: report.rejectReason ?? order.rejection_reason,
          updated_at: trx.fn.now(),
        }).returning('*').toSQL();
        // A cancellation is the canceller's act; a fill or a rejection is the venue's. The order and its audit record: one statement.
        const { rows: [row] } = await oneStatement(trx, next === order.status ? [update] : [update, trx('audit_log').insert({
          principal: next === 'CANCELLED' && actor ? actor : 'system', action: `order.${next.toLowerCase()}`, entity_type: 'order', entity_id: orderId,
          details: JSON.stringify({ brokerStatus: report.status, filledQuantity: toWire(filled) }),
        }).toSQL(), { sql: 'select * from step0', bindings: [] }]) as { rows: OrderRow[] };
        return toProgress(row!);
      });
    },

    async closeUnsentOrder(orderId, reason, actor) {
      return db.transaction(async (trx) => {
        const owner = await trx('orders').where({ id: orderId }).first<{ portfolio_id: string } | undefined>('portfolio_id');
        if (!owner) throw new OrderNotRecordedError(orderId);
        await lockPortfolio(trx, owner.portfolio_id);
        const order = (await trx('orders').where({ id: orderId }).forUpdate().first<OrderRow>())!;
        if (isFinalOrderStatus(order.status)) return toProgress(order);
        const [row] = await trx('orders').where({ id: orderId }).update({ status: 'CANCELLED', rejection_reason: reason, updated_at: trx.fn.now() }).returning<OrderRow[]>('*');
        await appendAudit(trx, { principal: actor, action: 'order.cancelled', entityType: 'order', entityId: orderId, details: { reason, previousStatus: order.status } });
        return toProgress(row!);
      });
    },
  };
}
