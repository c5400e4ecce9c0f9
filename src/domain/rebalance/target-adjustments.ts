import { Decimal, ZERO, sum } from '../values/decimal';
import { RebalancePlanError } from './rebalance-plan-error';
import type { AppliedAdjustment, TargetAdjustment, Weight } from './rebalance-types';

function finiteInput(field: string, value: number | undefined): Decimal {
  if (value === undefined) throw new RebalancePlanError('REBALANCE_MISSING_INPUT', field, 'is required for every target symbol');
  if (!Number.isFinite(value)) throw new RebalancePlanError('REBALANCE_VALUE_NOT_FINITE', field, 'must be a finite number');
  return new Decimal(value);
}

/** Rescales weights to `total`; all-zero weights stay zero. */
function renormalise(weights: ReadonlyMap<string, Weight>, total: Decimal): Map<string, Weight> {
  const s = sum([...weights.values()]);
  const out = new Map<string, Weight>();
  for (const [k, w] of weights) out.set(k, s.isZero() ? ZERO : w.times(total).div(s));
  return out;
}

/**
 * Applies a tilt or risk parity to target weights. Only symbols with a positive target take part
 * (a zero target stays zero: a tilt does not open positions); the invested total is kept.
 */
export function adjustTargets(targets: ReadonlyMap<string, Weight>, adjustment: TargetAdjustment): Map<string, Weight> {
  const total = sum([...targets.values()]);
  const active = [...targets].filter(([, w]) => w.gt(0));
  const raw = new Map<string, Weight>(targets);
  if (adjustment.type === 'risk-parity') {
    for (const [symbol] of active) {
      const vol = finiteInput(`adjustment.volatilities.${symbol}`, adjustment.volatilities[symbol]);
      if (!vol.gt(0)) throw new RebalancePlanError('REBALANCE_SETTING_INVALID', `adjustment.volatilities.${symbol}`, 'must be positive');
      raw.set(symbol, new Decimal(1).div(vol));
    }
    const inverse = new Map(active.map(([s]) => [s, raw.get(s) as Decimal]));
    const scaled = renormalise(inverse, total);
    for (const [s, w] of scaled) raw.set(s, w);
    return raw;
  }
  const strength = finiteInput('adjustment.strength', adjustment.strength);
  if (strength.isNegative()) throw new RebalancePlanError('REBALANCE_SETTING_INVALID', 'adjustment.strength', 'must not be negative');
  const sign = adjustment.type === 'momentum-tilt' ? 1 : -1;
  const tilted = new Map<string, Weight>();
  for (const [symbol, w] of active) {
    const r = finiteInput(`adjustment.returns.${symbol}`, adjustment.returns[symbol]);
    tilted.set(symbol, Decimal.max(ZERO, w.times(strength.times(r).times(sign).plus(1))));
  }
  for (const [s, w] of renormalise(tilted, total)) raw.set(s, w);
  return raw;
}

/** What the plan states of an adjustment: its inputs and the targets before it, for the symbols that took part. */
export function appliedAdjustment(before: ReadonlyMap<string, Weight>, adjustment: TargetAdjustment): AppliedAdjustment {
  const active = [...before].filter(([, w]) => w.gt(0)).map(([s]) => s).sort();
  const inputs = adjustment.type === 'risk-parity' ? adjustment.volatilities : adjustment.returns;
  return {
    type: adjustment.type,
    strength: adjustment.type === 'risk-parity' ? null : adjustment.strength,
    inputs: Object.fromEntries(active.flatMap((s) => (inputs[s] === undefined ? [] : [[s, inputs[s]]]))),
    basis: adjustment.basis === undefined ? null : {
      lookbackDays: adjustment.basis.lookbackDays,
      closes: Object.fromEntries(active.flatMap((s) => (adjustment.basis!.closes[s] === undefined ? [] : [[s, adjustment.basis!.closes[s]!]]))),
    },
    targetsBefore: Object.fromEntries(active.map((s) => [s, before.get(s)!])),
  };
}
