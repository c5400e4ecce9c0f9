import { randomUUID } from 'node:crypto';
import { createBooksRepository } from '../../src/adapters/db/books.repository';
import { createRiskContextRepository } from '../../src/adapters/db/risk-context.repository';
import { evaluatePreTradeRisk } from '../../src/domain/risk/pre-trade-engine';
import { NO_COSTS } from '../../src/domain/risk/execution-cost-estimate';
import { Decimal, dec } from '../../src/domain/values/decimal';
import { price } from '../../src/domain/values/price';
import { quantity } from '../../src/domain/values/quantity';
import { OrderNotRecordedError, type ReportToBook } from '../../src/ports/books.port';
import { migratedTestDatabase, type TestDatabase } from '../support/test-system';
import { newPortfolio, orderToDecide } from './repository-fixtures';

let database: TestDatabase;
beforeAll(async () => {
  database = await migratedTestDatabase('books');
});
afterAll(async () => database?.close());

const report = (orderId: string, executions: Array<[string, string, string, string]>, status: ReportToBook['status'] = 'FILLED', feeCurrency: string | null = 'USD'): ReportToBook => ({
  clientOrderId: `order-${orderId}-leg1`, status, rejectReason: null,
  executions: executions.map(([id, qty, at, fee]) => ({ executionId: id, quantity: quantity(qty), price: price(at), fee: dec(fee), feeCurrency, executedAt: new Date() })),
});

async function approvedOrder(portfolioId: string, qty: string, side: 'BUY' | 'SELL' = 'BUY'): Promise<string> {
  const order = orderToDecide(portfolioId, { quantity: qty, side });
  await createRiskContextRepository(database.db).decideUnderLock(order, (s) => evaluatePreTradeRisk({ ...s, costs: NO_COSTS, asOf: new Date() }));
  return order.orderId;
}

