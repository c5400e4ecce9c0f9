import type { Knex } from 'knex';
import { toRiskDecisionDto } from '../../contracts/wire-mappers';
import { OPEN_ORDER_STATUSES, type OrderSide, type OrderStatus } from '../../domain/orders/order';
import type { OpenOrderExposure } from '../../domain/risk/risk-context';
import { DEFAULT_RISK_LIMITS } from '../../domain/risk/risk-limits';
import { Decimal } from '../../domain/values/decimal';
import type { Money } from '../../domain/values/money';
import { price } from '../../domain/values/price';
import { quantity, signedQuantity } from '../../domain/values/quantity';
import { CommandReplayedError, type OrderToDecide, type RiskContextPort, type RiskSnapshot } from '../../ports/risk-context.port';
import { appendAudit } from './audit-log.repository';
import { toProgress, type OrderRow } from './order-rows';
import { lockPortfolio } from './portfolio-lock';
import { num, toInstrument, toQuote, toRiskLimits, type InstrumentRow, type QuoteRow, type RiskLimitsRow } from './row-mappers';

type PositionJson = { symbol: string; quantity: string; average_cost: string };
type OpenOrderJson = { symbol: string; side: OrderSide; quantity: string; filled_quantity: string; reference_price: string | null; limit_price: string | null };
type QuoteJson = Omit<QuoteRow, 'as_of'> & { as_of: string };
type LimitsJson = Omit<RiskLimitsRow, 'max_open_positions' | 'max_quote_age_seconds'> & { max_open_positions: number; max_quote_age_seconds: number };

/**
 * Everything the decision reads besides the locked cash, in one round trip: the positions, the
 * portfolio's other open orders, the quotes of the order's symbol and of every held one, the
 * instrument and the limits. Numerics travel as text, so they stay exact.
 */
const SNAPSHOT_SQL = `
  with held as (
    select symbol, quantity::text as quantity, average_cost::text as average_cost
    from positions where portfolio_id = :portfolioId and quantity <> 0)
  select
    (select coalesce(json_agg(held), '[]') from held) as positions,
    (select coalesce(json_agg(o), '[]') from (
      select symbol, side, quantity::text as quantity, filled_quantity::text as filled_quantity,
             reference_price::text as reference_price, limit_price::text as limit_price
      from orders where portfolio_id = :portfolioId and status = any(:openStatuses) and id <> :orderId) o) as open_orders,
    (select coalesce(json_agg(q), '[]') from (
      select symbol, bid::text as bid, ask::text as ask, last::text as last, as_of, source
      from quotes where symbol = :symbol or symbol in (select symbol from held)) q) as quotes,
    (select row_to_json(i) from (
      select symbol, name, asset_class, currency, tick_size::text as tick_size, lot_size::text as lot_size,
             min_notional::text as min_notional, sector
      from instruments where symbol = :symbol and active) i) as instrument,
    (select row_to_json(l) from (
      select max_order_value::text as max_order_value, max_position_pct_of_equity::text as max_position_pct_of_equity,
             max_open_positions, max_gross_leverage::text as max_gross_leverage, allowed_symbols,
             max_quote_age_seconds, allow_short
      from risk_limits where portfolio_id = :portfolioId) l) as limits`;

/** Reads the rest of the snapshot inside the locked transaction; cash comes from the locked row. */
async function loadRiskSnapshot(trx: Knex.Transaction, order: OrderToDecide, cash: Money): Promise<RiskSnapshot> {
  const { rows } = await trx.raw<{ rows: Array<{ positions: PositionJson[]; open_orders: OpenOrderJson[]; quotes: QuoteJson[]; instrument: InstrumentRow | null; limits: LimitsJson | null }> }>(
    SNAPSHOT_SQL, { portfolioId: order.portfolioId, orderId: order.orderId, symbol: order.symbol, openStatuses: [...OPEN_ORDER_STATUSES] });
  const { positions, open_orders: openOrders, quotes, instrument, limits } = rows[0]!;
  const quoteRows = quotes.map((q): QuoteRow => ({ ...q, as_of: new Date(q.as_of) }));
  const quote = quoteRows.find((q) => q.symbol === order.symbol);
  const exposures: OpenOrderExposure[] = openOrders.map((o) => ({
    symbol: o.symbol,
    side: o.side,
    // What is left to fill; never below zero, even if a venue over-filled.
    quantity: quantity(Decimal.max(num(o.quantity).minus(num(o.filled_quantity)), 0)),
    price: price(num(o.reference_price ?? o.limit_price ?? '0')),
  }));
  return {
    order: {
      symbol: order.symbol, side: order.side, type: order.type, quantity: order.quantity,
      ...(order.limitPrice !== null && { limitPrice: order.limitPrice }),
    },
    // The trading state arrives with the daily risk check; until then every portfolio is ACTIVE.
    portfolio: { baseCurrency: cash.currency, cash, tradingState: 'ACTIVE' },
    instrument: instrument ? toInstrument(instrument) : null,
    quote: quote ? toQuote(quote) : null,
    holdings: positions.map((p) => ({ symbol: p.symbol, quantity: signedQuantity(num(p.quantity)), averageCost: price(num(p.average_cost)) })),
    marks: new Map(quoteRows.map((q) => [q.symbol, price(num(q.last))])),
    openOrders: exposures,
    limits: limits ? toRiskLimits(limits) : DEFAULT_RISK_LIMITS,
  };
}

export function createRiskContextRepository(db: Knex): RiskContextPort {
  return {
    async decideUnderLock(order, decide) {
      return db.transaction(async (trx) => {
        // Portfolio first, always: one lock order for every transaction that touches a portfolio.
        const { cash } = await lockPortfolio(trx, order.portfolioId);
        // Records the order, or (a repeat) locks and returns the one recorded: a no-op update takes the row lock.
        const [existing] = await trx('orders').insert({
          id: order.orderId, portfolio_id: order.portfolioId, client_request_id: order.clientRequestId,
          workflow_id: order.workflowId, symbol: order.symbol, side: order.side, type: order.type,
          quantity: order.quantity.toFixed(), limit_price: order.limitPrice?.toFixed() ?? null, execute: order.execute,
          status: 'PENDING_RISK', requested_by: order.requestedBy, workflow_run_id: order.workflowRunId,
        }).onConflict('id').merge(['id']).returning<OrderRow[]>('*');
        // Orders recorded before run ids were kept have none: they cannot be told apart.
        const recordedRun = existing!.workflow_run_id;
        if (recordedRun !== null && recordedRun !== order.workflowRunId) throw new CommandReplayedError(order.orderId, recordedRun, order.workflowRunId);
        if (existing!.decision !== null) return toProgress(existing!);

        const decision = decide(await loadRiskSnapshot(trx, order, cash));
        const status: OrderStatus = !decision.approved ? 'DENIED' : order.execute ? 'APPROVED' : 'VALIDATED';
        const [row] = await trx('orders').where({ id: order.orderId }).update({
          status, decision: JSON.stringify(toRiskDecisionDto(decision)),
          reference_price: decision.referencePrice?.toFixed() ?? null,
          estimated_notional: decision.estimatedNotional?.amount.toFixed() ?? null,
          updated_at: trx.fn.now(),
        }).returning<OrderRow[]>('*');
        await appendAudit(trx, {
          principal: order.requestedBy, action: decision.approved ? 'order.approved' : 'order.denied',
          entityType: 'order', entityId: order.orderId,
          details: { status, reasons: decision.reasons.map((r) => r.code) },
        });
        return toProgress(row!);
      });
    },
  };
}
