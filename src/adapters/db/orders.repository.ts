import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import type { OrderFillDto, OrderProgress, PlaceOrderCommand, RiskDecisionDto } from '../../contracts/order-contracts';
import { OPEN_ORDER_STATUSES, isFinalOrderStatus, type OrderSide, type OrderStatus, type OrderType } from '../../domain/orders/order';
import { applyFill, FLAT } from '../../domain/portfolio/fill-accounting';
import type { OpenOrderExposure, PreTradeInput } from '../../domain/risk/pre-trade-checks';
import type { RiskDecision } from '../../domain/risk/risk-decision';
import { DEFAULT_RISK_LIMITS } from '../../domain/risk/risk-limits';
import { ZERO, dec, toWire } from '../../domain/values/decimal';
import type { BrokerOrderReport } from '../../ports/broker.port';
import { appendAudit } from './audit-log';
import { num, toInstrument, toQuote, toRiskLimits, type InstrumentRow, type QuoteRow, type RiskLimitsRow } from './row-mappers';

/** The state the pre-trade engine needs, read under the portfolio lock. */
export type RiskSnapshot = Omit<PreTradeInput, 'costs' | 'asOf'>;

export interface OrderRow {
  id: string; portfolio_id: string; client_request_id: string | null; workflow_id: string; symbol: string;
  side: OrderSide; type: OrderType; quantity: string; limit_price: string | null; execute: boolean; status: OrderStatus;
  decision: RiskDecisionDto | null; broker_client_order_id: string | null; filled_quantity: string;
  average_fill_price: string | null; fees: string; rejection_reason: string | null; requested_by: string;
  created_at: Date; updated_at: Date;
}

export interface OrderView {
  readonly orderId: string;
  readonly portfolioId: string;
  readonly clientRequestId: string | null;
  readonly workflowId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  readonly type: OrderType;
  readonly quantity: string;
  readonly limitPrice: string | null;
  readonly execute: boolean;
  readonly status: OrderStatus;
  readonly decision: RiskDecisionDto | null;
  readonly filledQuantity: string;
  readonly averageFillPrice: string | null;
  readonly fees: string;
  readonly rejectionReason: string | null;
  readonly requestedBy: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly fills: readonly OrderFillDto[];
}

export function toRiskDecisionDto(d: RiskDecision): RiskDecisionDto {
  return {
    approved: d.approved,
    reasons: d.reasons,
    referencePrice: d.referencePrice ? toWire(d.referencePrice) : null,
    estimatedNotional: d.estimatedNotional ? toWire(d.estimatedNotional) : null,
    evaluatedAt: d.evaluatedAt.toISOString(),
  };
}

const wire = (v: string) => toWire(num(v));

export function toProgress(row: OrderRow): OrderProgress {
  return {
    orderId: row.id,
    status: row.status,
    decision: row.decision,
    filledQuantity: wire(row.filled_quantity),
    averageFillPrice: row.average_fill_price === null ? null : wire(row.average_fill_price),
    rejectionReason: row.rejection_reason,
  };
}

export class OrderNotRecordedError extends Error {
  readonly code = 'ORDER_NOT_RECORDED';
  override readonly name = 'OrderNotRecordedError';
  constructor(orderId: string) {
    super(`order ${orderId} is not recorded`);
  }
}

/**
 * Serialises risk decisions and bookings per portfolio. NO KEY UPDATE, not UPDATE: foreign-key
 * checks of inserted orders and fills take KEY SHARE on the portfolio, which it does not block.
 */
async function lockPortfolio(trx: Knex.Transaction, portfolioId: string): Promise<{ cash: string }> {
  const row = await trx('portfolios').where({ id: portfolioId }).forNoKeyUpdate().first<{ cash: string } | undefined>('cash');
  if (!row) throw new Error(`portfolio ${portfolioId} does not exist`);
  return row;
}

