import { createPaperBroker } from '../../src/adapters/broker/paper/paper-broker.adapter';
import { createMarketDataRepository, createQuoteTicks } from '../../src/adapters/db/market-data.repository';
import { Decimal } from '../../src/domain/values/decimal';
import { price } from '../../src/domain/values/price';
import { quantity } from '../../src/domain/values/quantity';
import { BrokerOrderNotFoundError, type BrokerOrderRequest, type BrokerPort, type OrderKey } from '../../src/ports/broker.port';
import { migratedTestDatabase, type TestDatabase } from '../support/test-system';

const d = (v: string | number) => new Decimal(v);
let database: TestDatabase;
let broker: BrokerPort;

beforeAll(async () => {
  database = await migratedTestDatabase('paper');
  broker = createPaperBroker({
    db: database.db, marketData: createMarketDataRepository(database.db), ticks: createQuoteTicks(database.db),
    costs: { feeBps: d(10), slippageBps: d(0), minFee: d('0.5') }, clock: { now: () => new Date() },
  });
});
afterAll(async () => database?.close());

async function setQuote(symbol: string, bid: string, ask: string): Promise<void> {
  await database.db('quotes').where({ symbol }).update({ bid, ask, last: bid, as_of: new Date(), source: 'test' });
}

const key = (name: string): OrderKey => ({ workflowId: `order-${name}`, leg: 1 });
const request = (name: string, over: Partial<Omit<BrokerOrderRequest, 'orderKey'>> = {}): BrokerOrderRequest => ({
  orderKey: key(name), symbol: 'JPM', side: 'BUY', type: 'MARKET', quantity: quantity('4'), limitPrice: null, ...over,
});

