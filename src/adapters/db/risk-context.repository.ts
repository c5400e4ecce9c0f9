import type { Knex } from 'knex';
import { toRiskDecisionDto } from '../../contracts/wire-mappers';
import { OPEN_ORDER_STATUSES, type OrderSide, type OrderStatus } from '../../domain/orders/order';
import type { OpenOrderExposure } from '../../domain/risk/risk-context';
import { DEFAULT_RISK_LIMITS } from '../../domain/risk/risk-limits';
import type { Money } from '../../domain/values/money';
import { price } from '../../domain/values/price';
import { quantity, signedQuantity } from '../../domain/values/quantity';
import type { OrderToDecide, RiskContextPort, RiskSnapshot } from '../../ports/risk-context.port';
import { appendAudit } from './audit-log.repository';
import { toProgress, type OrderRow } from './order-rows';
import { lockPortfolio } from './portfolio-lock';
import { num, toInstrument, toQuote, toRiskLimits, type InstrumentRow, type QuoteRow, type RiskLimitsRow } from './row-mappers';

/** Reads the rest of the snapshot inside the locked transaction; cash comes from the locked row. */
async function loadRiskSnapshot(trx: Knex.Transaction, order: OrderToDecide, cash: Money): Promise<RiskSnapshot> {
  const positions = await trx('positions').where({ portfolio_id: order.portfolioId }).whereNot('quantity', 0)
    .select<{ symbol: string; quantity: string; average_cost: string }[]>('symbol', 'quantity', 'average_cost');
  const openOrders = await trx('orders')
    .where({ portfolio_id: order.portfolioId }).whereIn('status', OPEN_ORDER_STATUSES).whereNot({ id: order.orderId })
    .select<{ symbol: string; side: OrderSide; quantity: string; filled_quantity: string; reference_price: string | null; limit_price: string | null }[]>(
      'symbol', 'side', 'quantity', 'filled_quantity', 'reference_price', 'limit_price');
  const symbols = [...new Set([order.symbol, ...positions.map((p) => p.symbol)])];
  const quotes = await trx('quotes').whereIn('symbol', symbols).select<QuoteRow[]>('*');
  const instrument = await trx('instruments').where({ symbol: order.symbol, active: true }).first<InstrumentRow | undefined>();
  const limitsRow = await trx('risk_limits').where({ portfolio_id: order.portfolioId }).first<RiskLimitsRow | undefined>();
  const quote = quotes.find((q) => q.symbol === order.symbol);
  const exposures: OpenOrderExposure[] = openOrders.map((o) => ({
    symbol: o.symbol,
    side: o.side,
    quantity: quantity(num(o.quantity).minus(num(o.filled_quantity))),
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
    marks: new Map(quotes.map((q) => [q.symbol, price(num(q.last))])),
    openOrders: exposures,
    limits: limitsRow ? toRiskLimits(limitsRow) : DEFAULT_RISK_LIMITS,
  };
}

export function createRiskContextRepository(db: Knex): RiskContextPort {
  return {
    async decideUnderLock(order, decide) {
      return db.transaction(async (trx) => {
        // Portfolio first, always: one lock order for every transaction that touches a portfolio.
        const { cash } = await lockPortfolio(trx, order.portfolioId);
        await trx('orders').insert({
          id: order.orderId, portfolio_id: order.portfolioId, client_request_id: order.clientRequestId,
          workflow_id: order.workflowId, symbol: order.symbol, side: order.side, type: order.type,
          quantity: order.quantity.toFixed(), limit_price: order.limitPrice?.toFixed() ?? null, execute: order.execute,
          status: 'PENDING_RISK', requested_by: order.requestedBy,
        }).onConflict('id').ignore();
        const existing = await trx('orders').where({ id: order.orderId }).forUpdate().first<OrderRow>();
        if (existing.decision !== null) return toProgress(existing);

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
