import {
  backfillDates, cooldownAfterStopOuts, dateIn, DEFAULT_DAILY_RISK_SETTINGS, evaluatePortfolioDay, latchedState, RunDatesError, type PortfolioDayInput,
} from '../../../../src/domain/daily-risk';
import { DEFAULT_RISK_LIMITS } from '../../../../src/domain/risk/risk-limits';
import type { TradingState } from '../../../../src/domain/risk/trading-state';
import { d, dayInput, series, wave } from './portfolio-day.fixture';

describe('a portfolio\'s day', () => {
  it('when it is marked to the day\'s closes, then equity, realised, unrealised and the day\'s P&L are exact decimals', () => {
    const r = evaluatePortfolioDay(dayInput());
    expect(r.equity.toFixed()).toBe('24500'); // 10000 + 100 × 95 + 50 × 100
    expect(r.realizedPnl.toFixed()).toBe('50');
    expect(r.unrealizedPnl.toFixed()).toBe('500'); // 100 × (95 − 90)
    expect(r.dailyPnl.toFixed()).toBe('-500'); // 100 × (95 − 100)
    expect(r.performance.dailyReturn).toBeCloseTo(-0.02, 10);
    expect(r.risk.observations).toBe(60);
    expect(r.risk.var?.historical['0.95']).toBeGreaterThan(0);
    expect(r.risk.var?.parametric['0.99']).toBeGreaterThan(r.risk.var!.parametric['0.95']!);
    expect(r.risk.sectorExposurePct.Technology).toBeCloseTo(9500 / 24500, 10);
    expect(r.risk.concentration.largestSymbol).toBe('AAPL');
    expect(r.breaches).toEqual([]);
    expect(r.state).toBe('ACTIVE');
  });

  it('when a held symbol has no close, then it is carried at cost, contributes no P&L and is named unpriced', () => {
    const r = evaluatePortfolioDay(dayInput({ marks: new Map([['AAPL', d(95)]]), previousCloses: new Map([['AAPL', d(100)]]), closes: new Map([['AAPL', series(wave(60, 0))]]) }));
    expect(r.equity.toFixed()).toBe('24500'); // XOM at its cost 100
    expect(r.dailyPnl.toFixed()).toBe('-500');
    expect(r.risk.unpriced).toEqual(['XOM']);
  });

  it('when the portfolio holds nothing, then the figures are cash only and no tail figures are claimed', () => {
    const r = evaluatePortfolioDay(dayInput({}, []));
    expect(r.equity.toFixed()).toBe('10000');
    expect(r.risk.var).toBeNull();
    expect(r.risk.observations).toBe(0);
  });

  const breachTable: Array<[string, Partial<PortfolioDayInput>, string[], TradingState]> = [
    ['the day\'s loss is beyond the max daily loss', { limits: { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d(1), maxDailyLoss: d(499) } }, ['DAILY_LOSS'], 'HALTED'],
    ['the day\'s loss equals the max daily loss', { limits: { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d(1), maxDailyLoss: d(500) } }, [], 'ACTIVE'],
    ['equity is more than the max drawdown below its peak', { peakEquity: d(30000), settings: { ...DEFAULT_DAILY_RISK_SETTINGS, maxDrawdownPct: d('0.1') } }, ['MAX_DRAWDOWN'], 'REDUCING'],
    ['equity is within the max drawdown of its peak', { peakEquity: d(26000), settings: { ...DEFAULT_DAILY_RISK_SETTINGS, maxDrawdownPct: d('0.1') } }, [], 'ACTIVE'],
    ['VaR 95 is over its budget', { settings: { ...DEFAULT_DAILY_RISK_SETTINGS, maxVar95Pct: d('0.0001') } }, ['VAR_BUDGET'], 'REDUCING'],
    ['a position is above its share of equity (alert only by default)', { limits: { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d('0.25') } }, ['CONCENTRATION'], 'ACTIVE'],
    ['a sector is above its cap', { limits: { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d(1), maxSectorExposurePct: d('0.3') } }, ['SECTOR_CAP'], 'ACTIVE'],
    ['two longs correlate above the cap', { closes: new Map([['AAPL', series(wave(60, 0))], ['XOM', series(wave(60, 0.05))]]) }, ['CORRELATION_CAP'], 'ACTIVE'],
    ['the concentration action is set to HALTED', {
      limits: { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d('0.25') }, settings: { ...DEFAULT_DAILY_RISK_SETTINGS, actions: { CONCENTRATION: 'HALTED' } },
    }, ['CONCENTRATION'], 'HALTED'],
    ['the portfolio is already HALTED and only a REDUCING breach comes (latched)', { currentState: 'HALTED', settings: { ...DEFAULT_DAILY_RISK_SETTINGS, maxVar95Pct: d('0.0001') } }, ['VAR_BUDGET'], 'HALTED'],
  ];
  it.each(breachTable)('when %s, then the breaches and the state are as expected', (_name, over, kinds, state) => {
    const r = evaluatePortfolioDay(dayInput(over));
    expect(r.breaches.map((b) => b.kind)).toEqual(kinds);
    expect(r.state).toBe(state);
  });

  it('when a daily loss breaches, then the breach names observed and limit as decimal strings and says why', () => {
    const [b] = evaluatePortfolioDay(dayInput({ limits: { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d(1), maxDailyLoss: d(100) } })).breaches;
    expect(b).toMatchObject({ kind: 'DAILY_LOSS', observed: '500', limit: '100', action: 'HALTED' });
    expect(b?.message).toContain('beyond the limit 100');
  });

  it('when a close is zero (broken data), then the analytics refuse it with a typed error', () => {
    const broken = series(wave(60, 0)).map((c, i) => (i === 30 ? { ...c, close: 0 } : c));
    expect(() => evaluatePortfolioDay(dayInput({ closes: new Map([['AAPL', broken], ['XOM', series(wave(60, 2))]]) }))).toThrow(expect.objectContaining({ name: 'AnalyticsInputError' }));
  });
});

