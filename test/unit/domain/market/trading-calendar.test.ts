import fc from 'fast-check';
import { easterSunday, isNyseEarlyClose, isOpen, nextClose, nextOpen, nyseHolidays } from '../../../../src/domain/market/trading-calendar';

const at = (iso: string) => new Date(iso);

describe('NYSE holidays by rule', () => {
  it('when the year is 2026, then the holidays are the published NYSE ones (July 4 on a Saturday observed Friday July 3)', () => {
    expect(nyseHolidays(2026).map((h) => h.date)).toEqual([
      '2026-01-01', '2026-01-19', '2026-02-16', '2026-04-03', '2026-05-25', '2026-06-19', '2026-07-03', '2026-09-07', '2026-11-26', '2026-12-25',
    ]);
  });

  it('when the year is 2022, then New Year on a Saturday is not observed, Juneteenth on a Sunday moves to Monday and Christmas on a Sunday moves to Monday', () => {
    expect(nyseHolidays(2022).map((h) => h.date)).toEqual([
      '2022-01-17', '2022-02-21', '2022-04-15', '2022-05-30', '2022-06-20', '2022-07-04', '2022-09-05', '2022-11-24', '2022-12-26',
    ]);
  });

  it('when the year is before 2022, then there is no Juneteenth', () => {
    expect(nyseHolidays(2021).some((h) => h.name === 'Juneteenth')).toBe(false);
    expect(nyseHolidays(2021).map((h) => h.date)).toContain('2021-12-24'); // Christmas on a Saturday → Friday
  });

  const easter: Array<[number, string]> = [[2024, '3-31'], [2025, '4-20'], [2026, '4-5'], [2027, '3-28'], [2038, '4-25'], [2285, '3-22']];
  it.each(easter)('when computing Easter %i, then it is %s', (year, md) => {
    const e = easterSunday(year);
    expect(`${e.month}-${e.day}`).toBe(md);
  });

  const early: Array<[string, boolean]> = [['2026-11-27', true], ['2026-12-24', true], ['2026-07-02', false], ['2025-07-03', true], ['2026-11-26', false]];
  it.each(early)('when the day is %s, then early close is %s', (date, expected) => {
    const [y, m, d] = date.split('-').map(Number) as [number, number, number];
    expect(isNyseEarlyClose({ year: y, month: m, day: d })).toBe(expected);
  });
});

describe('isOpen', () => {
  const cases: Array<[string, Parameters<typeof isOpen>[0], string, boolean]> = [
    ['crypto on a Sunday night', 'CRYPTO', '2026-11-29T03:00:00Z', true],
    ['equity at 09:30 EST (14:30Z)', 'EQUITY', '2026-11-24T14:30:00Z', true],
    ['equity a minute before the open', 'EQUITY', '2026-11-24T14:29:00Z', false],
    ['equity at 16:00 EST (close is exclusive)', 'EQUITY', '2026-11-24T21:00:00Z', false],
    ['equity on Thanksgiving 2026-11-26 midday', 'EQUITY', '2026-11-26T17:00:00Z', false],
    ['equity on 2026-11-27 at 12:59 EST', 'EQUITY', '2026-11-27T17:59:00Z', true],
    ['equity on 2026-11-27 at 13:00 EST (early close)', 'EQUITY', '2026-11-27T18:00:00Z', false],
    ['ETF on Good Friday 2026-04-03', 'ETF', '2026-04-03T15:00:00Z', false],
    ['equity on a Saturday', 'EQUITY', '2026-11-28T16:00:00Z', false],
    ['equity on Monday after spring DST (09:30 EDT = 13:30Z)', 'EQUITY', '2026-03-09T13:30:00Z', true],
    ['equity on Monday after spring DST at 14:29Z (10:29 EDT)', 'EQUITY', '2026-03-09T13:29:00Z', false],
    ['equity on Friday before spring DST at 14:29Z (09:29 EST)', 'EQUITY', '2026-03-06T14:29:00Z', false],
    ['equity on Monday after autumn DST at 14:29Z (09:29 EST)', 'EQUITY', '2026-11-02T14:29:00Z', false],
    ['equity on Friday before autumn DST at 13:30Z (09:30 EDT)', 'EQUITY', '2026-10-30T13:30:00Z', true],
    ['future is treated like equity', 'FUTURE', '2026-04-03T15:00:00Z', false],
    ['FX on Sunday 16:59 New York', 'FX', '2026-11-29T21:59:00Z', false],
    ['FX on Sunday 17:00 New York', 'FX', '2026-11-29T22:00:00Z', true],
    ['FX on Friday 16:59 New York', 'FX', '2026-11-27T21:59:00Z', true],
    ['FX on Friday 17:00 New York', 'FX', '2026-11-27T22:00:00Z', false],
    ['FX on Saturday', 'FX', '2026-11-28T12:00:00Z', false],
    ['FX on a Wednesday night', 'FX', '2026-11-25T05:00:00Z', true],
  ];
  it.each(cases)('when asking about %s, then it answers accordingly', (_name, assetClass, iso, expected) => {
    expect(isOpen(assetClass, at(iso))).toBe(expected);
  });
});

