import { concentration } from '../analytics/risk/exposure';
import { riskReport, type RiskReport } from '../analytics/risk/risk-report';
import { alignReturns } from '../market/aligned-returns';
import type { RiskLimits } from '../risk/risk-limits';
import type { TradingState } from '../risk/trading-state';
import { Decimal, ZERO, toWire, type DecimalString } from '../values/decimal';
import { dayBetaExposure, type BenchmarkCloses, type DayBetaExposure } from './day-beta-exposure';
import { deRiskingProposal, type DeRiskingProposal } from './de-risking-proposal';
import { evaluateDayRiskBudget, worstBudgetViolation, type DayRiskBudget, type DayRiskBudgetFigure } from './day-risk-budgets';
import { DEFAULT_BREACH_ACTIONS, latchedState, type BreachAction, type DailyLimitKind, type LimitBreach } from './limit-breaches';

/** A portfolio's own daily-risk settings; null switches a check off. */
export interface DailyRiskSettings {
  /** Largest fall of equity from its highest snapshot, as a fraction (0.1 = 10 %). */
  readonly maxDrawdownPct: Decimal | null;
  /** Largest one-day historical VaR 95 as a fraction of equity. */
  readonly maxVar95Pct: Decimal | null;
  /** The action per limit; absent kinds take DEFAULT_BREACH_ACTIONS. */
  readonly actions: Readonly<Partial<Record<DailyLimitKind, BreachAction>>>;
  /** Protections: this many stop-outs within the lookback start a cooldown (null: off). */
  readonly stopOutLimit: number | null;
  readonly stopOutLookbackMinutes: number;
  readonly cooldownMinutes: number;
  /** The symbol whose daily closes are the market for betas (the beta-adjusted exposure); null: none. */
  readonly benchmarkSymbol: string | null;
  /** Daily returns a statistical limit (VaR budget, risk budgets) needs before it is judged. */
  readonly minObservations: number;
  /** After a breach that acts, propose a plan keeping this share of each long position (null: no proposals). */
  readonly deRiskingScale: Decimal | null;
}

export const DEFAULT_DAILY_RISK_SETTINGS: DailyRiskSettings = Object.freeze({
  maxDrawdownPct: null, maxVar95Pct: null, actions: {}, stopOutLimit: null, stopOutLookbackMinutes: 24 * 60, cooldownMinutes: 60,
  benchmarkSymbol: null, minObservations: 20, deRiskingScale: null,
});

export interface DayHolding {
  readonly symbol: string;
  /** Signed: short < 0. */
  readonly quantity: Decimal;
  readonly averageCost: Decimal;
  readonly realizedPnl: Decimal;
  readonly sector: string;
  /** The strategy the position belongs to (null: none), for risk budgets over strategies. */
  readonly strategy: string | null;
}

/** Everything one portfolio's day is judged on; the run reads it, this decides. */
export interface PortfolioDayInput {
  readonly date: string;
  readonly currency: string;
  readonly cash: Decimal;
  readonly holdings: readonly DayHolding[];
  /** The realised P&L of the positions the portfolio no longer holds (closed to zero). */
  readonly closedRealizedPnl: Decimal;
  /** Per held symbol: its last close on or before the date (exact), and on or before the day before. */
  readonly marks: ReadonlyMap<string, Decimal>;
  readonly previousCloses: ReadonlyMap<string, Decimal>;
  /** Daily closes per held symbol up to the date, oldest first (floats: returns analytics). */
  readonly closes: ReadonlyMap<string, ReadonlyArray<{ readonly date: string; readonly close: number }>>;
  readonly lookbackDays: number;
  /** The benchmark's daily closes up to the date (settings.benchmarkSymbol), null when none is set. */
  readonly benchmark: BenchmarkCloses | null;
  /** The risk budgets stored for the portfolio. */
  readonly riskBudgets: readonly DayRiskBudget[];
  /** The highest equity of the portfolio's earlier snapshots (null: none yet). */
  readonly peakEquity: Decimal | null;
  /** The previous snapshot's equity, for the day's return (null: none yet). */
  readonly previousEquity: Decimal | null;
  readonly limits: Pick<RiskLimits, 'maxDailyLoss' | 'maxPositionPctOfEquity' | 'maxSectorExposurePct' | 'maxCorrelation' | 'correlationMinObservations'>;
  readonly settings: DailyRiskSettings;
  readonly currentState: TradingState;
}

