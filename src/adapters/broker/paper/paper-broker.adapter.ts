import { randomUUID } from 'node:crypto';
import type { Knex } from 'knex';
import { executeAgainstQuote, paperCostEstimate, type PaperCostModel } from '../../../domain/broker/paper-execution';
import type { Instrument } from '../../../domain/instruments/instrument';
import type { Quote } from '../../../domain/market/quote';
import type { OrderIntent, OrderSide, OrderType } from '../../../domain/orders/order';
import { dec } from '../../../domain/values/decimal';
import { Money } from '../../../domain/values/money';
import { price } from '../../../domain/values/price';
import { quantity } from '../../../domain/values/quantity';
import { BrokerOrderNotFoundError, type BrokerExecution, type BrokerOrderReport, type BrokerOrderStatus, type BrokerPort } from '../../../ports/broker.port';
import type { Clock } from '../../../ports/clock.port';
import type { MarketDataReader, QuoteTick, QuoteTicks } from '../../../ports/market-data.port';
import { oneStatement, type SqlStatement } from '../../db/one-statement';
import { paperClientOrderId } from './paper-client-order-id';

/** A price the venue can fill at, and the moment it held. */
interface PricePoint {
  readonly quote: Quote;
  readonly at: Date;
  /** The tick it came from (0: the current quote, no tick). */
  readonly seq: number;
}

interface Market {
  readonly quote: Quote | null;
  readonly instrument: Instrument | null;
  /** The latest tick of the symbol when the venue looked. */
  readonly latestSeq: number;
  /** Ticks since the order was last matched, oldest first (refresh only). */
  readonly ticks: readonly QuoteTick[];
}

interface PaperOrderRow {
  client_order_id: string; broker_order_id: string; symbol: string; side: OrderSide; type: OrderType;
  quantity: string; limit_price: string | null; status: BrokerOrderStatus; reject_reason: string | null; last_tick_seq: string;
}

type ExecutionRow = { execution_id: string; client_order_id: string; quantity: string; price: string; fee: string; fee_currency: string; executed_at: Date };

const toExecution = (e: ExecutionRow): BrokerExecution => ({
  executionId: e.execution_id, quantity: quantity(dec(e.quantity)), price: price(dec(e.price)), fee: Money.of(dec(e.fee), e.fee_currency), executedAt: e.executed_at,
});

/** What matching does to a working order. */
type MatchOutcome =
  | { readonly kind: 'UNCHANGED' }
  | { readonly kind: 'SEEN'; readonly seenSeq: number }
  | { readonly kind: 'REJECTED'; readonly reason: string }
  | { readonly kind: 'FILLED'; readonly seenSeq: number; readonly fill: ExecutionRow };

/** A venue order after matching, with its executions when they are known without a read. */
interface Matched {
  readonly row: PaperOrderRow;
  readonly executions?: readonly BrokerExecution[] | undefined;
}

export interface PaperBrokerDeps {
  readonly db: Knex;
  /** Quotes and instruments: the venue prices against the market, not against the app's books. */
  readonly marketData: Pick<MarketDataReader, 'findMarket'>;
  /** The quote changes as stored: a resting order is matched against each since the venue last looked. */
  readonly ticks: Pick<QuoteTicks, 'ticksSince'>;
  readonly costs: PaperCostModel;
  readonly clock: Clock;
}

/**
 * The paper venue: keeps its own order book in Postgres, fills market orders at the latest quote,
 * limit orders when marketable, and leaves other limit orders resting until a later quote crosses
 * them. A resting order is matched against every quote change since the venue last looked at it,
 * in order, as a real venue would have filled it then: a crossing quote that moved back meanwhile
 * still fills it. Every operation runs in one transaction with the venue order locked, so a retried
 * submit or a concurrent refresh never fills twice.
 */
