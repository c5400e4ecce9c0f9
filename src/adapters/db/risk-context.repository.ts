import { createHash } from 'node:crypto';
import type { Knex } from 'knex';
import { toRiskDecisionDto } from '../../contracts/wire-mappers';
import type { AssetClass } from '../../domain/instruments/instrument';
import { OPEN_ORDER_STATUSES, type OrderSide, type OrderStatus } from '../../domain/orders/order';
import type { DayStartBook } from '../../domain/risk/daily-pnl';
import type { OpenOrderExposure } from '../../domain/risk/risk-context';
import type { RiskDecision } from '../../domain/risk/risk-decision';
import { DEFAULT_RISK_LIMITS } from '../../domain/risk/risk-limits';
import type { AccountStatus, TradingState } from '../../domain/risk/trading-state';
import { Decimal } from '../../domain/values/decimal';
import { Money } from '../../domain/values/money';
import { price } from '../../domain/values/price';
import { quantity, signedQuantity } from '../../domain/values/quantity';
import { OrderNotRecordedError } from '../../ports/books.port';
import type { OrderProgress } from '../../contracts/order-contracts';
import { CommandReplayedError, PortfolioNotFoundError, type OrderToDecide, type RiskContextPort, type RiskSnapshot } from '../../ports/risk-context.port';
import { appendAudit } from './audit-log.repository';
import { toProgress, type OrderRow } from './order-rows';
import { readRecentCloses } from './market-data.repository';
import { lockPortfolio } from './portfolio-lock';
import {
  fromQuoteJson, INSTRUMENT_SELECT, num, QUOTE_SELECT, RISK_LIMITS_SELECT, toAccountLimits, toInstrument, toInstrumentLimits, toRiskLimits,
  type AccountLimitsRow, type InstrumentLimitsRow, type InstrumentRow, type QuoteJson, type RiskLimitsRow,
} from './row-mappers';

type PositionJson = { symbol: string; quantity: string; average_cost: string };
type OpenOrderJson = { symbol: string; side: OrderSide; quantity: string; filled_quantity: string; reference_price: string | null; limit_price: string | null };
type CloseJson = { symbol: string; date: string; close: string };
type DayStartJson = { cash: string | null; deposits: string; fills: Array<{ symbol: string; quantity: string }>; previous_closes: CloseJson[] };
type AccountJson = AccountLimitsRow & { id: string; status: AccountStatus; trading_state: TradingState };
interface SnapshotRow {
  trading_state: TradingState;
  positions: PositionJson[];
  open_orders: OpenOrderJson[];
  quotes: QuoteJson[];
  instrument: InstrumentRow | null;
  limits: RiskLimitsRow | null;
  account: AccountJson;
  instrument_limits: InstrumentLimitsRow | null;
  sectors: Record<string, string> | null;
  day_start: DayStartJson | null;
  portfolio_trades_today: number;
  account_trades_today: number;
  orders_in_window: number;
  strategy_symbols: string[];
}

/** Orders approved for execution (the ones that count as trades): not validate-only, not denied, decided. */
const COUNTED = `execute and status not in ('PENDING_RISK', 'DENIED', 'VALIDATED')`;
const COUNTED_O = `o.execute and o.status not in ('PENDING_RISK', 'DENIED', 'VALIDATED')`;
/**
 * An open order, as literals: the predicate of the open-orders index (migration 021), which the
 * planner matches only against the same constants, never against a bound parameter.
 */
const OPEN_ORDER = `status in (${OPEN_ORDER_STATUSES.map((s) => `'${s}'`).join(', ')})`;

/**
 * Everything the decision reads besides the locked cash, in one round trip: the portfolio's state,
 * its positions and other open orders, quotes, the instrument, the limits of portfolio, account and
 * instrument, sectors (the closes for the correlation cap come from the closes cache), the books at the start of the trading
 * day (only with a daily-loss limit) and the counts of approved orders (only where a limit counts them).
 * Numerics travel as text, so they stay exact; times are the database's, one clock for every count.
 */
