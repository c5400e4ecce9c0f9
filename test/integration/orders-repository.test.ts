import { randomUUID } from 'node:crypto';
import { createOrdersRepository } from '../../src/adapters/db/orders.repository';
import { createPortfoliosRepository } from '../../src/adapters/db/portfolios.repository';
import type { PlaceOrderCommand } from '../../src/contracts/order-contracts';
import { evaluatePreTradeRisk } from '../../src/domain/risk/pre-trade-checks';
import { Decimal } from '../../src/domain/values/decimal';
import type { BrokerOrderReport } from '../../src/ports/broker.port';
import { migratedTestDatabase, type TestDatabase } from '../support/test-system';

let database: TestDatabase;
beforeAll(async () => {
  database = await migratedTestDatabase('repo');
});
afterAll(async () => database?.close());

async function portfolio(cash: string): Promise<string> {
  const id = randomUUID();
  await createPortfoliosRepository(database.db).createPortfolio({ id, accountId: 'paper', name: 't', baseCurrency: 'USD', initialCash: new Decimal(cash), createdBy: 'test' });
  return id;
}

const command = (portfolioId: string, over: Partial<PlaceOrderCommand> = {}): PlaceOrderCommand => ({
  orderId: randomUUID(), portfolioId, clientRequestId: null, symbol: 'AAPL', side: 'BUY', type: 'MARKET',
  quantity: '1', limitPrice: null, execute: true, requestedBy: 'test', ...over,
});

const assessAt = (asOf: Date) => (snapshot: Parameters<Parameters<ReturnType<typeof createOrdersRepository>['recordOrderDecision']>[2]>[0]) =>
  evaluatePreTradeRisk({ ...snapshot, costs: { feeRate: new Decimal('0.001'), minFee: new Decimal(0), slippageRate: new Decimal(0) }, asOf });

describe('orders repository on PostgreSQL', () => {
  it('when many orders are assessed at once and only some fit the cash, then the approvals never jointly exceed it', async () => {
    const orders = createOrdersRepository(database.db);
    const id = await portfolio('1000000');
    await database.db('risk_limits').where({ portfolio_id: id }).update({ max_position_pct_of_equity: '1', max_gross_leverage: '10', max_order_value: '1000000' });
    const quote = await database.db('quotes').where({ symbol: 'AAPL' }).first();
    // Each order alone fits; together they need about three times the cash.
    const quantity = new Decimal(1000000).div(new Decimal(quote.ask)).div(4).floor().toFixed();
    const decisions = await Promise.all(Array.from({ length: 12 }, () => orders.recordOrderDecision(command(id, { quantity }), `wf-${randomUUID()}`, assessAt(new Date()))));
    const approved = decisions.filter((d) => d.status === 'APPROVED');
    expect(approved).toHaveLength(3);
    expect(decisions.filter((d) => d.status === 'DENIED').every((d) => d.decision?.reasons.some((r) => r.code === 'INSUFFICIENT_CASH'))).toBe(true);
  });

  it('when an order is assessed twice, then the second call returns the stored decision', async () => {
    const orders = createOrdersRepository(database.db);
    const id = await portfolio('100000');
    const cmd = command(id);
    const first = await orders.recordOrderDecision(cmd, `order-${cmd.orderId}`, assessAt(new Date()));
    const second = await orders.recordOrderDecision(cmd, `order-${cmd.orderId}`, () => { throw new Error('must not decide again'); });
    expect(second).toEqual(first);
  });

  it('when the same broker report is booked twice, then fills, position, cash and ledger change once', async () => {
    const orders = createOrdersRepository(database.db);
    const id = await portfolio('100000');
    const cmd = command(id, { quantity: '3' });
    await orders.recordOrderDecision(cmd, `order-${cmd.orderId}`, assessAt(new Date()));
    const report: BrokerOrderReport = {
      clientOrderId: `order-${cmd.orderId}-leg1`, brokerOrderId: randomUUID(), status: 'FILLED', rejectReason: null,
      executions: [{ executionId: `ex-${cmd.orderId}`, quantity: new Decimal(3), price: new Decimal('150.5'), fee: new Decimal('0.45'), executedAt: new Date() }],
    };
    await orders.bookBrokerReport(cmd.orderId, report);
    const progress = await orders.bookBrokerReport(cmd.orderId, report);
    expect(progress).toMatchObject({ status: 'FILLED', filledQuantity: '3', averageFillPrice: '150.5' });
    expect(await database.db('fills').where({ order_id: cmd.orderId })).toHaveLength(1);
    const p = await database.db('portfolios').where({ id }).first();
    expect(new Decimal(p.cash).toFixed()).toBe('99548.05');
    const position = await database.db('positions').where({ portfolio_id: id, symbol: 'AAPL' }).first();
    expect(new Decimal(position.quantity).toFixed()).toBe('3');
    expect(await database.db('ledger_entries').where({ portfolio_id: id })).toHaveLength(4);
  });
});
