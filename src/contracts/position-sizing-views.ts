import type { PositionDirection } from '../domain/portfolio/position-lifecycle';
import type { DistanceClamp, DynamicStops, StopMethod } from '../domain/sizing/dynamic-stops';
import type { SizingAdjustment, SizingMethod, SizingResult } from '../domain/sizing/position-sizing';
import type { SizingSettings } from '../domain/sizing/sizing-settings';
import { exactView, measureView, moneyView } from './wire-format';

/** A portfolio's effective sizing settings: stored (`portfolio`) or the defaults (`default`, version 0). */
export interface SizingSettingsView {
  readonly portfolioId: string;
  readonly source: 'default' | 'portfolio';
  readonly version: number;
  readonly maxPortfolioRisk: string;
  readonly maxPositionRisk: string;
  readonly baseSize: string;
  readonly confidenceMultiplier: string;
  readonly kellyFraction: string;
  readonly minConfidence: string;
  readonly updatedBy: string | null;
  readonly updatedAt: string | null;
}

export interface EffectiveSizingSettings {
  readonly portfolioId: string;
  readonly settings: SizingSettings;
  readonly source: 'default' | 'portfolio';
  readonly version: number;
  readonly updatedBy: string | null;
  readonly updatedAt: Date | null;
}

export function toSizingSettingsView(e: EffectiveSizingSettings): SizingSettingsView {
  const s = e.settings;
  return {
    portfolioId: e.portfolioId, source: e.source, version: e.version,
    maxPortfolioRisk: exactView(s.maxPortfolioRisk), maxPositionRisk: exactView(s.maxPositionRisk), baseSize: exactView(s.baseSize),
    confidenceMultiplier: exactView(s.confidenceMultiplier), kellyFraction: exactView(s.kellyFraction), minConfidence: exactView(s.minConfidence),
    updatedBy: e.updatedBy, updatedAt: e.updatedAt ? e.updatedAt.toISOString() : null,
  };
}

export interface DynamicStopsView {
  readonly method: StopMethod;
  readonly direction: PositionDirection;
  readonly lookbackDays: number;
  /** The first and last daily close the volatility was measured over (YYYY-MM-DD). */
  readonly historyFrom: string;
  readonly historyTo: string;
  readonly volatility: string;
  readonly returnStdDev: string | null;
  readonly entryPrice: string;
  readonly stopLoss: string;
  readonly takeProfit: string;
  readonly stopDistance: string;
  readonly takeProfitDistance: string;
  readonly stopClamp: DistanceClamp;
  readonly takeProfitClamp: DistanceClamp;
  readonly stopMultiplier: string;
  readonly takeProfitMultiplier: string;
  readonly minDistancePct: string;
  readonly maxDistancePct: string;
}

export function toDynamicStopsView(s: DynamicStops, history: { readonly from: string; readonly to: string }): DynamicStopsView {
  return {
    method: s.method, direction: s.direction, lookbackDays: s.lookbackDays, historyFrom: history.from, historyTo: history.to,
    volatility: measureView(s.volatility), returnStdDev: s.returnStdDev ? measureView(s.returnStdDev) : null,
    entryPrice: exactView(s.entryPrice), stopLoss: exactView(s.stopLoss), takeProfit: exactView(s.takeProfit),
    stopDistance: exactView(s.stopDistance), takeProfitDistance: exactView(s.takeProfitDistance),
    stopClamp: s.stopClamp, takeProfitClamp: s.takeProfitClamp,
    stopMultiplier: exactView(s.stopMultiplier), takeProfitMultiplier: exactView(s.takeProfitMultiplier),
    minDistancePct: exactView(s.minDistancePct), maxDistancePct: exactView(s.maxDistancePct),
  };
}

export interface SizingAdjustmentView {
  readonly name: SizingAdjustment['name'];
  readonly factor: string;
  readonly note: string;
}

/** A sizing's answer: what was sized against, the method's raw size, each adjustment, the final quantity and the stops. */
export interface PositionSizingView {
  readonly portfolioId: string;
  readonly symbol: string;
  readonly side: 'BUY' | 'SELL';
  readonly method: SizingMethod;
  /** The price a unit was sized at: the ask for a buy, the bid for a sell. */
  readonly price: string;
  readonly priceSource: 'ask' | 'bid';
  readonly quoteAsOf: string;
  readonly equity: string;
  readonly currency: string;
  readonly lotSize: string;
  readonly settings: SizingSettingsView;
  readonly rawNotional: string;
  readonly rawQuantity: string;
  readonly adjustments: readonly SizingAdjustmentView[];
  readonly quantity: string;
  readonly notional: string;
  /** The stop the risk caps were measured at (given, or the dynamic stop), or null. */
  readonly stopLoss: string | null;
  readonly riskAtStop: string | null;
  readonly stops: DynamicStopsView | null;
  readonly notes: readonly string[];
}

export function toSizingResultFields(r: SizingResult) {
  return {
    method: r.method,
    rawNotional: moneyView(r.rawNotional), rawQuantity: measureView(r.rawQuantity),
    adjustments: r.adjustments.map((a) => ({ name: a.name, factor: measureView(a.factor), note: a.note })),
    quantity: exactView(r.quantity), notional: moneyView(r.notional), riskAtStop: r.riskAtStop ? moneyView(r.riskAtStop) : null,
    notes: r.notes,
  };
}
