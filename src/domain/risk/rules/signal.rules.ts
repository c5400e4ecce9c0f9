import { Decimal } from '../../values/decimal';
import { Money } from '../../values/money';
import type { RiskContext } from '../risk-context';
import { riskReason, type RiskReason, type SignalAssessment } from '../risk-decision';
import { PASS, type PreTradeRule } from './pre-trade-rule';

const unit = (x: number) => Number.isFinite(x) && x >= 0 && x <= 1;
const PROBABILITY_SUM_TOLERANCE = 1e-6;
/** Probabilities are floats: a margin met exactly (0.4 − 0.3 = 0.10000000000000003) is not beyond it. */
const MARGIN_TOLERANCE = 1e-9;

/** The signal's own consistency: a confidence and probabilities in [0, 1], the probabilities summing to 1. */
function signalFaults({ order }: RiskContext): string[] {
  const signal = order.signal;
  if (signal === undefined) return [];
  const faults: string[] = [];
  if (!unit(signal.confidence)) faults.push(`confidence ${signal.confidence} is not in [0, 1]`);
  const p = signal.probabilities;
  if (p !== undefined) {
    if (![p.up, p.down, p.flat].every(unit)) faults.push('a probability is not in [0, 1]');
    else if (Math.abs(p.up + p.down + p.flat - 1) > PROBABILITY_SUM_TOLERANCE) faults.push(`the probabilities sum to ${p.up + p.down + p.flat}, not 1`);
  }
  if (signal.expectedReturn !== undefined && !Number.isFinite(signal.expectedReturn)) faults.push('the expected return is not a finite number');
  return faults;
}

/**
 * What the signal promises for this order: the probability edge the order's way, and the expected
 * return on its value against a round trip's costs (fee and slippage in, and again out).
 */
export function assessSignal(context: RiskContext): SignalAssessment | undefined {
  const { order, pricing, costs } = context;
  const signal = order.signal;
  if (signal === undefined) return undefined;
  const p = signal.probabilities;
  const directionalEdge = p === undefined ? null : order.side === 'BUY' ? p.up - p.down : p.down - p.up;
  let expectedEdge: Money | null = null;
  let expectedCost: Money | null = null;
  if (pricing !== null && signal.expectedReturn !== undefined && Number.isFinite(signal.expectedReturn)) {
    const oneWay = Money.max(pricing.notional.times(costs.feeRate.plus(costs.slippageRate)), Money.of(costs.minFee, pricing.notional.currency));
    expectedCost = oneWay.times(2).toDecimalPlaces(2, Decimal.ROUND_UP);
    expectedEdge = pricing.notional.times(new Decimal(signal.expectedReturn)).minus(expectedCost).toDecimalPlaces(2, Decimal.ROUND_DOWN);
  }
  return { strategyId: signal.strategyId, confidence: signal.confidence, directionalEdge, expectedEdge, expectedCost };
}

export const signalChecks: PreTradeRule = (context) => {
  const { order, limits } = context;
  if (order.signal === undefined) return PASS;
  const faults = signalFaults(context);
  if (faults.length > 0) return [riskReason('SIGNAL_INVALID', `the signal of strategy ${order.signal.strategyId} is invalid: ${faults.join('; ')}`)];
  const assessment = assessSignal(context)!;
  const reasons: RiskReason[] = [];
  if (assessment.confidence < limits.minSignalConfidence.toNumber()) {
    reasons.push(riskReason('MIN_SIGNAL_CONFIDENCE', `the signal's confidence ${assessment.confidence} is below the minimum`, limits.minSignalConfidence, String(assessment.confidence)));
  }
  if (assessment.directionalEdge !== null && -assessment.directionalEdge > limits.signalProbabilityMargin.toNumber() + MARGIN_TOLERANCE) {
    const against = (-assessment.directionalEdge).toFixed(6).replace(/\.?0+$/, '');
    reasons.push(riskReason('SIGNAL_DIRECTION_CONFLICT', `the signal's probabilities favour a move against this ${order.side} by ${against}`, limits.signalProbabilityMargin, against));
  }
  if (assessment.expectedEdge !== null && !assessment.expectedEdge.isPositive()) {
    reasons.push(riskReason('SIGNAL_NO_EDGE', `the expected return ${assessment.expectedEdge.plus(assessment.expectedCost!).toWire()} does not cover the round trip's expected costs ${assessment.expectedCost!.toWire()}`, assessment.expectedCost!, assessment.expectedEdge.plus(assessment.expectedCost!)));
  }
  return reasons;
};