export function createPaperBroker({ db, marketData, ticks, costs, clock }: PaperBrokerDeps): BrokerPort {
  /** The venue order as the broker reports it; `known`: every execution it has, when the caller knows them (an order just recorded). */
  async function report(trx: Knex | Knex.Transaction, { row, executions: known }: Matched): Promise<BrokerOrderReport> {
    const executions = known ?? (await trx('paper_executions').where({ client_order_id: row.client_order_id }).orderBy('executed_at')
      .select<ExecutionRow[]>('*')).map(toExecution);
    return {
      clientOrderId: row.client_order_id,
      brokerOrderId: row.broker_order_id,
      status: row.status,
      rejectReason: row.reject_reason,
      executions,
    };
  }

  /**
   * The market as the venue sees it, read before the venue order is locked: the reads never wait
   * on a pool connection while a transaction holds one. The quote and the latest tick come from one
   * snapshot, so the tick the order is marked as having seen is the quote it was matched against.
   */
  async function lookAtMarket(symbol: string, sinceSeq: number | null): Promise<Market> {
    const [{ quote: sourced, instrument, latestSeq }, since] = await Promise.all([
      marketData.findMarket(symbol), sinceSeq === null ? Promise.resolve([]) : ticks.ticksSince(symbol, sinceSeq),
    ]);
    return { quote: sourced?.quote ?? null, instrument, latestSeq, ticks: since };
  }

  /** The prices to match a working order against: the ticks it has not seen, in order; else the current quote. */
  function pricePoints(row: PaperOrderRow, market: Market): PricePoint[] {
    const unseen = market.ticks.filter((t) => t.seq > Number(row.last_tick_seq));
    if (unseen.length > 0) return unseen.map((t) => ({ quote: t.quote, at: t.quote.asOf, seq: t.seq }));
    return market.quote ? [{ quote: market.quote, at: clock.now(), seq: 0 }] : [];
  }

  /**
   * What the venue does with a working order at the prices it has not seen: fills it at the first
   * that crosses it, rejects a market order it cannot price, or lets it rest having seen them.
   */
  function matchOutcome(row: PaperOrderRow, market: Market): MatchOutcome {
    if (row.status !== 'WORKING') return { kind: 'UNCHANGED' };
    const { instrument } = market;
    const points = pricePoints(row, market);
    if (points.length === 0 || !instrument) {
      if (row.type === 'LIMIT') return { kind: 'UNCHANGED' };
      return { kind: 'REJECTED', reason: points.length > 0 ? 'unknown instrument' : `no quote for ${row.symbol}` };
    }
    const order: OrderIntent = {
      symbol: row.symbol, side: row.side, type: row.type, quantity: quantity(dec(row.quantity)), ...(row.limit_price !== null && { limitPrice: price(dec(row.limit_price)) }),
    };
    const seenSeq = Math.max(Number(row.last_tick_seq), market.latestSeq, ...points.map((p) => p.seq));
    for (const point of points) {
      const execution = executeAgainstQuote(order, point.quote, costs, instrument);
      if (!execution) continue;
      const fill: ExecutionRow = {
        execution_id: `${row.broker_order_id}-1`, client_order_id: row.client_order_id, quantity: row.quantity,
        price: execution.price.toFixed(), fee: execution.fee.amount.toFixed(), fee_currency: execution.fee.currency, executed_at: point.at,
      };
      return { kind: 'FILLED', seenSeq, fill };
    }
    return seenSeq === Number(row.last_tick_seq) ? { kind: 'UNCHANGED' } : { kind: 'SEEN', seenSeq };
  }

  /** The venue order as the outcome leaves it. */
  function afterOutcome(row: PaperOrderRow, outcome: MatchOutcome): PaperOrderRow {
    switch (outcome.kind) {
      case 'UNCHANGED': return row;
      case 'SEEN': return { ...row, last_tick_seq: String(outcome.seenSeq) };
      case 'REJECTED': return { ...row, status: 'REJECTED', reject_reason: outcome.reason };
      case 'FILLED': return { ...row, status: 'FILLED', reject_reason: null, last_tick_seq: String(outcome.seenSeq) };
    }
  }

  /**
   * Matches a recorded working order and writes what changed, in one round trip; `executions`: what
   * the order had before, when the caller knows them, with the fill.
   */
  async function match(trx: Knex.Transaction, row: PaperOrderRow, market: Market, executions?: readonly BrokerExecution[]): Promise<Matched> {
    const outcome = matchOutcome(row, market);
    const next = afterOutcome(row, outcome);
    if (outcome.kind === 'UNCHANGED') return { row, executions };
    const changes = { status: next.status, reject_reason: next.reject_reason, last_tick_seq: next.last_tick_seq, ...(outcome.kind !== 'SEEN' && { updated_at: trx.fn.now() }) };
    const update = trx('paper_orders').where({ client_order_id: row.client_order_id }).update(changes).toSQL();
    if (outcome.kind !== 'FILLED') {
      await oneStatement(trx, [update]);
      return { row: next, executions };
    }
    // The execution and the order's new status in one round trip.
    await oneStatement(trx, [trx('paper_executions').insert(outcome.fill).toSQL(), update]);
    return { row: next, executions: executions && [...executions, toExecution(outcome.fill)] };
  }

  /**
   * A new venue order, matched before it is recorded and recorded as matched, with its fill, in one
   * statement; null when the order key is already recorded (a repeated submit).
   */
  async function recordNew(row: PaperOrderRow, market: Market): Promise<Matched | null> {
    const outcome = matchOutcome(row, market);
    const recorded = afterOutcome(row, outcome);
    const insert = db('paper_orders').insert(recorded).onConflict('client_order_id').ignore().returning('client_order_id').toSQL();
    const parts: SqlStatement[] = [insert];
    if (outcome.kind === 'FILLED') {
      // The execution only beside an order this statement recorded.
      const { execution_id, quantity: filled, price: at, fee, fee_currency, executed_at } = outcome.fill;
      parts.push({
        sql: `insert into paper_executions (execution_id, client_order_id, quantity, price, fee, fee_currency, executed_at)
              select ?, client_order_id, ?::numeric, ?::numeric, ?::numeric, ?, ?::timestamptz from step0`,
        bindings: [execution_id, filled, at, fee, fee_currency, executed_at],
      });
    }
    parts.push({ sql: `select count(*)::int as recorded from step0`, bindings: [] });
    const { rows: [result] } = await oneStatement(db, parts) as { rows: Array<{ recorded: number }> };
    if (result?.recorded !== 1) return null;
    return { row: recorded, executions: outcome.kind === 'FILLED' ? [toExecution(outcome.fill)] : [] };
  }

  /** A new status (a cancel). */
  async function setStatus(trx: Knex.Transaction, row: PaperOrderRow, status: BrokerOrderStatus, rejectReason: string | null): Promise<PaperOrderRow> {
    await trx('paper_orders').where({ client_order_id: row.client_order_id }).update({ status, reject_reason: rejectReason, updated_at: trx.fn.now() });
    return { ...row, status, reject_reason: rejectReason };
  }

  const locked = (trx: Knex.Transaction, clientOrderId: string) =>
    trx('paper_orders').where({ client_order_id: clientOrderId }).forUpdate().first<PaperOrderRow | undefined>();

  return {
    name: 'paper',

    executionCosts: (_instrument: Instrument) => paperCostEstimate(costs),

    async submitOrder(request) {
      const clientOrderId = paperClientOrderId(request.orderKey);
      const market = await lookAtMarket(request.symbol, null);
      // A new order is matched and recorded in one statement, without a transaction around it.
      const fresh = await recordNew({
        client_order_id: clientOrderId, broker_order_id: randomUUID(), symbol: request.symbol, side: request.side,
        type: request.type, quantity: request.quantity.toFixed(), limit_price: request.limitPrice?.toFixed() ?? null, status: 'WORKING',
        reject_reason: null, last_tick_seq: String(market.latestSeq),
      }, market);
      if (fresh) return report(db, fresh);
      // A repeat: the order recorded under this key, locked, matched again as a refresh would.
      return db.transaction(async (trx) => {
        const row = (await locked(trx, clientOrderId))!;
        return report(trx, await match(trx, row, market));
      });
    },

    async refreshOrder(orderKey) {
      const clientOrderId = paperClientOrderId(orderKey);
      const venueOrder = await db('paper_orders').where({ client_order_id: clientOrderId }).first<{ symbol: string; last_tick_seq: string } | undefined>('symbol', 'last_tick_seq');
      if (!venueOrder) return null;
      const market = await lookAtMarket(venueOrder.symbol, Number(venueOrder.last_tick_seq));
      return db.transaction(async (trx) => {
        const row = await locked(trx, clientOrderId);
        return row ? report(trx, await match(trx, row, market)) : null;
      });
    },

    async cancelOrder(orderKey) {
      const clientOrderId = paperClientOrderId(orderKey);
      return db.transaction(async (trx) => {
        const row = await locked(trx, clientOrderId);
        if (!row) throw new BrokerOrderNotFoundError(clientOrderId);
        const final = row.status === 'WORKING' ? await setStatus(trx, row, 'CANCELLED', null) : row;
        return report(trx, { row: final });
      });
    },
  };
}
