import { entitiesFromPositions, evaluateRiskBudget } from '../../../../src/domain/analytics/risk-budget/risk-budget';
import { DEFAULT_DAILY_RISK_SETTINGS, evaluatePortfolioDay, type DayRiskBudget } from '../../../../src/domain/daily-risk';
import { alignReturns } from '../../../../src/domain/market/aligned-returns';
import { DEFAULT_RISK_LIMITS } from '../../../../src/domain/risk/risk-limits';
import { d, dayInput, series, wave } from './portfolio-day.fixture';

/** Unrounded closes following `returns` exactly, on the fixture's dates (so betas are exact up to float error). */
function exactSeries(returns: readonly number[], start = 100): Array<{ date: string; close: number }> {
  let level = start;
  return series(returns).map((c, i) => {
    if (i > 0) level *= 1 + returns[i - 1]!;
    return { date: c.date, close: level };
  });
}
const market = wave(60, 0.7, 0.012);
const twice = market.map((r) => 2 * r);
const benchmark = { symbol: 'SPY', closes: exactSeries(market) };
// AAPL moves with the market, XOM twice as much; 100 × 95 and 50 × 100 of 24,500 equity.
const betaDay = (over: Parameters<typeof dayInput>[0] = {}, holdings?: Parameters<typeof dayInput>[1]) => dayInput({
  closes: new Map([['AAPL', exactSeries(market)], ['XOM', exactSeries(twice)]]), benchmark, ...over,
}, holdings);
const wAapl = 9500 / 24500;
const wXom = 5000 / 24500;

describe('beta-adjusted exposure in the day\'s snapshot', () => {
  it('when a benchmark is set, then each holding\'s beta is its covariance with it over its variance, and the exposure is Σ weight × beta', () => {
    const r = evaluatePortfolioDay(betaDay());
    const e = r.risk.betaAdjustedExposure!;
    expect(e.benchmark).toBe('SPY');
    expect(e.observations).toBe(60);
    expect(e.betas.AAPL).toBeCloseTo(1, 9);
    expect(e.betas.XOM).toBeCloseTo(2, 9);
    expect(e.net).toBeCloseTo(wAapl + 2 * wXom, 9);
    expect(e.gross).toBeCloseTo(wAapl + 2 * wXom, 9);
    expect(e.short).toBe(0);
    expect(r.risk.notes).toEqual([]);
  });

  it('when a position is short, then its beta-weighted value counts on the short side and nets against the longs', () => {
    const r = evaluatePortfolioDay(betaDay({}, [
      { symbol: 'AAPL', quantity: d(100), averageCost: d(90), realizedPnl: d(0), sector: 'Technology', strategy: null },
      { symbol: 'XOM', quantity: d(-50), averageCost: d(100), realizedPnl: d(0), sector: 'Energy', strategy: null },
    ]));
    const equity = 10000 + 9500 - 5000;
    const e = r.risk.betaAdjustedExposure!;
    expect(e.long).toBeCloseTo(9500 / equity, 9);
    expect(e.short).toBeCloseTo((-5000 / equity) * 2, 9);
    expect(e.net).toBeCloseTo(9500 / equity - 10000 / equity, 9);
    expect(e.gross).toBeCloseTo(9500 / equity + 10000 / equity, 9);
  });

  const absent: Array<[string, Parameters<typeof dayInput>[0], string]> = [
    ['no benchmark is set', { benchmark: null }, 'no benchmark is set'],
    ['the benchmark has fewer common returns than minObservations', { benchmark: { symbol: 'SPY', closes: exactSeries(market).slice(-11) } }, '10 common daily returns with SPY, fewer than 20'],
    ['a benchmark close is zero', { benchmark: { symbol: 'SPY', closes: exactSeries(market).map((c, i) => (i === 30 ? { ...c, close: 0 } : c)) } }, 'the closes of SPY give no finite returns'],
    ['the benchmark did not move', { benchmark: { symbol: 'SPY', closes: exactSeries(market.map(() => 0)) } }, 'SPY did not move'],
  ];
  it.each(absent)('when %s, then there is no figure and the notes say why', (_name, over, note) => {
    const r = evaluatePortfolioDay(betaDay(over));
    expect(r.risk.betaAdjustedExposure).toBeNull();
    expect(r.risk.notes.join(' | ')).toContain(note);
  });
});