describe('latched trading states', () => {
  const table: Array<[TradingState, Array<'ALERT' | 'REDUCING' | 'HALTED'>, TradingState]> = [
    ['ACTIVE', [], 'ACTIVE'],
    ['ACTIVE', ['ALERT'], 'ACTIVE'],
    ['ACTIVE', ['REDUCING'], 'REDUCING'],
    ['ACTIVE', ['REDUCING', 'HALTED'], 'HALTED'],
    ['REDUCING', ['ALERT'], 'REDUCING'],
    ['HALTED', ['REDUCING'], 'HALTED'],
  ];
  it.each(table)('when the state is %s and the breaches act %j, then it becomes %s (never less strict)', (current, actions, expected) => {
    expect(latchedState(current, actions.map((action) => ({ action })))).toBe(expected);
  });
});

describe('run dates', () => {
  it('when an instant is given, then its date is the one in the time zone', () => {
    expect(dateIn(new Date('2026-03-03T02:00:00Z'), 'UTC')).toBe('2026-03-03');
    expect(dateIn(new Date('2026-03-03T02:00:00Z'), 'America/New_York')).toBe('2026-03-02');
  });
  it('when a range spans a weekend, then the backfill holds its weekdays only', () => {
    expect(backfillDates('2026-02-27', '2026-03-03')).toEqual(['2026-02-27', '2026-03-02', '2026-03-03']);
  });
  const bad: Array<[string, string, string]> = [['2026-02-30', '2026-03-01', 'from'], ['2026-03-02', '2026-03-01', 'to'], ['2020-01-01', '2026-01-01', 'to']];
  it.each(bad)('when from %s and to %s, then the range is refused naming %s', (from, to, field) => {
    expect(() => backfillDates(from, to)).toThrow(RunDatesError);
    try {
      backfillDates(from, to);
    } catch (err) {
      expect((err as RunDatesError).field).toBe(field);
    }
  });
});

describe('stop-out cooldown (protection)', () => {
  const now = new Date('2026-03-02T15:00:00Z');
  const at = (minutesAgo: number) => new Date(now.getTime() - minutesAgo * 60_000);
  const settings = { stopOutLimit: 3, stopOutLookbackMinutes: 60, cooldownMinutes: 30 };
  it('when fewer stop-outs than the limit fall in the lookback, then no cooldown starts', () => {
    expect(cooldownAfterStopOuts([at(10), at(20), at(90)], settings, now)).toEqual({ cooldown: false });
  });
  it('when the limit is reached within the lookback, then entries are blocked until the cooldown after the last one', () => {
    const decision = cooldownAfterStopOuts([at(50), at(20), at(5)], settings, now);
    expect(decision).toMatchObject({ cooldown: true, until: new Date(at(5).getTime() + 30 * 60_000) });
  });
  it('when the protection is off, then no number of stop-outs starts one', () => {
    expect(cooldownAfterStopOuts([at(1), at(2), at(3), at(4)], { ...settings, stopOutLimit: null }, now)).toEqual({ cooldown: false });
  });
});
