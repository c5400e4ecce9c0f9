import { randomUUID } from 'node:crypto';
import { createRiskContextRepository } from '../../src/adapters/db/risk-context.repository';
import { OPEN_ORDER_STATUSES } from '../../src/domain/orders/order';
import { evaluatePreTradeRisk } from '../../src/domain/risk/pre-trade-engine';
import { checkAtSubmission, type SubmissionCheckInput } from '../../src/domain/risk/submission-check';
import { Decimal } from '../../src/domain/values/decimal';
import { PortfolioNotFoundError, type RiskSnapshot } from '../../src/ports/risk-context.port';
import { migratedTestDatabase, type TestDatabase } from '../support/test-system';
import { newPortfolio, orderToDecide } from './repository-fixtures';

let database: TestDatabase;
beforeAll(async () => {
  database = await migratedTestDatabase('risk_context');
});
afterAll(async () => database?.close());

const decideAt = (asOf: Date) => (snapshot: RiskSnapshot) =>
  evaluatePreTradeRisk({ ...snapshot, costs: { feeRate: new Decimal('0.001'), minFee: new Decimal(0), slippageRate: new Decimal(0) }, asOf });

describe('risk context repository on PostgreSQL', () => {
  it('when many orders are decided at once and only some fit the cash, then the approvals never jointly exceed it', async () => {
    const riskContext = createRiskContextRepository(database.db);
    const id = await newPortfolio(database.db, '1000000');
    await database.db('risk_limits').where({ portfolio_id: id }).update({ max_position_pct_of_equity: '1', max_gross_leverage: '10', max_order_value: '1000000' });
    const quote = await database.db('quotes').where({ symbol: 'AAPL' }).first();
    // Each order alone fits; together they need about three times the cash.
    const quantity = new Decimal(1000000).div(new Decimal(quote.ask)).div(4).floor().toFixed();
    const decisions = await Promise.all(Array.from({ length: 12 }, () => riskContext.decideUnderLock(orderToDecide(id, { quantity }), decideAt(new Date()))));
    expect(decisions.filter((d) => d.status === 'APPROVED')).toHaveLength(3);
    expect(decisions.filter((d) => d.status === 'DENIED').every((d) => d.decision?.reasons.map((r) => r.code).join() === 'INSUFFICIENT_CASH')).toBe(true);
  });

  it('when an order is decided twice, then the second call returns the stored decision without deciding', async () => {
    const riskContext = createRiskContextRepository(database.db);
    const order = orderToDecide(await newPortfolio(database.db, '100000'));
    const first = await riskContext.decideUnderLock(order, decideAt(new Date()));
    const second = await riskContext.decideUnderLock(order, () => { throw new Error('must not decide again'); });
    expect(second).toEqual(first);
  });

  it('when two attempts decide the same order at once, then it is recorded and audited once and both answer that decision', async () => {
    const riskContext = createRiskContextRepository(database.db);
    const order = orderToDecide(await newPortfolio(database.db, '100000'));
    const [a, b] = await Promise.all([riskContext.decideUnderLock(order, decideAt(new Date())), riskContext.decideUnderLock(order, decideAt(new Date()))]);
    expect(b).toEqual(a);
    expect(await database.db('orders').where({ id: order.orderId })).toHaveLength(1);
    expect(await database.db('audit_log').where({ entity_id: order.orderId, action: 'order.approved' })).toHaveLength(1);
  });

  it('when the snapshot is loaded, then it holds the locked cash in the base currency, the positions, the open orders and the limits', async () => {
    const riskContext = createRiskContextRepository(database.db);
    const id = await newPortfolio(database.db, '50000');
    await database.db('positions').insert({ portfolio_id: id, symbol: 'MSFT', quantity: '3', average_cost: '400', realized_pnl: '0' });
    // Within the 5 % collar of the demo JPM quote (about 137).
    await riskContext.decideUnderLock(orderToDecide(id, { symbol: 'JPM', type: 'LIMIT', quantity: '2', limitPrice: '138' }), decideAt(new Date()));
    // Neither a denied nor a filled order holds anything.
    await riskContext.decideUnderLock(orderToDecide(id, { symbol: 'XOM', quantity: '100000' }), decideAt(new Date()));
    const filled = orderToDecide(id, { symbol: 'SPY', quantity: '1' });
    await riskContext.decideUnderLock(filled, decideAt(new Date()));
    await database.db('orders').where({ id: filled.orderId }).update({ status: 'FILLED', filled_quantity: '1' });
    let seen: RiskSnapshot | undefined;
    await riskContext.decideUnderLock(orderToDecide(id), (snapshot) => {
      seen = snapshot;
      return decideAt(new Date())(snapshot);
    });
    expect(seen?.portfolio).toMatchObject({ baseCurrency: 'USD', tradingState: 'ACTIVE' });
    expect(seen?.portfolio.cash.toString()).toBe('50000 USD');
    expect(seen?.holdings.map((h) => [h.symbol, h.quantity.toFixed()])).toEqual([['MSFT', '3']]);
    expect(seen?.openOrders.map((o) => [o.symbol, o.side, o.quantity.toFixed(), o.price.toFixed()])).toEqual([['JPM', 'BUY', '2', '138']]);
    expect(seen?.instrument?.minNotional.currency).toBe('USD');
    expect(seen?.marks.has('MSFT')).toBe(true);
  });

  it('when the decision reads a portfolio\'s open orders, then an index holds exactly the open statuses, so the read never walks the closed ones', async () => {
    const { rows: [index] } = await database.db.raw<{ rows: Array<{ predicate: string; columns: string }> }>(
      `select pg_get_expr(i.indpred, i.indrelid) as predicate, pg_get_indexdef(i.indexrelid) as columns from pg_index i where i.indexrelid = 'orders_open'::regclass`);
    expect([...index!.predicate.matchAll(/'([A-Z_]+)'/g)].map((m) => m[1]).sort()).toEqual([...OPEN_ORDER_STATUSES].sort());
    expect(index!.columns).toContain('(portfolio_id, strategy_id)');
  });

  it('when the daily loss is limited, then the snapshot holds the books as the trading day began: the last cash balance before it, the day\'s deposits, the holdings less the day\'s fills', async () => {
    const { db } = database;
    const riskContext = createRiskContextRepository(db);
    const id = await newPortfolio(db, '10000');
    await db('risk_limits').where({ portfolio_id: id }).update({ max_daily_loss: '500', trading_day_time_zone: 'UTC' });
    const yesterday = new Date(Date.now() - 36 * 3600_000);
    await db('ledger_entries').where({ portfolio_id: id }).update({ created_at: yesterday });
    const entry = (entry_type: string, symbol: string | null, amount: string, balance_after: string, created_at = new Date()) =>
      ({ portfolio_id: id, entry_type, symbol, amount, balance_after, description: 'test', created_at });
    // Yesterday's last cash entry is the fee (the position's entry has a symbol); today a deposit.
    await db('ledger_entries').insert([
      entry('TRADE_CASH', null, '-1200', '8800', yesterday), entry('FEE', null, '-1.2', '8798.8', yesterday), entry('TRADE_POSITION', 'MSFT', '3', '3', yesterday),
      entry('DEPOSIT', null, '250', '9048.8'), entry('DEPOSIT', null, '100', '9148.8'),
    ]);
    await db('positions').insert({ portfolio_id: id, symbol: 'MSFT', quantity: '5', average_cost: '400', realized_pnl: '0' });
    const bought = orderToDecide(id, { symbol: 'MSFT', quantity: '2' });
    await riskContext.decideUnderLock(bought, decideAt(new Date()));
    await db('fills').insert({ id: randomUUID(), order_id: bought.orderId, portfolio_id: id, symbol: 'MSFT', side: 'BUY', quantity: '2', price: '400', fee: '0.8', broker_execution_id: randomUUID(), executed_at: new Date() });
    let seen: RiskSnapshot | undefined;
    await riskContext.decideUnderLock(orderToDecide(id, { symbol: 'MSFT' }), (snapshot) => {
      seen = snapshot;
      return decideAt(new Date())(snapshot);
    });
    const dayStart = seen?.dayStart;
    expect([dayStart?.cash.toString(), dayStart?.depositsSince.toString()]).toEqual(['8798.8 USD', '350 USD']);
    expect([...(dayStart?.holdings ?? [])].map(([symbol, held]) => [symbol, held.toFixed()])).toEqual([['MSFT', '3']]);
    expect([...(dayStart?.previousCloses.keys() ?? [])]).toEqual(['MSFT']);
  });

  it('when the stored quote is older than the limit allows, then the decision read through the snapshot denies it as stale', async () => {
    const riskContext = createRiskContextRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    await database.db('quotes').where({ symbol: 'MSFT' }).update({ as_of: new Date(Date.now() - 3_600_000) });
    const progress = await riskContext.decideUnderLock(orderToDecide(id, { symbol: 'MSFT' }), decideAt(new Date()));
    expect(progress.decision?.reasons.map((r) => r.code)).toEqual(['QUOTE_STALE']);
  });

  it('when the portfolio does not exist, then a typed error says so and nothing is recorded', async () => {
    const order = orderToDecide('00000000-0000-4000-8000-000000000000');
    await expect(createRiskContextRepository(database.db).decideUnderLock(order, decideAt(new Date()))).rejects.toBeInstanceOf(PortfolioNotFoundError);
    expect(await database.db('orders').where({ id: order.orderId })).toHaveLength(0);
  });

  it('when the quote moves outside the collar after the decision, then the check at submission rejects the order, frees it and audits it', async () => {
    const riskContext = createRiskContextRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    await database.db('quotes').where({ symbol: 'XOM' }).update({ bid: '100', ask: '100.02', last: '100.01', as_of: new Date() });
    const order = orderToDecide(id, { symbol: 'XOM', type: 'LIMIT', quantity: '10', limitPrice: '102' });
    expect((await riskContext.decideUnderLock(order, decideAt(new Date()))).status).toBe('APPROVED');
    const check = (input: Omit<SubmissionCheckInput, 'asOf'>) => checkAtSubmission({ ...input, asOf: new Date() });
    // The market falls 5 %: the buy limit is now 7 % above the mid.
    await database.db('quotes').where({ symbol: 'XOM' }).update({ bid: '95', ask: '95.02', last: '95.01', as_of: new Date() });
    const rejected = await riskContext.confirmAtSubmission(order.orderId, check);
    expect(rejected.status).toBe('REJECTED');
    expect(rejected.rejectionReason).toMatch(/^PRICE_COLLAR: the limit price is 0\.07\d* beyond the mid at submission/);
    expect(await database.db('audit_log').where({ action: 'order.rejected', entity_id: order.orderId }).first()).toMatchObject({ details: { at: 'submission', reasons: ['PRICE_COLLAR'] } });
    // A repeat answers the order as it stands.
    expect((await riskContext.confirmAtSubmission(order.orderId, () => { throw new Error('must not check a rejected order'); })).status).toBe('REJECTED');
  });

  it('when an order has passed the check at submission, then a retried submission finds it cleared and never rejects it, whatever the quote does since', async () => {
    const riskContext = createRiskContextRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    await database.db('quotes').where({ symbol: 'JPM' }).update({ bid: '100', ask: '100.02', last: '100.01', as_of: new Date() });
    const order = orderToDecide(id, { symbol: 'JPM', type: 'LIMIT', quantity: '10', limitPrice: '102' });
    expect((await riskContext.decideUnderLock(order, decideAt(new Date()))).status).toBe('APPROVED');
    const check = (input: Omit<SubmissionCheckInput, 'asOf'>) => checkAtSubmission({ ...input, asOf: new Date() });
    expect((await riskContext.confirmAtSubmission(order.orderId, check)).status).toBe('APPROVED');
    expect((await database.db('orders').where({ id: order.orderId }).first()).submission_cleared_at).toBeInstanceOf(Date);
    // The order may be at the broker now: the market falls, and the retry sends it, unchecked.
    await database.db('quotes').where({ symbol: 'JPM' }).update({ bid: '95', ask: '95.02', last: '95.01', as_of: new Date() });
    expect((await riskContext.confirmAtSubmission(order.orderId, () => { throw new Error('must not check a cleared order'); })).status).toBe('APPROVED');
    expect(await database.db('audit_log').where({ action: 'order.rejected', entity_id: order.orderId })).toHaveLength(0);
  });

  it('when attempts at submission race, one passing and one failing the check, then the first to decide wins and the other answers its outcome', async () => {
    const riskContext = createRiskContextRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    await database.db('quotes').where({ symbol: 'SPY' }).update({ bid: '100', ask: '100.02', last: '100.01', as_of: new Date() });
    const order = orderToDecide(id, { symbol: 'SPY', type: 'LIMIT', quantity: '10', limitPrice: '102' });
    expect((await riskContext.decideUnderLock(order, decideAt(new Date()))).status).toBe('APPROVED');
    const passes = () => [];
    const fails = () => [{ code: 'PRICE_COLLAR' as const, message: 'moved' }];
    const outcomes = await Promise.all([riskContext.confirmAtSubmission(order.orderId, passes), riskContext.confirmAtSubmission(order.orderId, fails)]);
    const stored = await database.db('orders').where({ id: order.orderId }).first();
    // Whichever came first, both answer what is stored: cleared (APPROVED) or REJECTED, never both.
    expect(outcomes.map((o) => o.status)).toEqual([stored.status, stored.status]);
    expect(stored.status === 'APPROVED' ? stored.submission_cleared_at !== null : stored.submission_cleared_at === null).toBe(true);
  });
});