/** The risk figures of a snapshot (floats: fractions of equity, annualised volatility). */
export interface DayRiskFigures {
  /** Daily returns the tail figures rest on (0: too little history, figures null). */
  readonly observations: number;
  readonly volatility: number | null;
  readonly var: { readonly historical: Record<string, number>; readonly parametric: Record<string, number> } | null;
  readonly expectedShortfall: { readonly historical: Record<string, number>; readonly parametric: Record<string, number> } | null;
  /** Of the current holdings' return series over the lookback. */
  readonly maxDrawdown: number | null;
  /** Equity's fall from its highest snapshot (0 at a new high). */
  readonly currentDrawdown: number;
  readonly grossExposurePct: number;
  readonly netExposurePct: number;
  readonly concentration: { readonly hhi: number; readonly effectiveN: number; readonly largestSymbol: string | null; readonly largestPositionPct: number };
  /** Gross value per sector as a fraction of equity. */
  readonly sectorExposurePct: Record<string, number>;
  /** The most correlated pair held the same direction, over `observations` common daily returns. */
  readonly maxCorrelation: { readonly symbols: readonly [string, string]; readonly value: number; readonly observations: number } | null;
  /** Against the benchmark (settings.benchmarkSymbol); null when there is none or too little history (see notes). */
  readonly betaAdjustedExposure: DayBetaExposure | null;
  /** Utilisation of each risk budget stored for the portfolio. */
  readonly riskBudgets: readonly DayRiskBudgetFigure[];
  /** Held symbols without a close on or before the date: carried at cost. */
  readonly unpriced: readonly string[];
  /** What was not measured or not judged, and why. */
  readonly notes: readonly string[];
}

export interface DayPerformance {
  /** The day's P&L over the previous snapshot's equity (null without one). */
  readonly dailyReturn: number | null;
  readonly peakEquity: DecimalString;
  readonly grossExposure: DecimalString;
  readonly netExposure: DecimalString;
  readonly positions: number;
}

export interface PortfolioDayResult {
  readonly equity: Decimal;
  readonly cash: Decimal;
  readonly dailyPnl: Decimal;
  readonly realizedPnl: Decimal;
  readonly unrealizedPnl: Decimal;
  readonly risk: DayRiskFigures;
  readonly performance: DayPerformance;
  readonly breaches: readonly LimitBreach[];
  /** The state after the breaches: the current one, or stricter (latched). */
  readonly state: TradingState;
  /** The de-risking plan the breaches call for (settings.deRiskingScale), proposed when they latch a state. */
  readonly deRisking: DeRiskingProposal | null;
}

const pct = (x: number) => `${(x * 100).toFixed(2)} %`;
const fraction = (x: number) => String(Math.round(x * 1e8) / 1e8);

function tailFigures(input: PortfolioDayInput, symbols: readonly string[], weights: readonly number[]): { report: RiskReport | null; assets: readonly string[] } {
  const priced = symbols.filter((s) => (input.closes.get(s)?.length ?? 0) >= 3);
  if (priced.length === 0) return { report: null, assets: [] };
  const aligned = alignReturns(new Map(priced.map((s) => [s, input.closes.get(s)!])), input.lookbackDays);
  if (aligned.dates.length < 2) return { report: null, assets: [] };
  const w = priced.map((s) => weights[symbols.indexOf(s)]!);
  const report = riskReport({ assets: aligned.assets, weights: w, assetReturns: aligned.returns, dates: aligned.dates, includeCorrelation: true });
  return { report, assets: aligned.assets };
}

/** The most correlated pair of holdings on the same side (long with long, short with short). */
function maxSameSideCorrelation(report: RiskReport | null, assets: readonly string[], sideOf: ReadonlyMap<string, number>): DayRiskFigures['maxCorrelation'] {
  const matrix = report?.correlation?.matrix;
  if (!matrix) return null;
  let best: DayRiskFigures['maxCorrelation'] = null;
  for (let i = 0; i < assets.length; i++) {
    for (let j = i + 1; j < assets.length; j++) {
      const v = matrix[i]![j];
      if (v === null || v === undefined || sideOf.get(assets[i]!) !== sideOf.get(assets[j]!)) continue;
      if (best === null || v > best.value) best = { symbols: [assets[i]!, assets[j]!], value: v, observations: report!.observations };
    }
  }
  return best;
}

/**
 * One portfolio's day: marked to the day's closes, its P&L (realised, unrealised, the day's), its
 * risk (VaR/ES 95/99 historical and parametric, volatility, drawdowns, exposure, concentration,
 * sectors, correlation), the limits it breached and the trading state they latch it into.
 */