const SNAPSHOT_SQL = `
  with lim as (select ${RISK_LIMITS_SELECT} from risk_limits where portfolio_id = :portfolioId),
  cfg as (
    select coalesce((select trading_day_time_zone from lim), :defaultTimeZone) as tz),
  day as (select (date_trunc('day', now() at time zone cfg.tz) at time zone cfg.tz) as start,
                 (now() at time zone cfg.tz)::date as local_date from cfg),
  held as (
    select symbol, quantity::text as quantity, average_cost::text as average_cost
    from positions where portfolio_id = :portfolioId and quantity <> 0),
  pending as (
    select symbol, side, quantity::text as quantity, filled_quantity::text as filled_quantity,
           reference_price::text as reference_price, limit_price::text as limit_price
    from orders where portfolio_id = :portfolioId and ${OPEN_ORDER} and id <> :orderId),
  acct as (
    select a.id, a.status, a.trading_state, l.max_order_value::text as max_order_value, l.max_order_quantity::text as max_order_quantity,
           l.max_daily_trades, l.allowed_symbols
    from portfolios p join accounts a on a.id = p.account_id left join account_risk_limits l on l.account_id = a.id
    where p.id = :portfolioId),
  dl as (select max_daily_loss from lim where max_daily_loss is not null),
  todays_fills as (
    select symbol, sum(case when side = 'BUY' then quantity else -quantity end) as quantity
    from fills where exists (select 1 from dl) and portfolio_id = :portfolioId and created_at >= (select start from day) group by symbol)
  select
    (select trading_state from portfolios where id = :portfolioId) as trading_state,
    (select coalesce(json_agg(held), '[]') from held) as positions,
    (select coalesce(json_agg(pending), '[]') from pending) as open_orders,
    (select coalesce(json_agg(q), '[]') from (
      select ${QUOTE_SELECT}
      from quotes where symbol = :symbol or symbol in (select symbol from held)) q) as quotes,
    (select row_to_json(i) from (select ${INSTRUMENT_SELECT} from instruments where symbol = :symbol and active) i) as instrument,
    (select row_to_json(lim) from lim) as limits,
    (select row_to_json(acct) from acct) as account,
    (select row_to_json(il) from (
      select max_order_value::text as max_order_value, max_order_quantity::text as max_order_quantity, price_collar_pct::text as price_collar_pct
      from instrument_risk_limits where symbol = :symbol) il) as instrument_limits,
    (select json_object_agg(symbol, sector) from instruments
      where symbol = :symbol or symbol in (select symbol from held) or symbol in (select symbol from pending)) as sectors,
    (select case when exists (select 1 from dl) then json_build_object(
      'cash', (select balance_after::text from ledger_entries
               where portfolio_id = :portfolioId and symbol is null and created_at < (select start from day) order by created_at desc, id desc limit 1),
      'deposits', (select coalesce(sum(amount), 0)::text from ledger_entries
                   where portfolio_id = :portfolioId and entry_type = 'DEPOSIT' and created_at >= (select start from day)),
      'fills', (select coalesce(json_agg(json_build_object('symbol', symbol, 'quantity', quantity::text)), '[]') from todays_fills),
      'previous_closes', (select coalesce(json_agg(c), '[]') from (
        select s.symbol, p.date::text as date, p.close::text as close
        from (select symbol from held union select symbol from todays_fills) s, day
        cross join lateral (
          select date, close from price_history where symbol = s.symbol and date < day.local_date order by date desc limit 1) p) c)) end) as day_start,
    (select case when (select max_daily_trades from lim) is null then 0 else (
      select count(*)::int from orders where portfolio_id = :portfolioId and id <> :orderId and ${COUNTED} and created_at >= (select start from day)) end) as portfolio_trades_today,
    (select case when (select max_daily_trades from acct) is null then 0 else (
      select count(*)::int from orders o join portfolios p on p.id = o.portfolio_id
      where p.account_id = (select id from acct) and o.id <> :orderId and ${COUNTED_O}
        and o.created_at >= date_trunc('day', now() at time zone 'UTC') at time zone 'UTC') end) as account_trades_today,
    (select case when (select max_orders_per_window from lim) is null then 0 else (
      select count(*)::int from orders where portfolio_id = :portfolioId and id <> :orderId and ${COUNTED}
        and created_at > now() - make_interval(secs => coalesce((select order_rate_window_seconds from lim), :defaultWindow))) end) as orders_in_window,
    (select coalesce(array_agg(distinct symbol), '{}') from (
      select symbol from positions where :strategyId::text is not null and portfolio_id = :portfolioId and strategy_id = :strategyId and quantity <> 0
      union select symbol from orders where :strategyId::text is not null and portfolio_id = :portfolioId and strategy_id = :strategyId
        and ${OPEN_ORDER} and id <> :orderId) s) as strategy_symbols`;

