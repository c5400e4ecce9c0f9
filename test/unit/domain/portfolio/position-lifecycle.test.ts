import { stepLifecycle, type PositionLifecycle } from '../../../../src/domain/portfolio/position-lifecycle';
import { Decimal } from '../../../../src/domain/values/decimal';
import { price } from '../../../../src/domain/values/price';
import { signedQuantity } from '../../../../src/domain/values/quantity';

const long = (over: Partial<PositionLifecycle> = {}): PositionLifecycle => ({
  direction: 'LONG', status: 'OPEN', entryPrice: price('100'), openedQuantity: new Decimal(10), quantity: new Decimal(10), realizedPnl: new Decimal(0), ...over,
});
const fill = (before: string, after: string, avg: string, at: string, pnl = '0') => ({
  before: signedQuantity(before), after: signedQuantity(after), averageCostAfter: price(avg), fillPrice: price(at), realizedPnl: new Decimal(pnl),
});
const plain = (l: PositionLifecycle) => ({ ...l, entryPrice: l.entryPrice.toFixed(), openedQuantity: l.openedQuantity.toFixed(), quantity: l.quantity.toFixed(), realizedPnl: l.realizedPnl.toFixed() });

describe('position lifecycle', () => {
  it.each([
    ['when a flat position is bought, then a LONG opens at the fill', null, fill('0', '10', '100', '100'), 'OPEN', { direction: 'LONG', status: 'OPEN', quantity: '10', openedQuantity: '10' }],
    ['when a flat position is sold short, then a SHORT opens', null, fill('0', '-4', '50', '50'), 'OPEN', { direction: 'SHORT', quantity: '4' }],
    ['when a long is added to, then its entry re-averages and its peak grows', long(), fill('10', '20', '105', '110'), 'CHANGE', { status: 'OPEN', entryPrice: '105', openedQuantity: '20' }],
    ['when a long is reduced, then it is PARTIAL and keeps its peak', long(), fill('10', '4', '100', '110', '60'), 'CHANGE', { status: 'PARTIAL', quantity: '4', openedQuantity: '10', realizedPnl: '60' }],
    ['when a long is sold flat, then it is CLOSED with its realised P&L', long({ realizedPnl: new Decimal(5) }), fill('10', '0', '0', '90', '-100'), 'CLOSE', { status: 'CLOSED', quantity: '0', realizedPnl: '-95' }],
  ])('%s', (_name, live, f, kind, expected) => {
    const step = stepLifecycle(live, f)!;
    expect(step.kind).toBe(kind);
    const lifecycle = step.kind === 'OPEN' ? step.opened : step.kind === 'CHANGE' ? step.live : step.kind === 'CLOSE' ? step.closed : step.opened;
    expect(plain(lifecycle)).toMatchObject(expected);
  });

  it('when a fill takes a long through zero, then the long closes and a short opens at the fill price', () => {
    const step = stepLifecycle(long(), fill('10', '-3', '95', '95', '-50'));
    expect(step?.kind).toBe('FLIP');
    if (step?.kind !== 'FLIP') return;
    expect(plain(step.closed)).toMatchObject({ status: 'CLOSED', realizedPnl: '-50' });
    expect(plain(step.opened)).toMatchObject({ direction: 'SHORT', status: 'OPEN', entryPrice: '95', quantity: '3', openedQuantity: '3' });
  });

  it('when nothing changes the size, then there is no step', () => {
    expect(stepLifecycle(long(), fill('10', '10', '100', '100'))).toBeNull();
  });
});