describe('paper broker on PostgreSQL', () => {
  it('when a market order is submitted twice under one order key, then it fills once at the ask with the fee in the instrument currency', async () => {
    await setQuote('JPM', '199.00', '200.00');
    const [a, b] = await Promise.all([broker.submitOrder(request('twice')), broker.submitOrder(request('twice'))]);
    expect(a).toEqual(b);
    expect(a).toMatchObject({ status: 'FILLED', clientOrderId: 'order-twice-leg1' });
    expect(a.executions).toHaveLength(1);
    expect(a.executions[0]?.price.toFixed()).toBe('200');
    expect(a.executions[0]?.fee.toString()).toBe('0.8 USD');
    expect(await database.db('paper_orders').where({ client_order_id: 'order-twice-leg1' })).toHaveLength(1);
  });

  it('when a limit order is not marketable, then it rests, fills once a quote crosses it, and a later cancel leaves it filled', async () => {
    await setQuote('XOM', '100.00', '100.10');
    const submitted = await broker.submitOrder(request('rest', { symbol: 'XOM', type: 'LIMIT', limitPrice: price('99.50') }));
    expect(submitted).toMatchObject({ status: 'WORKING', executions: [] });
    expect((await broker.refreshOrder(key('rest')))?.status).toBe('WORKING');

    await setQuote('XOM', '99.00', '99.40');
    const [r1, r2] = await Promise.all([broker.refreshOrder(key('rest')), broker.refreshOrder(key('rest'))]);
    expect(r1?.status).toBe('FILLED');
    expect(r2?.executions).toHaveLength(1);
    expect(r1?.executions[0]?.price.toFixed()).toBe('99.4');
    expect((await broker.cancelOrder(key('rest'))).status).toBe('FILLED');
  });

  it('when a resting order is cancelled, then a later crossing quote does not fill it', async () => {
    await setQuote('SPY', '500.00', '500.10');
    await broker.submitOrder(request('cancel', { symbol: 'SPY', type: 'LIMIT', limitPrice: price('450.00'), quantity: quantity('1') }));
    expect((await broker.cancelOrder(key('cancel'))).status).toBe('CANCELLED');
    await setQuote('SPY', '440.00', '440.10');
    expect(await broker.refreshOrder(key('cancel'))).toMatchObject({ status: 'CANCELLED', executions: [] });
  });

  it('when the venue does not know an order, then refresh answers null and cancel is a typed error', async () => {
    expect(await broker.refreshOrder(key('nobody'))).toBeNull();
    await expect(broker.cancelOrder(key('nobody'))).rejects.toBeInstanceOf(BrokerOrderNotFoundError);
  });

  it('when a crossing quote came and went before the venue looked again, then the order fills at that quote, at its time', async () => {
    const marketData = createMarketDataRepository(database.db);
    const at = (ms: number) => new Date(Date.now() - ms);
    await marketData.upsertQuote({ symbol: 'BTC-USD', bid: price('60000.00'), ask: price('60010.00'), last: price('60005.00'), asOf: at(3000) }, 'test', 'test');
    await broker.submitOrder(request('sequence', { symbol: 'BTC-USD', type: 'LIMIT', limitPrice: price('59000.00'), quantity: quantity('0.01') }));
    const crossedAt = at(2000);
    await marketData.upsertQuote({ symbol: 'BTC-USD', bid: price('58900.00'), ask: price('58950.00'), last: price('58925.00'), asOf: crossedAt }, 'test', 'test');
    await marketData.upsertQuote({ symbol: 'BTC-USD', bid: price('60100.00'), ask: price('60110.00'), last: price('60105.00'), asOf: at(1000) }, 'test', 'test');
    const refreshed = await broker.refreshOrder(key('sequence'));
    expect(refreshed?.status).toBe('FILLED');
    expect(refreshed?.executions[0]?.price.toFixed()).toBe('58950');
    expect(refreshed?.executions[0]?.executedAt.getTime()).toBe(crossedAt.getTime());
  });

  it('when later quotes never cross a resting order, then it keeps resting and the venue does not look at them again', async () => {
    const marketData = createMarketDataRepository(database.db);
    await marketData.upsertQuote({ symbol: 'MSFT', bid: price('400.00'), ask: price('400.10'), last: price('400.05'), asOf: new Date() }, 'test', 'test');
    await broker.submitOrder(request('never', { symbol: 'MSFT', type: 'LIMIT', limitPrice: price('390.00'), quantity: quantity('1') }));
    await marketData.upsertQuote({ symbol: 'MSFT', bid: price('395.00'), ask: price('395.10'), last: price('395.05'), asOf: new Date() }, 'test', 'test');
    expect((await broker.refreshOrder(key('never')))?.status).toBe('WORKING');
    const seen = (await database.db('paper_orders').where({ client_order_id: 'order-never-leg1' }).first()).last_tick_seq;
    expect(Number(seen)).toBe((await marketData.findMarket('MSFT')).latestSeq);
  });

  it('when many orders are submitted at once, then none waits on a connection held by another (no pool starvation)', async () => {
    await setQuote('JPM', '199.00', '200.00');
    const reports = await Promise.all(Array.from({ length: 30 }, (_, i) => broker.submitOrder(request(`burst-${i}`, { quantity: quantity('1') }))));
    expect(reports.every((r) => r.status === 'FILLED')).toBe(true);
  });

  it.each([
    { name: 'fresh-fill', over: {}, status: 'FILLED', executions: 1, reason: null },
    { name: 'fresh-rest', over: { type: 'LIMIT' as const, limitPrice: price('150.00') }, status: 'WORKING', executions: 0, reason: null },
    { name: 'fresh-unpriced', over: { symbol: 'NOPE' }, status: 'REJECTED', executions: 0, reason: 'no quote for NOPE' },
  ])('when a new order is submitted ($name), then the venue reads its market and records the order as matched, with any fill, in one more statement', async ({ name, over, status, executions, reason }) => {
    await setQuote('JPM', '199.00', '200.00');
    const statements: string[] = [];
    const count = (q: { sql: string }) => statements.push(q.sql);
    database.db.on('query', count);
    const answered = await broker.submitOrder(request(name, over)).finally(() => database.db.off('query', count));
    expect(statements).toHaveLength(2);
    expect(answered).toMatchObject({ status, rejectReason: reason });
    expect(answered.executions).toHaveLength(executions);
    const stored = await database.db('paper_orders').where({ client_order_id: `order-${name}-leg1` }).first();
    expect([stored.status, stored.reject_reason, Number(stored.last_tick_seq)]).toEqual([status, reason, (await createMarketDataRepository(database.db).findMarket(over.symbol ?? 'JPM')).latestSeq]);
    // What a later look reports is what the submission answered.
    expect(await broker.refreshOrder(key(name))).toEqual(answered);
  });

  it('when the venue reads a symbol\'s market, then the quote, the instrument and the latest tick come in one read, exact; an unknown symbol has none', async () => {
    const marketData = createMarketDataRepository(database.db);
    const tick = await marketData.upsertQuote({ symbol: 'XOM', bid: price('110.015'), ask: price('110.025'), last: price('110.02'), asOf: new Date('2026-11-20T15:00:00Z') }, 'test', 'tester');
    const market = await marketData.findMarket('XOM');
    expect(market.latestSeq).toBe(tick.seq);
    expect(market.quote && [market.quote.quote.bid.toFixed(), market.quote.quote.ask.toFixed(), market.quote.quote.asOf.toISOString(), market.quote.source])
      .toEqual(['110.015', '110.025', '2026-11-20T15:00:00.000Z', 'test']);
    expect(market.instrument).toEqual(await marketData.findInstrument('XOM'));
    expect(market.instrument?.tickSize.toFixed()).toBe('0.01');
    expect(await marketData.findMarket('NOPE')).toEqual({ quote: null, instrument: null, latestSeq: 0 });
  });
});