export function createOrdersRepository(db: Knex) {
  /** Reads the rest of the snapshot; `cash` comes from the portfolio row already locked. */
  async function loadRiskSnapshot(trx: Knex.Transaction, command: PlaceOrderCommand, cash: string): Promise<RiskSnapshot> {
    const positions = await trx('positions').where({ portfolio_id: command.portfolioId }).whereNot('quantity', 0)
      .select<{ symbol: string; quantity: string; average_cost: string }[]>('symbol', 'quantity', 'average_cost');
    const openOrders = await trx('orders')
      .where({ portfolio_id: command.portfolioId }).whereIn('status', OPEN_ORDER_STATUSES).whereNot({ id: command.orderId })
      .select<{ symbol: string; side: OrderSide; quantity: string; filled_quantity: string; reference_price: string | null; limit_price: string | null }[]>(
        'symbol', 'side', 'quantity', 'filled_quantity', 'reference_price', 'limit_price');
    const symbols = [...new Set([command.symbol, ...positions.map((p) => p.symbol)])];
    const quotes = await trx('quotes').whereIn('symbol', symbols).select<QuoteRow[]>('*');
    const instrument = await trx('instruments').where({ symbol: command.symbol, active: true }).first<InstrumentRow | undefined>();
    const limitsRow = await trx('risk_limits').where({ portfolio_id: command.portfolioId }).first<RiskLimitsRow | undefined>();
    const quote = quotes.find((q) => q.symbol === command.symbol);
    const exposures: OpenOrderExposure[] = openOrders.map((o) => ({
      symbol: o.symbol,
      side: o.side,
      quantity: num(o.quantity).minus(num(o.filled_quantity)),
      price: num(o.reference_price ?? o.limit_price ?? '0'),
    }));
    return {
      order: {
        symbol: command.symbol, side: command.side, type: command.type,
        quantity: dec(command.quantity), ...(command.limitPrice !== null && { limitPrice: dec(command.limitPrice) }),
      },
      instrument: instrument ? toInstrument(instrument) : null,
      quote: quote ? toQuote(quote) : null,
      cash: num(cash),
      holdings: positions.map((p) => ({ symbol: p.symbol, quantity: num(p.quantity), averageCost: num(p.average_cost) })),
      marks: new Map(quotes.map((q) => [q.symbol, num(q.last)])),
      openOrders: exposures,
      limits: limitsRow ? toRiskLimits(limitsRow) : DEFAULT_RISK_LIMITS,
    };
  }

  return {
    /**
     * Records the order and its pre-trade decision in one transaction under the portfolio's row
     * lock, so two concurrent orders are assessed one after the other and each sees the other's
     * reservation. A retry after commit returns the stored decision instead of deciding again.
     */
    async recordOrderDecision(command: PlaceOrderCommand, workflowId: string, assess: (snapshot: RiskSnapshot) => RiskDecision): Promise<OrderProgress> {
      return db.transaction(async (trx) => {
        // Portfolio first, always: one lock order for every transaction that touches a portfolio.
        const portfolio = await lockPortfolio(trx, command.portfolioId);
        await trx('orders').insert({
          id: command.orderId, portfolio_id: command.portfolioId, client_request_id: command.clientRequestId,
          workflow_id: workflowId, symbol: command.symbol, side: command.side, type: command.type,
          quantity: command.quantity, limit_price: command.limitPrice, execute: command.execute,
          status: 'PENDING_RISK', requested_by: command.requestedBy,
        }).onConflict('id').ignore();
        const existing = await trx('orders').where({ id: command.orderId }).forUpdate().first<OrderRow>();
        if (existing.decision !== null) return toProgress(existing);

        const decision = assess(await loadRiskSnapshot(trx, command, portfolio.cash));
        const status: OrderStatus = !decision.approved ? 'DENIED' : command.execute ? 'APPROVED' : 'VALIDATED';
        const dto = toRiskDecisionDto(decision);
        const [row] = await trx('orders').where({ id: command.orderId }).update({
          status, decision: JSON.stringify(dto),
          reference_price: decision.referencePrice?.toFixed() ?? null,
          estimated_notional: decision.estimatedNotional?.toFixed() ?? null,
          updated_at: trx.fn.now(),
        }).returning<OrderRow[]>('*');
        await appendAudit(trx, {
          principal: command.requestedBy, action: decision.approved ? 'order.approved' : 'order.denied',
          entityType: 'order', entityId: command.orderId,
          details: { status, reasons: decision.reasons.map((r) => r.code) },
        });
        return toProgress(row!);
      });
    },

    /**
     * Books what the broker reported: every execution not yet booked becomes a fill, a position
     * change, cash and fee ledger entries, all in one transaction. Executions are unique, so a
     * retried or repeated report books nothing twice.
     */
    async bookBrokerReport(orderId: string, report: BrokerOrderReport): Promise<OrderProgress> {
      return db.transaction(async (trx) => {
        const owner = await trx('orders').where({ id: orderId }).first<{ portfolio_id: string } | undefined>('portfolio_id');
        if (!owner) throw new OrderNotRecordedError(orderId);
        const portfolio = await lockPortfolio(trx, owner.portfolio_id);
        const order = (await trx('orders').where({ id: orderId }).forUpdate().first<OrderRow>())!;
        let cash = num(portfolio.cash);

        for (const execution of report.executions) {
          const fillId = randomUUID();
          const inserted = await trx('fills').insert({
            id: fillId, order_id: orderId, portfolio_id: order.portfolio_id, symbol: order.symbol, side: order.side,
            quantity: execution.quantity.toFixed(), price: execution.price.toFixed(), fee: execution.fee.toFixed(),
            broker_execution_id: execution.executionId, executed_at: execution.executedAt,
          }).onConflict('broker_execution_id').ignore().returning('id');
          if (inserted.length === 0) continue;

          const position = await trx('positions').where({ portfolio_id: order.portfolio_id, symbol: order.symbol })
            .forUpdate().first<{ quantity: string; average_cost: string; realized_pnl: string } | undefined>();
          const effect = applyFill(
            position ? { quantity: num(position.quantity), averageCost: num(position.average_cost), realizedPnl: num(position.realized_pnl) } : FLAT,
            { side: order.side, quantity: execution.quantity, price: execution.price, fee: execution.fee },
          );
          await trx('positions').insert({
            portfolio_id: order.portfolio_id, symbol: order.symbol, quantity: effect.position.quantity.toFixed(),
            average_cost: effect.position.averageCost.toFixed(), realized_pnl: effect.position.realizedPnl.toFixed(),
          }).onConflict(['portfolio_id', 'symbol']).merge({
            quantity: effect.position.quantity.toFixed(), average_cost: effect.position.averageCost.toFixed(),
            realized_pnl: effect.position.realizedPnl.toFixed(), updated_at: trx.fn.now(),
          });
          const gross = execution.quantity.times(execution.price);
          const cashAfterTrade = cash.plus(order.side === 'BUY' ? gross.neg() : gross);
          const cashAfter = cash.plus(effect.cashDelta);
          await trx('portfolios').where({ id: order.portfolio_id }).update({ cash: cashAfter.toFixed(), updated_at: trx.fn.now() });
          const base = { portfolio_id: order.portfolio_id, order_id: orderId, fill_id: fillId };
          await trx('ledger_entries').insert([
            { ...base, entry_type: 'TRADE_CASH', symbol: null, amount: cashAfterTrade.minus(cash).toFixed(), balance_after: cashAfterTrade.toFixed(),
              description: `${order.side} ${toWire(execution.quantity)} ${order.symbol} @ ${toWire(execution.price)}` },
            { ...base, entry_type: 'FEE', symbol: null, amount: execution.fee.neg().toFixed(), balance_after: cashAfter.toFixed(), description: `fee on ${execution.executionId}` },
            { ...base, entry_type: 'TRADE_POSITION', symbol: order.symbol, amount: effect.position.quantity.minus(position ? num(position.quantity) : ZERO).toFixed(),
              balance_after: effect.position.quantity.toFixed(), description: `${order.side} ${toWire(execution.quantity)} ${order.symbol}` },
          ]);
          cash = cashAfter;
        }

        // Totals from the fills themselves, exact, never rebuilt from a rounded average.
        const totals = await trx('fills').where({ order_id: orderId })
          .first<{ quantity: string | null; notional: string | null; fees: string | null }>(
            trx.raw('sum(quantity) as quantity'), trx.raw('sum(quantity * price) as notional'), trx.raw('sum(fee) as fees'));
        const filled = num(totals?.quantity ?? '0');
        const notional = num(totals?.notional ?? '0');
        const fees = num(totals?.fees ?? '0');
        // A final status never moves again; otherwise the broker's word is the order's status.
        const next: OrderStatus = isFinalOrderStatus(order.status) ? order.status : report.status;
        const [row] = await trx('orders').where({ id: orderId }).update({
          status: next,
          broker_client_order_id: report.clientOrderId,
          filled_quantity: filled.toFixed(),
          average_fill_price: filled.isZero() ? null : notional.div(filled).toFixed(),
          fees: fees.toFixed(),
          rejection_reason: report.rejectReason ?? order.rejection_reason,
          updated_at: trx.fn.now(),
        }).returning<OrderRow[]>('*');
        if (next !== order.status) {
          await appendAudit(trx, { principal: 'system', action: `order.${next.toLowerCase()}`, entityType: 'order', entityId: orderId,
            details: { brokerStatus: report.status, filledQuantity: toWire(filled) } });
        }
        return toProgress(row!);
      });
    },

    async findOrder(orderId: string): Promise<OrderView | null> {
      const row = await db('orders').where({ id: orderId }).first<OrderRow | undefined>();
      if (!row) return null;
      const fills = await db('fills').where({ order_id: orderId }).orderBy('executed_at')
        .select<{ id: string; quantity: string; price: string; fee: string; executed_at: Date }[]>('id', 'quantity', 'price', 'fee', 'executed_at');
      return toOrderView(row, fills.map((f) => ({ fillId: f.id, quantity: wire(f.quantity), price: wire(f.price), fee: wire(f.fee), executedAt: f.executed_at.toISOString() })));
    },

    async findOrderByClientRequestId(portfolioId: string, clientRequestId: string): Promise<OrderView | null> {
      const row = await db('orders').where({ portfolio_id: portfolioId, client_request_id: clientRequestId }).first<{ id: string } | undefined>('id');
      return row ? this.findOrder(row.id) : null;
    },

    async listOrders(filter: { portfolioId: string; status?: OrderStatus; limit: number }): Promise<OrderView[]> {
      const q = db('orders').where({ portfolio_id: filter.portfolioId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(filter.limit);
      if (filter.status) q.andWhere({ status: filter.status });
      const rows = await q.select<OrderRow[]>('*');
      return rows.map((r) => toOrderView(r, []));
    },

    /**
     * Workflow ids of limit orders on a symbol that may rest at the broker: WORKING, and APPROVED
     * too, since a venue order can rest before its booking records WORKING.
     */
    async restingOrderWorkflowIds(symbol: string): Promise<string[]> {
      const rows = await db('orders').where({ symbol, type: 'LIMIT' }).whereIn('status', ['APPROVED', 'WORKING']).select<{ workflow_id: string }[]>('workflow_id');
      return rows.map((r) => r.workflow_id);
    },
  };
}

export type OrdersRepository = ReturnType<typeof createOrdersRepository>;

function toOrderView(row: OrderRow, fills: OrderFillDto[]): OrderView {
  return {
    orderId: row.id, portfolioId: row.portfolio_id, clientRequestId: row.client_request_id, workflowId: row.workflow_id,
    symbol: row.symbol, side: row.side, type: row.type, quantity: wire(row.quantity),
    limitPrice: row.limit_price === null ? null : wire(row.limit_price), execute: row.execute, status: row.status,
    decision: row.decision, filledQuantity: wire(row.filled_quantity),
    averageFillPrice: row.average_fill_price === null ? null : toWire(num(row.average_fill_price).toDecimalPlaces(8)),
    fees: wire(row.fees), rejectionReason: row.rejection_reason, requestedBy: row.requested_by,
    createdAt: row.created_at.toISOString(), updatedAt: row.updated_at.toISOString(), fills,
  };
}
