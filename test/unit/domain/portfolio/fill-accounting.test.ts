import { applyFill, flatPosition, type Fill, type PositionState } from '../../../../src/domain/portfolio/fill-accounting';
import { bookFill } from '../../../../src/domain/portfolio/fill-ledger';
import { Money } from '../../../../src/domain/values/money';
import { price } from '../../../../src/domain/values/price';
import { quantity, signedQuantity } from '../../../../src/domain/values/quantity';

const usd = (v: string | number) => Money.of(String(v), 'USD');
const pos = (q: number, c: number, r = 0): PositionState => ({ quantity: signedQuantity(String(q)), averageCost: price(String(c)), realizedPnl: usd(r) });
const fill = (side: 'BUY' | 'SELL', q: number, p: string, fee = '0'): Fill => ({ side, quantity: quantity(String(q)), price: price(p), fee: usd(fee) });

describe('fill accounting (average cost)', () => {
  const cases: Array<[string, PositionState, Fill, { qty: string; avg: string; realized: string; tradeCash: string }]> = [
    ['a buy opens a flat position', flatPosition('USD'), fill('BUY', 10, '100.01', '0.1'), { qty: '10', avg: '100.01', realized: '-0.1', tradeCash: '-1000.1' }],
    ['a buy adds to a long and re-averages', pos(10, 100), fill('BUY', 10, '110'), { qty: '20', avg: '105', realized: '0', tradeCash: '-1100' }],
    ['a sell reduces a long and realises the gain', pos(10, 100), fill('SELL', 4, '110', '1'), { qty: '6', avg: '100', realized: '39', tradeCash: '440' }],
    ['a sell closes a long exactly', pos(10, 100), fill('SELL', 10, '90'), { qty: '0', avg: '0', realized: '-100', tradeCash: '900' }],
    ['a sell crosses through zero into a short', pos(10, 100), fill('SELL', 15, '120'), { qty: '-5', avg: '120', realized: '200', tradeCash: '1800' }],
    ['a buy covers a short at a lower price', pos(-10, 50), fill('BUY', 10, '40'), { qty: '0', avg: '0', realized: '100', tradeCash: '-400' }],
  ];

  it.each(cases)('when %s, then quantity, cost, realised P&L and trade cash follow', (_name, before, f, expected) => {
    const effect = applyFill(before, f);
    expect(effect.position.quantity.toFixed()).toBe(expected.qty);
    expect(effect.position.averageCost.toFixed()).toBe(expected.avg);
    expect(effect.position.realizedPnl.toWire()).toBe(expected.realized);
    expect(effect.tradeCash.toWire()).toBe(expected.tradeCash);
  });

  it('when the fee is in another currency than the position, then booking is refused rather than mixed', () => {
    expect(() => applyFill(pos(0, 0), { ...fill('BUY', 1, '10'), fee: Money.of('0.01', 'BNB') })).toThrow('cannot combine USD with BNB');
  });
});

describe('fill ledger', () => {
  it('when a buy is booked, then cash falls by notional and fee and three entries explain it with running balances', () => {
    const booking = bookFill(usd(10000), flatPosition('USD'), { ...fill('BUY', 10, '200.02', '2'), symbol: 'AAPL', executionId: 'ex-1' });
    expect(booking.cashAfter.toString()).toBe('7997.8 USD');
    expect(booking.entries.map((e) => [e.type, e.symbol, e.amount.toFixed(), e.balanceAfter.toFixed(), e.description])).toEqual([
      ['TRADE_CASH', null, '-2000.2', '7999.8', 'BUY 10 AAPL @ 200.02'],
      ['FEE', null, '-2', '7997.8', 'fee on ex-1'],
      ['TRADE_POSITION', 'AAPL', '10', '10', 'BUY 10 AAPL'],
    ]);
  });

  it('when a sell closes a position, then the position entry takes it to zero and cash rises by proceeds less fee', () => {
    const booking = bookFill(usd(0), pos(10, 100), { ...fill('SELL', 10, '110', '1.1'), symbol: 'AAPL', executionId: 'ex-2' });
    expect(booking.cashAfter.toWire()).toBe('1098.9');
    expect(booking.entries.at(-1)?.type).toBe('TRADE_POSITION');
    expect(booking.entries.at(-1)?.amount.toFixed()).toBe('-10');
    expect(booking.effect.position.quantity.isZero()).toBe(true);
  });
});