describe('books repository on PostgreSQL', () => {
  it('when a position is opened, added to, reduced and flattened, then its lifecycle goes OPEN → PARTIAL → CLOSED with its entry, peak size and realised P&L, and the next one gets a new id', async () => {
    const books = createBooksRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    const book = async (side: 'BUY' | 'SELL', qty: string, at: string) => {
      const orderId = await approvedOrder(id, qty, side);
      await books.bookBrokerReport(orderId, report(orderId, [[`lc-${orderId}`, qty, at, '0']]));
    };
    const lifecycles = async () => (await database.db('position_lifecycles').where({ portfolio_id: id }).orderBy(['opened_at', 'status']))
      .map((l: { status: string; direction: string; entry_price: string; opened_quantity: string; quantity: string; realized_pnl: string }) => [l.status, l.direction, new Decimal(l.entry_price).toFixed(), new Decimal(l.opened_quantity).toFixed(), new Decimal(l.quantity).toFixed(), new Decimal(l.realized_pnl).toFixed()]);
    const positionId = async () => (await database.db('positions').where({ portfolio_id: id, symbol: 'AAPL' }).first()).position_id as string | null;

    await book('BUY', '10', '100');
    const first = await positionId();
    expect(await lifecycles()).toEqual([['OPEN', 'LONG', '100', '10', '10', '0']]);
    await book('BUY', '10', '110');
    expect(await lifecycles()).toEqual([['OPEN', 'LONG', '105', '20', '20', '0']]);
    await book('SELL', '5', '120');
    expect(await lifecycles()).toEqual([['PARTIAL', 'LONG', '105', '20', '15', '75']]);
    expect(await positionId()).toBe(first);
    await book('SELL', '15', '100');
    expect(await lifecycles()).toEqual([['CLOSED', 'LONG', '105', '20', '0', '0']]);
    expect(await positionId()).toBeNull();
    await book('BUY', '2', '90');
    expect(await positionId()).not.toBe(first);
    expect((await lifecycles())[1]).toEqual(['OPEN', 'LONG', '90', '2', '2', '0']);
  });

  it('when a fill sells through a long position, then in one booking the long lifecycle closes and a short one opens with the rest, and the position names it', async () => {
    const books = createBooksRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    const bought = await approvedOrder(id, '5');
    await books.bookBrokerReport(bought, report(bought, [[`flip-buy-${bought}`, '5', '100', '0']]));
    // The books record what the venue did, whatever the decision was: here it sold 8 of the 5 held.
    const sold = await approvedOrder(id, '8', 'SELL');
    await books.bookBrokerReport(sold, report(sold, [[`flip-sell-${sold}`, '8', '110', '0']]));
    const lifecycles = await database.db('position_lifecycles').where({ portfolio_id: id }).orderBy('opened_at');
    expect(lifecycles.map((l: { status: string; direction: string; quantity: string; realized_pnl: string }) => [l.status, l.direction, new Decimal(l.quantity).toFixed(), new Decimal(l.realized_pnl).toFixed()]))
      .toEqual([['CLOSED', 'LONG', '0', '50'], ['OPEN', 'SHORT', '3', '0']]);
    const position = await database.db('positions').where({ portfolio_id: id, symbol: 'AAPL' }).first();
    expect([new Decimal(position.quantity).toFixed(), position.position_id]).toEqual(['-3', lifecycles[1].id]);
  });

  it('when the same broker report is booked twice, then fills, position, cash and ledger change once', async () => {
    const books = createBooksRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    const orderId = await approvedOrder(id, '3');
    const filled = report(orderId, [[`ex-${orderId}`, '3', '150.5', '0.45']]);
    await books.bookBrokerReport(orderId, filled);
    const progress = await books.bookBrokerReport(orderId, filled);
    expect(progress).toMatchObject({ status: 'FILLED', filledQuantity: '3', averageFillPrice: '150.5' });
    expect(await database.db('fills').where({ order_id: orderId })).toHaveLength(1);
    expect(new Decimal((await database.db('portfolios').where({ id }).first()).cash).toFixed()).toBe('99548.05');
    const position = await database.db('positions').where({ portfolio_id: id, symbol: 'AAPL' }).first();
    expect(new Decimal(position.quantity).toFixed()).toBe('3');
    const ledger = await database.db('ledger_entries').where({ portfolio_id: id }).orderBy('id');
    expect(ledger.map((l: { entry_type: string; amount: string; balance_after: string }) => [l.entry_type, new Decimal(l.amount).toFixed(), new Decimal(l.balance_after).toFixed()])).toEqual([
      ['DEPOSIT', '100000', '100000'], ['TRADE_CASH', '-451.5', '99548.5'], ['FEE', '-0.45', '99548.05'], ['TRADE_POSITION', '3', '3'],
    ]);
  });

  it('when executions arrive in two reports, then the order accumulates them with an exact average and its fees', async () => {
    const books = createBooksRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    const orderId = await approvedOrder(id, '3');
    await books.bookBrokerReport(orderId, report(orderId, [['a-' + orderId, '1', '100', '0.1']], 'WORKING'));
    const progress = await books.bookBrokerReport(orderId, report(orderId, [['a-' + orderId, '1', '100', '0.1'], ['b-' + orderId, '2', '100.03', '0.2']]));
    expect(progress).toMatchObject({ status: 'FILLED', filledQuantity: '3', averageFillPrice: '100.02' });
    expect(new Decimal((await database.db('orders').where({ id: orderId }).first()).fees).toFixed()).toBe('0.3');
  });

  it('when one report brings two new executions, then the order\'s totals count both', async () => {
    const books = createBooksRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    const orderId = await approvedOrder(id, '3');
    const progress = await books.bookBrokerReport(orderId, report(orderId, [['c-' + orderId, '1', '100', '0.1'], ['d-' + orderId, '2', '100.03', '0.2']]));
    expect(progress).toMatchObject({ status: 'FILLED', filledQuantity: '3', averageFillPrice: '100.02' });
    expect(new Decimal((await database.db('orders').where({ id: orderId }).first()).fees).toFixed()).toBe('0.3');
  });

  it('when a report recorded before fees carried their currency is booked, then its fee is taken in the portfolio\'s currency', async () => {
    const books = createBooksRepository(database.db);
    const id = await newPortfolio(database.db, '1000');
    const orderId = await approvedOrder(id, '1');
    await books.bookBrokerReport(orderId, report(orderId, [['legacy-' + orderId, '1', '100', '0.1']], 'FILLED', null));
    expect(new Decimal((await database.db('portfolios').where({ id }).first()).cash).toFixed()).toBe('899.9');
  });

  it('when a fee is charged in another currency than the portfolio\'s, then booking refuses it rather than mixing currencies', async () => {
    const books = createBooksRepository(database.db);
    const id = await newPortfolio(database.db, '1000');
    const orderId = await approvedOrder(id, '1');
    await expect(books.bookBrokerReport(orderId, report(orderId, [['bnb-' + orderId, '1', '100', '0.01']], 'FILLED', 'BNB'))).rejects.toThrow('cannot combine USD with BNB');
    expect(await database.db('fills').where({ order_id: orderId })).toHaveLength(0);
  });

  it('when a report names an order the books do not hold, then a typed error says so', async () => {
    const missing = randomUUID();
    await expect(createBooksRepository(database.db).bookBrokerReport(missing, report(missing, []))).rejects.toBeInstanceOf(OrderNotRecordedError);
  });

  it('when an order is already final, then a later report adds no status change', async () => {
    const books = createBooksRepository(database.db);
    const id = await newPortfolio(database.db, '100000');
    const orderId = await approvedOrder(id, '1');
    await books.bookBrokerReport(orderId, report(orderId, [], 'CANCELLED'));
    expect((await books.bookBrokerReport(orderId, report(orderId, [], 'WORKING'))).status).toBe('CANCELLED');
  });
});
