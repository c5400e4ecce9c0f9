import type { Decimal } from '../values/decimal';
import type { LimitBreach } from './limit-breaches';

/** A plan the daily run proposes after a breach: lower target weights for the long holdings, to be approved. */
export interface DeRiskingProposal {
  /** symbol → target weight of equity (decimal strings, 6 places), each at most its weight today. */
  readonly targets: Readonly<Record<string, string>>;
  /** The share of each position the plan keeps (before the concentration cap). */
  readonly scale: number;
  readonly reasons: readonly string[];
}

export interface DeRiskingInput {
  /** Signed weights of equity by symbol (shorts are left alone: a de-risking plan only sells). */
  readonly weights: ReadonlyMap<string, number>;
  readonly breaches: readonly LimitBreach[];
  /** The share of each position to keep (null: no proposals). */
  readonly deRiskingScale: Decimal | null;
  /** The VaR budget and today's one-day VaR 95, both fractions of equity (the scale that brings VaR within it). */
  readonly maxVar95Pct: Decimal | null;
  readonly var95: number | null;
  readonly maxPositionPctOfEquity: Decimal;
}

const weight = (x: number) => (Math.floor(x * 1e6) / 1e6).toFixed(6);

/**
 * The de-risking a breach that acts (REDUCING or HALTED) calls for: every long position scaled to
 * the configured share, less when that does not bring VaR 95 within its budget (VaR scales with the
 * weights), and none above the concentration cap. Null when proposals are off, nothing acts, or
 * nothing would be sold.
 */
export function deRiskingProposal(input: DeRiskingInput): DeRiskingProposal | null {
  if (input.deRiskingScale === null) return null;
  const acting = input.breaches.filter((b) => b.action !== 'ALERT');
  if (acting.length === 0) return null;
  let scale = input.deRiskingScale.toNumber();
  const reasons = acting.map((b) => b.message);
  if (input.maxVar95Pct !== null && input.var95 !== null && input.var95 > 0) {
    const withinBudget = input.maxVar95Pct.toNumber() / input.var95;
    if (withinBudget < scale) {
      scale = withinBudget;
      reasons.push(`positions scaled to ${(scale * 100).toFixed(1)} % to bring VaR 95 within its budget`);
    }
  }
  const cap = input.maxPositionPctOfEquity.toNumber();
  const targets: Record<string, string> = {};
  let sells = false;
  for (const [symbol, w] of input.weights) {
    if (!(w > 0)) continue;
    const target = Math.min(w * scale, cap);
    targets[symbol] = weight(target);
    if (Number(targets[symbol]) < w) sells = true;
  }
  return sells ? { targets, scale, reasons } : null;
}
