import { alignReturns } from '../../../../src/domain/market/aligned-returns';

describe('aligned returns', () => {
  it('when symbols miss different dates, then only the common dates are used and the dropped ones counted', () => {
    const aligned = alignReturns(new Map([
      ['A', [{ date: '2026-01-05', close: 100 }, { date: '2026-01-06', close: 110 }, { date: '2026-01-07', close: 121 }]],
      ['B', [{ date: '2026-01-05', close: 50 }, { date: '2026-01-07', close: 55 }]],
    ]), 10);
    expect(aligned.dates).toEqual(['2026-01-07']);
    expect(aligned.returns[0]![0]).toBeCloseTo(0.21, 12);
    expect(aligned.returns[1]![0]).toBeCloseTo(0.1, 12);
    expect(aligned.droppedDates).toBe(1);
  });

  it('when the history is longer than the lookback, then only the last returns are taken', () => {
    const closes = Array.from({ length: 30 }, (_, i) => ({ date: `2026-01-${String(i + 1).padStart(2, '0')}`, close: 100 + i }));
    expect(alignReturns(new Map([['A', closes]]), 5).returns[0]).toHaveLength(5);
  });
});
