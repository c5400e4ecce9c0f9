import { parsePriceCsv, preparePriceHistory, PriceImportError } from '../../../../src/domain/market/price-history-import';

const at = (i: number) => `prices.${i}`;

describe('price history import', () => {
  it('when a wide CSV has empty cells before a listing, then they are skipped and counted', () => {
    const { closes, emptyCells } = parsePriceCsv('date,AAA,BBB\n2026-01-05,10,\n2026-01-06,11,20\n');
    expect(closes).toEqual([
      { symbol: 'AAA', date: '2026-01-05', close: '10' }, { symbol: 'AAA', date: '2026-01-06', close: '11' }, { symbol: 'BBB', date: '2026-01-06', close: '20' },
    ]);
    expect(emptyCells.get('BBB')).toBe(1);
  });

  it('when a long CSV is unsorted with a gap and a repeated date, then it is sorted, the last close kept, and all three reported', () => {
    const { closes } = parsePriceCsv('symbol,date,close\nAAA,2026-01-09,12\nAAA,2026-01-05,10\nAAA,2026-01-05,10.5\n');
    const { histories, report } = preparePriceHistory(closes, at);
    expect(histories[0]!.closes.map((c) => [c.date, c.close.toFixed()])).toEqual([['2026-01-05', '10.5'], ['2026-01-09', '12']]);
    expect(report[0]).toMatchObject({ symbol: 'AAA', rows: 2, unsorted: true, duplicateDates: ['2026-01-05'], gapCount: 1, missingBusinessDays: 3, gaps: [{ from: '2026-01-06', to: '2026-01-08', businessDays: 3 }] });
  });

  it('when closes skip only a weekend, then there is no gap', () => {
    const { report } = preparePriceHistory([{ symbol: 'AAA', date: '2026-01-09', close: '1' }, { symbol: 'AAA', date: '2026-01-12', close: '1' }], at);
    expect(report[0]!.gapCount).toBe(0);
  });

  it.each([
    [{ symbol: 'aaa', date: '2026-01-05', close: '1' }, 'prices.0.symbol'],
    [{ symbol: 'AAA', date: '2026-02-30', close: '1' }, 'prices.0.date'],
    [{ symbol: 'AAA', date: '2026-01-05', close: '-1' }, 'prices.0.close'],
    [{ symbol: 'AAA', date: '2026-01-05', close: '0' }, 'prices.0.close'],
    [{ symbol: 'AAA', date: '2026-01-05', close: '1e3' }, 'prices.0.close'],
  ])('when a close is malformed (%j), then the error names %s', (close, where) => {
    expect(() => preparePriceHistory([close], at)).toThrow(PriceImportError);
    try {
      preparePriceHistory([close], at);
    } catch (err) {
      expect((err as PriceImportError).problems[0]!.at).toBe(where);
    }
  });

  it('when the CSV header is neither shape, then the error says which shapes are read', () => {
    expect(() => parsePriceCsv('foo,bar\n1,2')).toThrow(/symbol,date,close/);
  });
});