function toDayStart(json: DayStartJson, currency: string, held: readonly PositionJson[]): DayStartBook {
  const holdings = new Map<string, Decimal>(held.map((p) => [p.symbol, num(p.quantity)]));
  // What is held now less what was traded since the day began is what was held when it began.
  for (const fill of json.fills) holdings.set(fill.symbol, (holdings.get(fill.symbol) ?? num(0)).minus(num(fill.quantity)));
  return {
    cash: Money.of(num(json.cash ?? '0'), currency),
    depositsSince: Money.of(num(json.deposits), currency),
    holdings,
    previousCloses: new Map(json.previous_closes.map((c) => [c.symbol, price(num(c.close))])),
  };
}

/** Closes for the correlation: a statistic, so floats straight from the exact text. */
type Closes = Array<{ date: string; close: number }>;

/**
 * Recent daily closes per symbol, for the correlation cap. They change once a day, so the
 * repository keeps what it read for a while (`ttlMs`) instead of reading a year of closes under
 * every lock; a symbol not yet known is read in the same transaction.
 */
function createClosesCache(ttlMs: number) {
  const cached = new Map<string, { readAt: number; closes: Closes }>();
  return async function closesFor(trx: Knex.Transaction, symbols: readonly string[], lookback: number): Promise<Map<string, Closes>> {
    const now = Date.now();
    const key = (symbol: string) => `${symbol}\u0000${lookback}`;
    const missing = symbols.filter((symbol) => {
      const hit = cached.get(key(symbol));
      return hit === undefined || now - hit.readAt > ttlMs;
    });
    if (missing.length > 0) {
      const read = await readRecentCloses(trx, missing, lookback + 1);
      for (const [symbol, closes] of read) cached.set(key(symbol), { readAt: now, closes });
    }
    return new Map(symbols.map((symbol) => [symbol, cached.get(key(symbol))!.closes]));
  };
}
type ClosesFor = ReturnType<typeof createClosesCache>;

