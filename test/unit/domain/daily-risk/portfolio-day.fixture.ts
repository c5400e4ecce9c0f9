import { DEFAULT_DAILY_RISK_SETTINGS, type DayHolding, type PortfolioDayInput } from '../../../../src/domain/daily-risk';
import { DEFAULT_RISK_LIMITS } from '../../../../src/domain/risk/risk-limits';
import { Decimal } from '../../../../src/domain/values/decimal';

/** A portfolio's day for the daily-risk tests: 100 AAPL (Technology) and 50 XOM (Energy), 60 daily returns each. */
export const d = (v: number | string) => new Decimal(v);

/** Closes following daily returns from `start`, on consecutive dates ending the day before 2026-03-02, then the day's close. */
export function series(returns: readonly number[], start = 100): Array<{ date: string; close: number }> {
  let level = start;
  const out = [{ date: '2025-01-01', close: level }];
  returns.forEach((r, i) => {
    level *= 1 + r;
    out.push({ date: new Date(Date.UTC(2025, 0, 2 + i)).toISOString().slice(0, 10), close: Math.round(level * 100) / 100 });
  });
  return out;
}
export const wave = (n: number, phase: number, amp = 0.01) => Array.from({ length: n }, (_, i) => amp * Math.sin(i * 1.7 + phase));

export function dayInput(over: Partial<PortfolioDayInput> = {}, holdings: readonly DayHolding[] = [
  { symbol: 'AAPL', quantity: d(100), averageCost: d(90), realizedPnl: d(50), sector: 'Technology', strategy: null },
  { symbol: 'XOM', quantity: d(50), averageCost: d(100), realizedPnl: d(0), sector: 'Energy', strategy: null },
]): PortfolioDayInput {
  const closes = new Map([['AAPL', series(wave(60, 0))], ['XOM', series(wave(60, 2))]]);
  return {
    date: '2026-03-02', currency: 'USD', cash: d(10000), holdings,
    marks: new Map([['AAPL', d(95)], ['XOM', d(100)]]),
    previousCloses: new Map([['AAPL', d(100)], ['XOM', d(100)]]),
    closes, closedRealizedPnl: d(0), lookbackDays: 252, benchmark: null, riskBudgets: [], peakEquity: null, previousEquity: d(25000),
    limits: { ...DEFAULT_RISK_LIMITS, maxPositionPctOfEquity: d(1) },
    settings: DEFAULT_DAILY_RISK_SETTINGS,
    currentState: 'ACTIVE',
    ...over,
  };
}
