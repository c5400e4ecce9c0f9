import { decide, PRE_TRADE_RULES } from '../../../../src/domain/risk/pre-trade-engine';
import { buildRiskContext } from '../../../../src/domain/risk/risk-context';
import { d, holding, limits, marks, openOrder, riskInput } from './risk-fixtures';

describe('risk context', () => {
  const busy = riskInput({
    cash: 2000, holdings: [holding('MSFT', 10, 250), holding('AAPL', 5, 90)], marks: marks({ MSFT: 260, AAPL: 100 }),
    openOrders: [openOrder('JPM', 'BUY', 3, 200), openOrder('AAPL', 'SELL', 2, 101)],
    limits: limits({ maxOrderValue: d(500), maxOpenPositions: 2 }),
  }, { quantity: 12 });

  it('when a context is built, then it and its pricing are frozen', () => {
    const context = buildRiskContext(busy);
    expect(Object.isFrozen(context)).toBe(true);
    expect(Object.isFrozen(context.pricing)).toBe(true);
    expect(Object.isFrozen(context.pricing?.exposureAfter.get('AAPL'))).toBe(true);
  });

  it('when the rules run in reverse order, then they give the same reasons (no rule depends on another)', () => {
    const context = buildRiskContext(busy);
    const forward = decide(context).reasons.map((r) => r.code);
    const backward = decide(context, [...PRE_TRADE_RULES].reverse()).reasons.map((r) => r.code);
    expect(forward.length).toBeGreaterThan(1);
    expect([...backward].reverse()).toEqual(forward);
  });

  it('when the order is counted, then the exposure before it is unchanged and the one after holds it as pending', () => {
    const { pricing } = buildRiskContext(busy);
    expect(pricing?.exposureBefore.get('AAPL')).toMatchObject({ held: d(5), pendingBuys: d(0), pendingSells: d(2) });
    expect(pricing?.exposureAfter.get('AAPL')).toMatchObject({ held: d(5), pendingBuys: d(12), pendingSells: d(2) });
  });

  it('when open buys are pending, then the free cash is the cash less their worst-case cost', () => {
    // 3 JPM at 200 = 600, fee 1 bp = 0.06: 600.06 reserved.
    expect(buildRiskContext(busy).pricing?.freeCash.toString()).toBe('1399.94 USD');
  });

  const reducing: Array<[string, Parameters<typeof riskInput>, boolean, boolean]> = [
    ['a sell of part of a long', [{ holdings: [holding('AAPL', 10, 90)] }, { side: 'SELL', quantity: 4 }], true, false],
    ['a sell of the whole long', [{ holdings: [holding('AAPL', 10, 90)] }, { side: 'SELL', quantity: 10 }], true, true],
    ['a sell beyond the long', [{ holdings: [holding('AAPL', 10, 90)] }, { side: 'SELL', quantity: 11 }], false, false],
    ['a sell of shares already promised to an open sell', [{ holdings: [holding('AAPL', 10, 90)], openOrders: [openOrder('AAPL', 'SELL', 8, 100)] }, { side: 'SELL', quantity: 4 }], false, false],
    ['a buy covering a short', [{ holdings: [holding('AAPL', -10, 90)] }, { quantity: 10 }], true, true],
    ['a buy with nothing held', [{}, {}], false, false],
  ];
  it.each(reducing)('when %s is assessed, then reducing is %s and closing is %s', (_name, args, isReducing, closes) => {
    const context = buildRiskContext(riskInput(...args));
    expect([context.reducing, context.closesPosition]).toEqual([isReducing, closes]);
  });
});
