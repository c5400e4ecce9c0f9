import { createPaperBroker } from '../../src/adapters/broker/paper/paper-broker.adapter';
import { Decimal } from '../../src/domain/values/decimal';
import type { BrokerOrderRequest } from '../../src/ports/broker.port';
import { BrokerOrderNotFoundError } from '../../src/ports/broker.port';
import { migratedTestDatabase, type TestDatabase } from '../support/test-system';

const d = (v: string | number) => new Decimal(v);
let database: TestDatabase;
const clock = { now: () => new Date() };
const costs = { feeBps: d(10), slippageBps: d(0), minFee: d('0.5') };

beforeAll(async () => {
  database = await migratedTestDatabase('paper');
});
afterAll(async () => database?.close());

async function setQuote(symbol: string, bid: string, ask: string): Promise<void> {
  await database.db('quotes').where({ symbol }).update({ bid, ask, last: bid, as_of: new Date(), source: 'test' });
}

const request = (clientOrderId: string, over: Partial<BrokerOrderRequest> = {}): BrokerOrderRequest => ({
  clientOrderId, symbol: 'JPM', side: 'BUY', type: 'MARKET', quantity: d(4), limitPrice: null, ...over,
});

describe('paper broker on PostgreSQL', () => {
  it('when a market order is submitted twice under one client order id, then it fills once at the ask with the fee', async () => {
    await setQuote('JPM', '199.00', '200.00');
    const broker = createPaperBroker(database.db, costs, clock);
    const [a, b] = await Promise.all([broker.submitOrder(request('twice-1')), broker.submitOrder(request('twice-1'))]);
    expect(a).toEqual(b);
    expect(a.status).toBe('FILLED');
    expect(a.executions).toHaveLength(1);
    expect(a.executions[0]).toMatchObject({ quantity: d(4), price: d(200), fee: d('0.8') });
    expect(await database.db('paper_orders').where({ client_order_id: 'twice-1' })).toHaveLength(1);
  });

  it('when a limit order is not marketable, then it rests, fills once a quote crosses it, and a later cancel leaves it filled', async () => {
    await setQuote('XOM', '100.00', '100.10');
    const broker = createPaperBroker(database.db, costs, clock);
    const submitted = await broker.submitOrder(request('rest-1', { symbol: 'XOM', type: 'LIMIT', limitPrice: d('99.50') }));
    expect(submitted).toMatchObject({ status: 'WORKING', executions: [] });
    expect((await broker.refreshOrder('rest-1'))?.status).toBe('WORKING');

    await setQuote('XOM', '99.00', '99.40');
    const [r1, r2] = await Promise.all([broker.refreshOrder('rest-1'), broker.refreshOrder('rest-1')]);
    expect(r1?.status).toBe('FILLED');
    expect(r2?.executions).toHaveLength(1);
    expect(r1?.executions[0]?.price).toEqual(d('99.4'));
    expect((await broker.cancelOrder('rest-1')).status).toBe('FILLED');
  });

  it('when a resting order is cancelled, then a later crossing quote does not fill it', async () => {
    await setQuote('SPY', '500.00', '500.10');
    const broker = createPaperBroker(database.db, costs, clock);
    await broker.submitOrder(request('cancel-1', { symbol: 'SPY', type: 'LIMIT', limitPrice: d('450.00'), quantity: d(1) }));
    expect((await broker.cancelOrder('cancel-1')).status).toBe('CANCELLED');
    await setQuote('SPY', '440.00', '440.10');
    expect(await broker.refreshOrder('cancel-1')).toMatchObject({ status: 'CANCELLED', executions: [] });
  });

  it('when the venue does not know an order, then refresh answers null and cancel is a typed error', async () => {
    const broker = createPaperBroker(database.db, costs, clock);
    expect(await broker.refreshOrder('nobody')).toBeNull();
    await expect(broker.cancelOrder('nobody')).rejects.toBeInstanceOf(BrokerOrderNotFoundError);
  });
});