describe('risk-budget utilisation in the day\'s snapshot', () => {
  const budget = (over: Partial<DayRiskBudget> = {}): DayRiskBudget => ({
    id: 'b1', name: 'desk VaR', entityType: 'asset', lookbackDays: null, definition: { metric: 'var_95', totalBudget: 0.02 }, ...over,
  });
  const closes = new Map([['AAPL', series(wave(60, 0))], ['XOM', series(wave(60, 2))]]);

  it('when a budget over assets is stored, then the snapshot holds the analytics engine\'s utilisation of it, per asset and for the portfolio', () => {
    const r = evaluatePortfolioDay(dayInput({ riskBudgets: [budget()] }));
    const [figure] = r.risk.riskBudgets;
    // The same budget evaluated by hand on the holdings' aligned returns.
    const aligned = alignReturns(closes, 252);
    const expected = evaluateRiskBudget(entitiesFromPositions({
      assets: ['AAPL', 'XOM'], weights: [wAapl, wXom], assetReturns: aligned.returns, entityOf: { AAPL: 'AAPL', XOM: 'XOM' },
    }), { metric: 'var_95', totalBudget: 0.02 });
    expect(figure).toMatchObject({ id: 'b1', name: 'desk VaR', metric: 'var_95', observations: 60, totalBudget: 0.02 });
    if (!figure || 'error' in figure) throw new Error('expected a figure');
    expect(figure.used).toBeCloseTo(expected.portfolio.used, 12);
    expect(figure.utilisation).toBeCloseTo(expected.portfolio.utilisation, 12);
    expect(figure.entities.map((e) => e.id)).toEqual(['AAPL', 'XOM']);
    expect(figure.entities[0]!.utilisation).toBeCloseTo(expected.entities[0]!.utilisation!, 12);
  });

  it('when a budget is over its violation threshold, then the day breaches RISK_BUDGET (an alert by default) naming the budget and the worst user', () => {
    const r = evaluatePortfolioDay(dayInput({ riskBudgets: [budget({ definition: { metric: 'var_95', totalBudget: 0.0001 } })] }));
    const breach = r.breaches.find((b) => b.kind === 'RISK_BUDGET');
    expect(breach).toMatchObject({ kind: 'RISK_BUDGET', action: 'ALERT', limit: '1.2' });
    expect(Number(breach!.observed)).toBeGreaterThan(1.2);
    expect(breach!.message).toContain('risk budget desk VaR (var_95)');
    expect(r.state).toBe('ACTIVE');
  });

  it('when the RISK_BUDGET action is REDUCING, then a violation latches REDUCING', () => {
    const r = evaluatePortfolioDay(dayInput({
      riskBudgets: [budget({ definition: { metric: 'var_95', totalBudget: 0.0001 } })], settings: { ...DEFAULT_DAILY_RISK_SETTINGS, actions: { RISK_BUDGET: 'REDUCING' } },
    }));
    expect(r.state).toBe('REDUCING');
  });

  it('when a budget groups by sector and by strategy, then its entities are the sectors, and the strategies with UNASSIGNED for positions without one', () => {
    const holdings = [
      { symbol: 'AAPL', quantity: d(100), averageCost: d(90), realizedPnl: d(0), sector: 'Technology', strategy: 'trend' },
      { symbol: 'XOM', quantity: d(50), averageCost: d(100), realizedPnl: d(0), sector: 'Energy', strategy: null },
    ];
    const r = evaluatePortfolioDay(dayInput({ riskBudgets: [budget({ id: 's', entityType: 'sector' }), budget({ id: 't', entityType: 'strategy' })] }, holdings));
    const ids = r.risk.riskBudgets.map((f) => ('entities' in f ? f.entities.map((e) => e.id) : f.error));
    expect(ids).toEqual([['Technology', 'Energy'], ['trend', 'UNASSIGNED']]);
  });

  const unmeasured: Array<[string, Parameters<typeof dayInput>[0], string]> = [
    ['its lookback holds fewer returns than minObservations', { riskBudgets: [budget({ lookbackDays: 10 })] }, '10 common daily returns, fewer than 20'],
    ['it budgets beta-adjusted exposure without a benchmark', { riskBudgets: [budget({ definition: { metric: 'beta_adjusted_exposure' } })] }, 'benchmarkReturns'],
  ];
  it.each(unmeasured)('when %s, then the budget says why it was not measured and the day is still judged', (_name, over, why) => {
    const r = evaluatePortfolioDay(dayInput(over));
    const [figure] = r.risk.riskBudgets;
    expect(figure && 'error' in figure ? figure.error : '').toContain(why);
    expect(r.risk.notes.join(' | ')).toContain('risk budget desk VaR not measured');
    expect(r.breaches).toEqual([]);
  });

  it('when a beta budget has a benchmark, then it is measured against it', () => {
    const r = evaluatePortfolioDay(betaDay({ riskBudgets: [budget({ definition: { metric: 'beta_adjusted_exposure', totalBudget: 1 } })] }));
    const [figure] = r.risk.riskBudgets;
    if (!figure || 'error' in figure) throw new Error(`expected a figure, got ${JSON.stringify(figure)}`);
    expect(figure.used).toBeCloseTo(wAapl + 2 * wXom, 6);
  });
});

describe('statistical limits need enough history', () => {
  const short = new Map([['AAPL', series(wave(5, 0))], ['XOM', series(wave(5, 0.05))]]);
  it('when VaR rests on fewer returns than minObservations, then the VaR budget is not judged and the notes say so', () => {
    const r = evaluatePortfolioDay(dayInput({ closes: short, settings: { ...DEFAULT_DAILY_RISK_SETTINGS, maxVar95Pct: d('0.0001') } }));
    expect(r.risk.var).not.toBeNull();
    expect(r.breaches.map((b) => b.kind)).toEqual([]);
    expect(r.risk.notes).toContain('VaR budget not judged: 5 daily returns, fewer than 20');
  });
  it('when the most correlated pair rests on fewer returns than correlationMinObservations, then the correlation cap is not judged', () => {
    const r = evaluatePortfolioDay(dayInput({ closes: short }));
    expect(r.risk.maxCorrelation?.value).toBeGreaterThan(DEFAULT_RISK_LIMITS.maxCorrelation!.toNumber());
    expect(r.risk.maxCorrelation?.observations).toBe(5);
    expect(r.breaches).toEqual([]);
    expect(r.risk.notes.join(' | ')).toContain('correlation cap not judged: 5 common daily returns, fewer than 20');
  });
  it('when minObservations is lowered, then the same short history is judged', () => {
    const r = evaluatePortfolioDay(dayInput({ closes: short, settings: { ...DEFAULT_DAILY_RISK_SETTINGS, maxVar95Pct: d('0.0001'), minObservations: 5 } }));
    expect(r.breaches.map((b) => b.kind)).toEqual(['VAR_BUDGET']);
  });
});