describe('nextOpen and nextClose', () => {
  const cases: Array<[string, Parameters<typeof isOpen>[0], string, string, string | null]> = [
    ['equity on Thanksgiving → Friday 09:30, closing 13:00', 'EQUITY', '2026-11-26T15:00:00Z', '2026-11-27T14:30:00.000Z', '2026-11-27T18:00:00.000Z'],
    ['equity after the early close → Monday 09:30', 'EQUITY', '2026-11-27T19:00:00Z', '2026-11-30T14:30:00.000Z', '2026-11-30T21:00:00.000Z'],
    ['equity during the session → now, closing at 16:00', 'EQUITY', '2026-11-24T16:00:00Z', '2026-11-24T16:00:00.000Z', '2026-11-24T21:00:00.000Z'],
    ['equity on Thursday before Good Friday after close → Monday', 'EQUITY', '2026-04-02T21:00:00Z', '2026-04-06T13:30:00.000Z', '2026-04-06T20:00:00.000Z'],
    ['equity on the weekend of spring DST → Monday 09:30 EDT', 'EQUITY', '2026-03-07T12:00:00Z', '2026-03-09T13:30:00.000Z', '2026-03-09T20:00:00.000Z'],
    ['equity on the weekend of autumn DST → Monday 09:30 EST', 'EQUITY', '2026-10-31T12:00:00Z', '2026-11-02T14:30:00.000Z', '2026-11-02T21:00:00.000Z'],
    ['FX on Saturday → Sunday 17:00 New York', 'FX', '2026-11-28T12:00:00Z', '2026-11-29T22:00:00.000Z', '2026-12-04T22:00:00.000Z'],
    ['FX on Tuesday → now, closing Friday 17:00', 'FX', '2026-11-24T12:00:00Z', '2026-11-24T12:00:00.000Z', '2026-11-27T22:00:00.000Z'],
    ['crypto → now, never closes', 'CRYPTO', '2026-11-26T15:00:00Z', '2026-11-26T15:00:00.000Z', null],
  ];
  it.each(cases)('when asking after %s, then the times are the hand-computed ones', (_name, assetClass, iso, open, close) => {
    expect(nextOpen(assetClass, at(iso)).toISOString()).toBe(open);
    expect(nextClose(assetClass, at(iso))?.toISOString() ?? null).toBe(close);
  });

  it('when any instant is asked, then the market is open at nextOpen and closed at nextClose, and nextOpen < nextClose', () => {
    fc.assert(fc.property(
      fc.constantFrom('EQUITY' as const, 'ETF' as const, 'FX' as const),
      fc.integer({ min: Date.UTC(2020, 0, 1), max: Date.UTC(2035, 0, 1) }),
      (assetClass, ms) => {
        const t = new Date(ms);
        const open = nextOpen(assetClass, t);
        const close = nextClose(assetClass, t) as Date;
        expect(open.getTime()).toBeGreaterThanOrEqual(ms);
        expect(isOpen(assetClass, open)).toBe(true);
        expect(isOpen(assetClass, close)).toBe(false);
        expect(close.getTime()).toBeGreaterThan(open.getTime());
        expect(isOpen(assetClass, new Date(close.getTime() - 1000))).toBe(true);
      },
    ), { numRuns: 300 });
  });
});
