import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { executeAgainstQuote, type PaperCostModel } from '../../../domain/broker/paper-execution';
import type { OrderSide, OrderType } from '../../../domain/orders/order';
import type { BrokerExecution, BrokerOrderReport, BrokerOrderRequest, BrokerOrderStatus, BrokerPort } from '../../../ports/broker.port';
import { BrokerOrderNotFoundError } from '../../../ports/broker.port';
import type { Clock } from '../../../ports/clock.port';
import { num, toQuote, type QuoteRow } from '../../db/row-mappers';

interface PaperOrderRow {
  client_order_id: string; broker_order_id: string; symbol: string; side: OrderSide; type: OrderType;
  quantity: string; limit_price: string | null; status: BrokerOrderStatus; reject_reason: string | null;
}

/**
 * The paper venue: keeps its own order book in Postgres, fills market orders at the latest quote,
 * limit orders when marketable, and leaves other limit orders resting until a later quote crosses
 * them. Every operation runs in one transaction with the venue order locked, so a retried submit
 * or a concurrent refresh never fills twice.
 */
export function createPaperBroker(db: Knex, costModel: PaperCostModel, clock: Clock): BrokerPort {
  async function report(trx: Knex.Transaction, row: PaperOrderRow): Promise<BrokerOrderReport> {
    const executions = await trx('paper_executions').where({ client_order_id: row.client_order_id }).orderBy('executed_at')
      .select<{ execution_id: string; quantity: string; price: string; fee: string; executed_at: Date }[]>('*');
    return {
      clientOrderId: row.client_order_id,
      brokerOrderId: row.broker_order_id,
      status: row.status,
      rejectReason: row.reject_reason,
      executions: executions.map((e): BrokerExecution => ({
        executionId: e.execution_id, quantity: num(e.quantity), price: num(e.price), fee: num(e.fee), executedAt: e.executed_at,
      })),
    };
  }

  /** Tries to fill a working order against the latest quote. */
  async function match(trx: Knex.Transaction, row: PaperOrderRow): Promise<PaperOrderRow> {
    if (row.status !== 'WORKING') return row;
    const quoteRow = await trx('quotes').where({ symbol: row.symbol }).first<QuoteRow | undefined>();
    const instrument = await trx('instruments').where({ symbol: row.symbol }).first<{ tick_size: string } | undefined>();
    if (!quoteRow || !instrument) {
      if (row.type === 'LIMIT') return row;
      return setStatus(trx, row, 'REJECTED', quoteRow ? 'unknown instrument' : `no quote for ${row.symbol}`);
    }
    const order = { symbol: row.symbol, side: row.side, type: row.type, quantity: num(row.quantity), ...(row.limit_price !== null && { limitPrice: num(row.limit_price) }) };
    const execution = executeAgainstQuote(order, toQuote(quoteRow), costModel, num(instrument.tick_size));
    if (!execution) return row;
    await trx('paper_executions').insert({
      execution_id: `${row.broker_order_id}-1`, client_order_id: row.client_order_id, quantity: row.quantity,
      price: execution.price.toFixed(), fee: execution.fee.toFixed(), executed_at: clock.now(),
    });
    return setStatus(trx, row, 'FILLED', null);
  }

  async function setStatus(trx: Knex.Transaction, row: PaperOrderRow, status: BrokerOrderStatus, rejectReason: string | null): Promise<PaperOrderRow> {
    await trx('paper_orders').where({ client_order_id: row.client_order_id }).update({ status, reject_reason: rejectReason, updated_at: trx.fn.now() });
    return { ...row, status, reject_reason: rejectReason };
  }

  const locked = (trx: Knex.Transaction, clientOrderId: string) =>
    trx('paper_orders').where({ client_order_id: clientOrderId }).forUpdate().first<PaperOrderRow | undefined>();

  return {
    name: 'paper',

    async submitOrder(request: BrokerOrderRequest): Promise<BrokerOrderReport> {
      return db.transaction(async (trx) => {
        await trx('paper_orders').insert({
          client_order_id: request.clientOrderId, broker_order_id: randomUUID(), symbol: request.symbol, side: request.side,
          type: request.type, quantity: request.quantity.toFixed(), limit_price: request.limitPrice?.toFixed() ?? null, status: 'WORKING',
        }).onConflict('client_order_id').ignore();
        const row = (await locked(trx, request.clientOrderId))!;
        return report(trx, await match(trx, row));
      });
    },

    async refreshOrder(clientOrderId: string): Promise<BrokerOrderReport | null> {
      return db.transaction(async (trx) => {
        const row = await locked(trx, clientOrderId);
        return row ? report(trx, await match(trx, row)) : null;
      });
    },

    async cancelOrder(clientOrderId: string): Promise<BrokerOrderReport> {
      return db.transaction(async (trx) => {
        const row = await locked(trx, clientOrderId);
        if (!row) throw new BrokerOrderNotFoundError(clientOrderId);
        const final = row.status === 'WORKING' ? await setStatus(trx, row, 'CANCELLED', null) : row;
        return report(trx, final);
      });
    },
  };
}