export function evaluatePortfolioDay(input: PortfolioDayInput): PortfolioDayResult {
  const { holdings, cash, limits, settings } = input;
  const unpriced: string[] = [];
  const values = holdings.map((h) => {
    const mark = input.marks.get(h.symbol);
    if (mark === undefined) unpriced.push(h.symbol);
    return h.quantity.times(mark ?? h.averageCost);
  });
  const positionsValue = values.reduce((a, v) => a.plus(v), ZERO);
  const equity = cash.plus(positionsValue);
  const realizedPnl = holdings.reduce((a, h) => a.plus(h.realizedPnl), input.closedRealizedPnl);
  const unrealizedPnl = holdings.reduce((a, h, i) => a.plus(values[i]!.minus(h.quantity.times(h.averageCost))), ZERO);
  // The day's move of what is held now, from the previous close (a symbol without one contributes nothing).
  const dailyPnl = holdings.reduce((a, h) => {
    const mark = input.marks.get(h.symbol);
    const previous = input.previousCloses.get(h.symbol);
    return mark === undefined || previous === undefined ? a : a.plus(h.quantity.times(mark.minus(previous)));
  }, ZERO);
  const gross = values.reduce((a, v) => a.plus(v.abs()), ZERO);

  const equityF = equity.toNumber();
  const symbols = holdings.map((h) => h.symbol);
  const weights = values.map((v) => (equityF > 0 ? v.toNumber() / equityF : 0));
  const { report, assets } = equityF > 0 ? tailFigures(input, symbols, weights) : { report: null, assets: [] };

  let largest = -1;
  weights.forEach((w, i) => {
    if (largest < 0 || Math.abs(w) > Math.abs(weights[largest]!)) largest = i;
  });
  const grossW = weights.reduce((a, w) => a + Math.abs(w), 0);
  const { hhi, effectiveN } = concentration(weights);
  const sectorExposurePct: Record<string, number> = {};
  holdings.forEach((h, i) => (sectorExposurePct[h.sector] = (sectorExposurePct[h.sector] ?? 0) + Math.abs(weights[i]!)));
  const peak = input.peakEquity === null || equity.gt(input.peakEquity) ? equity : input.peakEquity;
  const currentDrawdown = peak.gt(0) ? Math.max(0, peak.minus(equity).div(peak).toNumber()) : 0;
  const notes: string[] = [];
  const weightBySymbol = new Map(symbols.map((s, i) => [s, weights[i]!]));
  const beta = equityF > 0 ? dayBetaExposure(weightBySymbol, input.closes, input.benchmark, input.lookbackDays, settings.minObservations) : { figure: null, notes: [] };
  notes.push(...beta.notes);
  const budgetHoldings = holdings.map((h, i) => ({ symbol: h.symbol, weight: weights[i]!, sector: h.sector, strategy: h.strategy }));
  const riskBudgets = equityF > 0
    ? input.riskBudgets.map((b) => evaluateDayRiskBudget(b, budgetHoldings, input.closes, input.benchmark, input.lookbackDays, settings.minObservations))
    : [];

  const risk: DayRiskFigures = {
    observations: report?.observations ?? 0,
    volatility: report?.volatility ?? null,
    var: report ? report.var : null,
    expectedShortfall: report ? report.expectedShortfall : null,
    maxDrawdown: report?.maxDrawdown.value ?? null,
    currentDrawdown,
    grossExposurePct: grossW,
    netExposurePct: weights.reduce((a, w) => a + w, 0),
    concentration: {
      hhi, effectiveN,
      largestSymbol: largest >= 0 ? symbols[largest]! : null, largestPositionPct: largest >= 0 ? Math.abs(weights[largest]!) : 0,
    },
    sectorExposurePct,
    maxCorrelation: maxSameSideCorrelation(report, assets, new Map(holdings.map((h) => [h.symbol, Math.sign(h.quantity.toNumber())]))),
    betaAdjustedExposure: beta.figure,
    riskBudgets,
    unpriced,
    notes,
  };

  const breaches: LimitBreach[] = [];
  const breach = (kind: DailyLimitKind, observed: string, limit: string, message: string) =>
    breaches.push({ kind, observed, limit, action: settings.actions[kind] ?? DEFAULT_BREACH_ACTIONS[kind], message });
  if (limits.maxDailyLoss !== null && dailyPnl.negated().gt(limits.maxDailyLoss)) {
    breach('DAILY_LOSS', toWire(dailyPnl.negated()), toWire(limits.maxDailyLoss), `the day's loss ${toWire(dailyPnl.negated())} ${input.currency} is beyond the limit ${toWire(limits.maxDailyLoss)}`);
  }
  if (settings.maxDrawdownPct !== null && currentDrawdown > settings.maxDrawdownPct.toNumber()) {
    breach('MAX_DRAWDOWN', fraction(currentDrawdown), toWire(settings.maxDrawdownPct), `equity is ${pct(currentDrawdown)} below its peak, beyond ${pct(settings.maxDrawdownPct.toNumber())}`);
  }
  const var95 = risk.var?.historical['0.95'];
  const judgedVar = var95 !== undefined && risk.observations >= settings.minObservations;
  if (settings.maxVar95Pct !== null && var95 !== undefined && !judgedVar) notes.push(`VaR budget not judged: ${risk.observations} daily returns, fewer than ${settings.minObservations}`);
  if (settings.maxVar95Pct !== null && var95 !== undefined && judgedVar && var95 > settings.maxVar95Pct.toNumber()) {
    breach('VAR_BUDGET', fraction(var95), toWire(settings.maxVar95Pct), `one-day historical VaR 95 is ${pct(var95)} of equity, over the budget ${pct(settings.maxVar95Pct.toNumber())}`);
  }
  const largestPct = risk.concentration.largestPositionPct;
  if (largestPct > limits.maxPositionPctOfEquity.toNumber()) {
    breach('CONCENTRATION', fraction(largestPct), toWire(limits.maxPositionPctOfEquity), `${risk.concentration.largestSymbol} is ${pct(largestPct)} of equity, above ${pct(limits.maxPositionPctOfEquity.toNumber())}`);
  }
  if (limits.maxSectorExposurePct !== null) {
    const cap = limits.maxSectorExposurePct.toNumber();
    const over = Object.entries(sectorExposurePct).filter(([, v]) => v > cap).sort((a, b) => b[1] - a[1])[0];
    if (over) breach('SECTOR_CAP', fraction(over[1]), toWire(limits.maxSectorExposurePct), `sector ${over[0]} is ${pct(over[1])} of equity, above ${pct(cap)}`);
  }
  if (limits.maxCorrelation !== null && risk.maxCorrelation !== null && risk.maxCorrelation.value > limits.maxCorrelation.toNumber()) {
    const { symbols: [a, b], value, observations } = risk.maxCorrelation;
    // The pre-trade rule's own minimum: a correlation of a few returns says nothing.
    if (observations < limits.correlationMinObservations) notes.push(`correlation cap not judged: ${observations} common daily returns, fewer than ${limits.correlationMinObservations} (correlationMinObservations)`);
    else breach('CORRELATION_CAP', fraction(value), toWire(limits.maxCorrelation), `${a} and ${b} correlate at ${value.toFixed(3)}, above ${toWire(limits.maxCorrelation)}`);
  }
  const overBudget = worstBudgetViolation(riskBudgets);
  if (overBudget !== null) {
    const used = Number.isFinite(overBudget.utilisation) ? pct(overBudget.utilisation) : 'risk with nothing allocated';
    breach('RISK_BUDGET', Number.isFinite(overBudget.utilisation) ? fraction(overBudget.utilisation) : 'unbounded', String(overBudget.threshold),
      `risk budget ${overBudget.budget} (${overBudget.metric}): ${overBudget.entity} uses ${used} of its allocation, beyond ${pct(overBudget.threshold)}`);
  }
  for (const b of riskBudgets) if ('error' in b) notes.push(`risk budget ${b.name} not measured: ${b.error}`);

  return {
    equity, cash, dailyPnl, realizedPnl, unrealizedPnl, risk,
    performance: {
      dailyReturn: input.previousEquity !== null && input.previousEquity.gt(0) ? dailyPnl.div(input.previousEquity).toNumber() : null,
      peakEquity: toWire(peak), grossExposure: toWire(gross), netExposure: toWire(positionsValue), positions: holdings.length,
    },
    breaches,
    state: latchedState(input.currentState, breaches),
    deRisking: deRiskingProposal({
      weights: weightBySymbol, breaches, deRiskingScale: settings.deRiskingScale, maxVar95Pct: settings.maxVar95Pct,
      var95: judgedVar ? var95! : null, maxPositionPctOfEquity: limits.maxPositionPctOfEquity,
    }),
  };
}