/** Reads the rest of the snapshot inside the locked transaction; cash comes from the locked row. */
async function loadRiskSnapshot(trx: Knex.Transaction, order: Pick<OrderToDecide, 'orderId' | 'portfolioId' | 'symbol' | 'side' | 'type' | 'quantity' | 'limitPrice' | 'strategyId' | 'signal' | 'purpose'>, cash: Money, closesFor: ClosesFor): Promise<RiskSnapshot> {
  const { rows } = await trx.raw<{ rows: SnapshotRow[] }>(SNAPSHOT_SQL, {
    portfolioId: order.portfolioId, orderId: order.orderId, symbol: order.symbol,
    strategyId: order.strategyId ?? order.signal?.strategyId ?? null,
    defaultTimeZone: DEFAULT_RISK_LIMITS.tradingDayTimeZone, defaultWindow: DEFAULT_RISK_LIMITS.orderRateWindowSeconds,
  }).options({ name: SNAPSHOT_STATEMENT });
  const row = rows[0]!;
  const quotes = row.quotes.map(fromQuoteJson);
  const quote = quotes.find((q) => q.symbol === order.symbol);
  const exposures: OpenOrderExposure[] = row.open_orders.map((o) => ({
    symbol: o.symbol,
    side: o.side,
    // What is left to fill; never below zero, even if a venue over-filled.
    quantity: quantity(Decimal.max(num(o.quantity).minus(num(o.filled_quantity)), 0)),
    price: price(num(o.reference_price ?? o.limit_price ?? '0')),
  }));
  const limits = row.limits ? toRiskLimits(row.limits) : DEFAULT_RISK_LIMITS;
  const priceHistory = limits.maxCorrelation === null ? new Map<string, Closes>()
    : await closesFor(trx, [...new Set([order.symbol, ...row.positions.map((p) => p.symbol)])], limits.correlationLookbackDays);
  return {
    order: {
      symbol: order.symbol, side: order.side, type: order.type, quantity: order.quantity,
      ...(order.limitPrice !== null && { limitPrice: order.limitPrice }),
      ...(order.strategyId !== null && { strategyId: order.strategyId }),
      ...(order.signal !== null && { signal: order.signal }),
      ...(order.purpose === 'EXIT' && { purpose: 'EXIT' as const }),
    },
    portfolio: { baseCurrency: cash.currency, cash, tradingState: row.trading_state },
    account: { id: row.account.id, status: row.account.status, tradingState: row.account.trading_state, limits: toAccountLimits(row.account) },
    instrument: row.instrument ? toInstrument(row.instrument) : null,
    instrumentLimits: toInstrumentLimits(row.instrument_limits),
    quote: quote ?? null,
    holdings: row.positions.map((p) => ({ symbol: p.symbol, quantity: signedQuantity(num(p.quantity)), averageCost: price(num(p.average_cost)) })),
    marks: new Map(quotes.map((q) => [q.symbol, q.last])),
    openOrders: exposures,
    limits,
    activity: {
      portfolioTradesToday: row.portfolio_trades_today, accountTradesToday: row.account_trades_today,
      portfolioOrdersInWindow: row.orders_in_window, strategySymbols: row.strategy_symbols,
    },
    dayStart: row.day_start === null ? null : toDayStart(row.day_start, cash.currency, row.positions),
    sectors: new Map(Object.entries(row.sectors ?? {})),
    priceHistory,
  };
}

/**
 * An account that counts its day's trades is locked before the portfolio (one lock order: account,
 * then portfolio), so two portfolios of the account cannot both take its last trade.
 */
async function lockCountingAccount(trx: Knex.Transaction, portfolioId: string): Promise<void> {
  await trx.raw(`
    select a.id from accounts a join account_risk_limits l on l.account_id = a.id
    where a.id = (select account_id from portfolios where id = ?) and l.max_daily_trades is not null
    for no key update of a`, [portfolioId]);
}

type SubmissionRow = OrderRow & {
  quote: QuoteJson | null; asset_class: AssetClass | null; limits: RiskLimitsRow | null; instrument_limits: InstrumentLimitsRow | null;
};

/** The order as the check at submission reads it, with its quote, asset class and limits. */
const SUBMISSION_SQL = `
  select o.*,
    (select row_to_json(q) from (select ${QUOTE_SELECT} from quotes where symbol = o.symbol) q) as quote,
    (select asset_class from instruments where symbol = o.symbol) as asset_class,
    (select row_to_json(l) from (select ${RISK_LIMITS_SELECT} from risk_limits where portfolio_id = o.portfolio_id) l) as limits,
    (select row_to_json(il) from (select max_order_value::text as max_order_value, max_order_quantity::text as max_order_quantity,
       price_collar_pct::text as price_collar_pct from instrument_risk_limits where symbol = o.symbol) il) as instrument_limits
  from orders o where o.id = ?`;

/**
 * The snapshot runs as a named prepared statement: PostgreSQL plans it once per connection instead
 * of on every decision (planning took about 2 ms of its 3). The name carries the text's digest, so a
 * changed query is never run under an old plan.
 */
const SNAPSHOT_STATEMENT = `risk-snapshot-${createHash('sha256').update(SNAPSHOT_SQL).digest('hex').slice(0, 16)}`;

/** The portfolio's row lock (NO KEY UPDATE, as lockPortfolio takes it), its cash, and whether the order is already recorded. */
const LOCK_AND_LOOK_UP_SQL = `
  select p.cash::text as cash, p.base_currency, exists (select 1 from orders o where o.id = :orderId) as recorded
  from portfolios p where p.id = :portfolioId for no key update of p`;

