import { applyFill, FLAT, type FillInput, type PositionState } from '../../../src/domain/portfolio/fill-accounting';
import { Decimal } from '../../../src/domain/values/decimal';

const d = (v: string | number) => new Decimal(v);
const pos = (q: number, c: number, r = 0): PositionState => ({ quantity: d(q), averageCost: d(c), realizedPnl: d(r) });
const fill = (side: 'BUY' | 'SELL', q: number, p: string, fee = '0'): FillInput => ({ side, quantity: d(q), price: d(p), fee: d(fee) });

describe('fill accounting (average cost)', () => {
  const cases: Array<[string, PositionState, FillInput, { qty: string; avg: string; realized: string; cash: string }]> = [
    ['a buy opens a flat position', FLAT, fill('BUY', 10, '100.01', '0.1'), { qty: '10', avg: '100.01', realized: '-0.1', cash: '-1000.2' }],
    ['a buy adds to a long and re-averages', pos(10, 100), fill('BUY', 10, '110'), { qty: '20', avg: '105', realized: '0', cash: '-1100' }],
    ['a sell reduces a long and realises the gain', pos(10, 100), fill('SELL', 4, '110', '1'), { qty: '6', avg: '100', realized: '39', cash: '439' }],
    ['a sell closes a long exactly', pos(10, 100), fill('SELL', 10, '90'), { qty: '0', avg: '0', realized: '-100', cash: '900' }],
    ['a sell crosses through zero into a short', pos(10, 100), fill('SELL', 15, '120'), { qty: '-5', avg: '120', realized: '200', cash: '1800' }],
    ['a buy covers a short at a lower price', pos(-10, 50), fill('BUY', 10, '40'), { qty: '0', avg: '0', realized: '100', cash: '-400' }],
  ];

  it.each(cases)('when %s, then quantity, cost, realised P&L and cash follow', (_name, before, f, expected) => {
    const effect = applyFill(before, f);
    expect(effect.position.quantity.toFixed()).toBe(expected.qty);
    expect(effect.position.averageCost.toFixed()).toBe(expected.avg);
    expect(effect.position.realizedPnl.toFixed()).toBe(expected.realized);
    expect(effect.cashDelta.toFixed()).toBe(expected.cash);
  });
});
