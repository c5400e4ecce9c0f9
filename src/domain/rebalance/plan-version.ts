import { Decimal, toWire } from '../values/decimal';
import type { Money } from '../values/money';
import { canonicalJson, type CanonicalValue } from './canonical-json';
import { sha256Hex } from './sha256';
import type { AppliedAdjustment, RebalancePlan } from './rebalance-types';

const money = (m: Money): CanonicalValue => ({ amount: m.toWire(), currency: m.currency });
/** A statistic (a float) as a plain decimal string, never in exponent form. */
const statistic = (x: number): string => new Decimal(x).toFixed();

/** Returns or volatilities under their own name, as decimal strings; the closes they were measured over. */
function adjustmentToWire(a: AppliedAdjustment): CanonicalValue {
  const inputs = Object.fromEntries(Object.entries(a.inputs).map(([s, x]) => [s, statistic(x)]));
  return {
    type: a.type,
    ...(a.strength !== null && { strength: statistic(a.strength) }),
    [a.type === 'risk-parity' ? 'volatilities' : 'returns']: inputs,
    ...(a.basis !== null && { lookbackDays: a.basis.lookbackDays, closes: Object.fromEntries(Object.entries(a.basis.closes).map(([s, c]) => [s, { from: c.from, to: c.to }])) }),
    targetsBefore: Object.fromEntries(Object.entries(a.targetsBefore).map(([s, w]) => [s, toWire(w.toDecimalPlaces(12, Decimal.ROUND_HALF_EVEN))])),
  };
}

/**
 * The plan as it travels on every wire (HTTP, Temporal payloads): decimals as decimal strings,
 * money as { amount, currency }. It is also what the version hashes, minus the version itself.
 */
export function rebalancePlanToWire(plan: Omit<RebalancePlan, 'version'> & { readonly version?: string }): { [key: string]: CanonicalValue } {
  const wire: { [key: string]: CanonicalValue } = {
    status: plan.status,
    currency: plan.currency,
    strategy: { ...plan.strategy },
    legs: plan.legs.map((l) => ({
      symbol: l.symbol,
      side: l.side,
      quantity: toWire(l.quantity),
      estimatedPrice: toWire(l.estimatedPrice),
      notional: money(l.notional),
      estimatedFee: money(l.estimatedFee),
      estimatedSlippage: money(l.estimatedSlippage),
      estimatedHalfSpread: money(l.estimatedHalfSpread),
      estimatedCost: money(l.estimatedCost),
    })),
    assets: plan.assets.map((a) => ({
      symbol: a.symbol,
      strategy: a.strategy,
      currentWeight: toWire(a.currentWeight),
      targetWeight: toWire(a.targetWeight),
      drift: toWire(a.drift),
      beyondThreshold: a.beyondThreshold,
      postTradeWeight: toWire(a.postTradeWeight),
    })),
    maxDrift: toWire(plan.maxDrift),
    preTradeEquity: money(plan.preTradeEquity),
    postTradeEquity: money(plan.postTradeEquity),
    preTradeCash: money(plan.preTradeCash),
    postTradeCash: money(plan.postTradeCash),
    preTradeCashWeight: toWire(plan.preTradeCashWeight),
    postTradeCashWeight: toWire(plan.postTradeCashWeight),
    expectedCost: money(plan.expectedCost),
    expectedCostFraction: toWire(plan.expectedCostFraction),
    turnover: toWire(plan.turnover),
    notes: plan.notes.map((n): CanonicalValue => (n.symbol === undefined ? { code: n.code, message: n.message } : { code: n.code, symbol: n.symbol, message: n.message })),
  };
  if (plan.adjustment !== undefined) wire['adjustment'] = adjustmentToWire(plan.adjustment);
  if (plan.version !== undefined) wire['version'] = plan.version;
  return wire;
}

/** The canonical string a plan version is the hash of: key order never matters, content always does. */
export function canonicalPlanContent(plan: Omit<RebalancePlan, 'version'>): string {
  const { version: _ignored, ...content } = rebalancePlanToWire(plan);
  return canonicalJson(content);
}

/** `sha256:<64 hex>` of the canonical content; stable across runs, processes and key orders. */
export function planVersionOf(plan: Omit<RebalancePlan, 'version'>): string {
  return `sha256:${sha256Hex(canonicalPlanContent(plan))}`;
}