/** Stands for "no order of the portfolio" where the snapshot leaves the order being decided out. */
const NO_ORDER_ID = '00000000-0000-0000-0000-000000000000';

export function createRiskContextRepository(db: Knex, { closesTtlMs = 300_000 }: { closesTtlMs?: number } = {}): RiskContextPort {
  const closesFor = createClosesCache(closesTtlMs);
  return {
    async evaluateOrders(orders, decide) {
      return db.transaction(async (trx) => {
        const decisions: RiskDecision[] = [];
        const cashOf = new Map<string, Money>();
        for (const order of orders) {
          let cash = cashOf.get(order.portfolioId);
          if (!cash) {
            const row = await trx('portfolios').where({ id: order.portfolioId }).first<{ cash: string; base_currency: string } | undefined>('cash', 'base_currency');
            if (!row) throw new PortfolioNotFoundError(order.portfolioId);
            cashOf.set(order.portfolioId, (cash = Money.of(row.cash, row.base_currency)));
          }
          decisions.push(decide(await loadRiskSnapshot(trx, { ...order, orderId: NO_ORDER_ID }, cash, closesFor)));
        }
        return decisions;
      }, { isolationLevel: 'repeatable read', readOnly: true });
    },

    async confirmAtSubmission(orderId, check) {
      // Cleared earlier (a retried attempt): the order may already be at the broker, so it is never checked again.
      const cleared = (order: SubmissionRow) => order.submission_cleared_at != null;
      // Asked only of an order still APPROVED and not yet cleared.
      const reasonsFor = (order: SubmissionRow) => (order.asset_class === null ? [] : check({
        order: { symbol: order.symbol, side: order.side, type: order.type, ...(order.limit_price !== null && { limitPrice: price(num(order.limit_price)) }) },
        quote: order.quote ? fromQuoteJson(order.quote) : null,
        assetClass: order.asset_class,
        limits: order.limits ? toRiskLimits(order.limits) : DEFAULT_RISK_LIMITS,
        instrumentLimits: toInstrumentLimits(order.instrument_limits),
      }));
      // Most orders pass: one read, then the clearance, which only an order still APPROVED and not yet
      // cleared or rejected receives. Only an order that fails is rejected, under the lock, checked again.
      const { rows: [seen] } = await db.raw<{ rows: SubmissionRow[] }>(SUBMISSION_SQL, [orderId]);
      if (!seen) throw new OrderNotRecordedError(orderId);
      if (seen.status !== 'APPROVED' || cleared(seen)) return toProgress(seen);
      if (reasonsFor(seen).length === 0) {
        const [row] = await db('orders').where({ id: orderId, status: 'APPROVED', submission_cleared_at: null })
          .update({ submission_cleared_at: db.fn.now() }).returning<OrderRow[]>('*');
        if (row) return toProgress(row);
        // Another attempt decided first (cleared or rejected it): its answer stands.
        return toProgress((await db('orders').where({ id: orderId }).first<OrderRow>())!);
      }
      return db.transaction(async (trx) => {
        await lockPortfolio(trx, seen.portfolio_id);
        const { rows } = await trx.raw<{ rows: SubmissionRow[] }>(`${SUBMISSION_SQL} for update of o`, [orderId]);
        const order = rows[0]!;
        if (order.status !== 'APPROVED' || cleared(order)) return toProgress(order);
        const reasons = reasonsFor(order);
        if (reasons.length === 0) {
          const [row] = await trx('orders').where({ id: orderId }).update({ submission_cleared_at: trx.fn.now() }).returning<OrderRow[]>('*');
          return toProgress(row!);
        }
        const rejection = reasons.map((r) => `${r.code}: ${r.message}`).join('; ');
        const [row] = await trx('orders').where({ id: orderId }).update({ status: 'REJECTED', rejection_reason: rejection, updated_at: trx.fn.now() }).returning<OrderRow[]>('*');
        await appendAudit(trx, { principal: 'system', action: 'order.rejected', entityType: 'order', entityId: orderId,
          details: { at: 'submission', reasons: reasons.map((r) => r.code), previousStatus: order.status } });
        return toProgress(row!);
      });
    },

    async decideUnderLock(order, decide) {
      return db.transaction(async (trx) => {
        // Account (only one that counts trades), then portfolio: one lock order for every transaction.
        await lockCountingAccount(trx, order.portfolioId);
        // The portfolio's lock, and whether the order is recorded: every writer of a decision holds
        // this lock, so a repeat (a retried or replayed decision) finds the first one's record here.
        const { rows: [locked] } = await trx.raw<{ rows: Array<{ cash: string; base_currency: string; recorded: boolean }> }>(
          LOCK_AND_LOOK_UP_SQL, { portfolioId: order.portfolioId, orderId: order.orderId });
        if (!locked) throw new PortfolioNotFoundError(order.portfolioId);
        const cash = Money.of(locked.cash, locked.base_currency);
        /** The order as recorded (locked): a replay by another run is refused; a decided one answers its decision. */
        const recordedDecision = async (): Promise<{ progress: OrderProgress } | null> => {
          const existing = (await trx('orders').where({ id: order.orderId }).forUpdate().first<OrderRow>())!;
          // Orders recorded before run ids were kept have none: they cannot be told apart.
          const recordedRun = existing.workflow_run_id;
          if (recordedRun !== null && recordedRun !== order.workflowRunId) throw new CommandReplayedError(order.orderId, recordedRun, order.workflowRunId);
          return existing.decision !== null ? { progress: toProgress(existing) } : null;
        };
        if (locked.recorded) {
          const recorded = await recordedDecision();
          if (recorded) return recorded.progress;
        }

        const decision = decide(await loadRiskSnapshot(trx, order, cash, closesFor));
        const status: OrderStatus = !decision.approved ? 'DENIED' : order.execute ? 'APPROVED' : 'VALIDATED';
        const decided = {
          status, decision: JSON.stringify(toRiskDecisionDto(decision)),
          reference_price: decision.referencePrice?.toFixed() ?? null,
          estimated_notional: decision.estimatedNotional?.amount.toFixed() ?? null,
        };
        // The order is written once, with its decision, and audited in the same statement: one row
        // version and one round trip (an undecided order recorded by an older version is completed).
        const write = locked.recorded
          ? trx('orders').where({ id: order.orderId }).update({ ...decided, updated_at: trx.fn.now() }).returning('*').toSQL()
          : trx('orders').insert({
            id: order.orderId, portfolio_id: order.portfolioId, client_request_id: order.clientRequestId,
            workflow_id: order.workflowId, symbol: order.symbol, side: order.side, type: order.type,
            quantity: order.quantity.toFixed(), limit_price: order.limitPrice?.toFixed() ?? null, execute: order.execute,
            requested_by: order.requestedBy, workflow_run_id: order.workflowRunId,
            strategy_id: order.strategyId, signal: order.signal === null ? null : JSON.stringify(order.signal),
            stop_loss: order.stopLoss?.toFixed() ?? null, take_profit: order.takeProfit?.toFixed() ?? null,
            purpose: order.purpose ?? null, ...decided,
          }).onConflict('id').ignore().returning('*').toSQL();
        const audit = {
          principal: order.requestedBy, action: decision.approved ? 'order.approved' : 'order.denied',
          details: JSON.stringify({ status, reasons: decision.reasons.map((r) => r.code) }),
        };
        const { rows: [row] } = await trx.raw<{ rows: OrderRow[] }>(
          `with written as (${write.sql}),
           audited as (insert into audit_log (principal, action, entity_type, entity_id, details) select ?, ?, 'order', written.id::text, ?::jsonb from written)
           select * from written`,
          [...write.bindings, audit.principal, audit.action, audit.details]);
        if (row) return toProgress(row);
        // Another attempt at the same decision recorded it after this statement's view was taken (it
        // held the lock first): its record stands, and this attempt's decision is dropped.
        const recorded = await recordedDecision();
        if (!recorded) throw new Error(`order ${order.orderId} was recorded undecided by another attempt`);
        return recorded.progress;
      });
    },
  };
}
