import type { TradingSignal } from './trading-signal';

/**
 * Signal combination: several strategies' calls on one instrument become one direction, strength
 * and confidence, and a decision whether to trade.
 *
 * The model. Each strategy reports a direction (BUY, SELL or HOLD), a strength in [0, 1] (how far
 * it leans) and a confidence in [0, 1] (how sure it is). Its score is sign · strength · confidence,
 * with sign +1 for BUY, −1 for SELL and 0 for HOLD, so a score lies in [−1, 1].
 *
 * Weights are relative and are normalised over the strategies that reported and carry a positive
 * weight: nᵢ = wᵢ / Σ wⱼ. A strategy without a configured weight (or with weight 0) is ignored,
 * never denied: it is listed with the reason and contributes nothing.
 *
 *   net score   = Σ nᵢ · scoreᵢ                                   in [−1, 1]
 *   direction   = BUY when net > 0, SELL when net < 0, HOLD when net = 0
 *   strength    = |net score|                                    in [0, 1]
 *   agreement   = Σ nᵢ over the strategies whose direction is the combined direction
 *   confidence  = Σ nᵢ · confidenceᵢ / Σ nᵢ over those same agreeing strategies (0 when none)
 *   execute     = direction ≠ HOLD and strength ≥ minStrength and confidence ≥ minConfidence
 *                 and agreement ≥ minAgreement
 *
 * Every reported number is rounded to 10 decimal places (and thresholds compare the rounded
 * values), so a result does not depend on the order the signals arrive in or on the scale of the
 * weights beyond float noise. Contributions are summed in strategy-id order for the same reason.
 *
 * Statistics are plain numbers, not money (ARCHITECTURE §3.5 keeps floats out of money only).
 */

export const SIGNAL_DIRECTIONS = ['BUY', 'SELL', 'HOLD'] as const;
export type SignalDirection = (typeof SIGNAL_DIRECTIONS)[number];

/** The strategy names of the architecture; a portfolio may weight other strategies too. */
export const KNOWN_STRATEGIES = ['arbitrage', 'trend_following', 'market_making', 'htf', 'news_driven', 'statistical_arbitrage'] as const;

/** One strategy's call on the instrument. */
export interface StrategySignal {
  readonly strategyId: string;
  readonly direction: SignalDirection;
  /** How far the strategy leans in its direction, in [0, 1]. */
  readonly strength: number;
  /** How sure the strategy is of its call, in [0, 1]. */
  readonly confidence: number;
  /** Probabilities that the price goes up, down or stays flat (each in [0, 1], summing to 1). */
  readonly probabilities?: { readonly up: number; readonly down: number; readonly flat: number };
  /**
   * The return a trade in the signal's direction is expected to make, as a fraction of its value
   * (for HOLD: that of a long position).
   */
  readonly expectedReturn?: number;
}

/** A portfolio's (or a request's) weights and thresholds. */
export interface SignalCombinationSettings {
  /** Relative weight per strategy id (≥ 0; at least one > 0). Unlisted strategies weigh 0. */
  readonly weights: ReadonlyMap<string, number>;
  /** Least |net score| that trades, in [0, 1]. */
  readonly minStrength: number;
  /** Least combined confidence that trades, in [0, 1]. */
  readonly minConfidence: number;
  /** Least weight share of strategies agreeing with the combined direction that trades, in [0, 1]. */
  readonly minAgreement: number;
}

/**
 * Defaults: directional strategies weigh most. Trend following (0.25) and statistical arbitrage
 * (0.20) make directional calls over the horizon orders are placed on; arbitrage, htf and
 * news-driven (0.15 each) weigh in between; market making (0.10) leans by inventory more than by
 * view. They sum to 1, so each is a share when all six report.
 */
export const DEFAULT_STRATEGY_WEIGHTS: ReadonlyMap<string, number> = new Map<string, number>([
  ['arbitrage', 0.15],
  ['trend_following', 0.25],
  ['market_making', 0.1],
  ['htf', 0.15],
  ['news_driven', 0.15],
  ['statistical_arbitrage', 0.2],
]);

export const DEFAULT_SIGNAL_COMBINATION_SETTINGS: SignalCombinationSettings = Object.freeze({
  weights: DEFAULT_STRATEGY_WEIGHTS,
  minStrength: 0.2,
  minConfidence: 0.6,
  minAgreement: 0.6,
});

/** The strategy id of the signal a combination produces. */
export const COMBINED_STRATEGY_ID = 'combined';

/** Tolerance on a probability triple summing to 1. */
export const PROBABILITY_SUM_TOLERANCE = 1e-6;

export interface StrategyContribution {
  readonly strategyId: string;
  readonly direction: SignalDirection;
  readonly strength: number;
  readonly confidence: number;
  /** The configured weight. */
  readonly weight: number;
  /** The weight's share among the strategies that count, nᵢ. */
  readonly normalizedWeight: number;
  /** sign · strength · confidence. */
  readonly score: number;
  /** nᵢ · score: its part of the net score. */
  readonly contribution: number;
  /** Its direction is the combined direction. */
  readonly agrees: boolean;
}

export type IgnoredReason = 'UNKNOWN_STRATEGY' | 'ZERO_WEIGHT';
export interface IgnoredSignal {
  readonly strategyId: string;
  readonly reason: IgnoredReason;
  readonly message: string;
}

export type SignalCheckCode = 'NO_WEIGHTED_SIGNAL' | 'SIGNAL_HOLD' | 'SIGNAL_TOO_WEAK' | 'SIGNAL_CONFIDENCE_LOW' | 'SIGNAL_AGREEMENT_LOW';

/** One condition of execution, passed or not, with the limit and the actual value. */
export interface SignalCheck {
  readonly code: SignalCheckCode;
  readonly passed: boolean;
  readonly message: string;
  readonly limit?: number;
  readonly actual?: number;
}

export interface SignalCombination {
  readonly direction: SignalDirection;
  readonly netScore: number;
  readonly strength: number;
  readonly confidence: number;
  readonly agreement: number;
  readonly execute: boolean;
  /** The side to trade when execute, else null. */
  readonly side: 'BUY' | 'SELL' | null;
  /** Every condition of execution, in a fixed order. */
  readonly checks: readonly SignalCheck[];
  /** The checks that failed (empty when execute). */
  readonly reasons: readonly SignalCheck[];
  /** The strategies that count, by strategy id. */
  readonly contributions: readonly StrategyContribution[];
  /** The strategies that reported but weigh nothing, by strategy id. */
  readonly ignored: readonly IgnoredSignal[];
  readonly thresholds: { readonly minStrength: number; readonly minConfidence: number; readonly minAgreement: number };
  /** The signal an order may carry. */
  readonly signal: TradingSignal;
  /** One sentence: what the strategies say together, and why it trades or not. */
  readonly explanation: string;
}

/** Bad input to the combination; `field` names it as a request path (`signals.1.confidence`). */
export class SignalCombinationError extends Error {
  readonly code = 'SIGNAL_INPUT_INVALID';
  override readonly name = 'SignalCombinationError';
  constructor(readonly field: string, readonly rule: string) {
    super(`${field}: ${rule}`);
  }
}

const DECIMALS = 1e10;
/** Rounded to 10 decimal places, without a negative zero. */
const round = (x: number): number => {
  const r = Math.round(x * DECIMALS) / DECIMALS;
  return r === 0 ? 0 : r;
};
const SIGN: Readonly<Record<SignalDirection, number>> = { BUY: 1, SELL: -1, HOLD: 0 };

const isUnit = (x: unknown): x is number => typeof x === 'number' && Number.isFinite(x) && x >= 0 && x <= 1;
const requireUnit = (x: unknown, field: string) => {
  if (!isUnit(x)) throw new SignalCombinationError(field, 'must be a number from 0 to 1');
};

/** Validates the settings; throws SignalCombinationError naming the first bad field. */
export function validateSignalSettings(settings: SignalCombinationSettings, weightsField = 'weights'): void {
  let positive = false;
  for (const [strategyId, weight] of settings.weights) {
    if (strategyId.length === 0) throw new SignalCombinationError(weightsField, 'a strategy id must not be empty');
    if (typeof weight !== 'number' || !Number.isFinite(weight) || weight < 0) {
      throw new SignalCombinationError(`${weightsField}.${strategyId}`, 'must be a finite number greater than or equal to 0');
    }
    if (weight > 0) positive = true;
  }
  if (!positive) throw new SignalCombinationError(weightsField, 'at least one weight must be greater than 0');
  requireUnit(settings.minStrength, 'minStrength');
  requireUnit(settings.minConfidence, 'minConfidence');
  requireUnit(settings.minAgreement, 'minAgreement');
}

/** Validates the signals; throws SignalCombinationError naming the first bad field. */
export function validateStrategySignals(signals: readonly StrategySignal[]): void {
  if (signals.length === 0) throw new SignalCombinationError('signals', 'must hold at least one signal');
  const seen = new Set<string>();
  signals.forEach((s, i) => {
    const at = `signals.${i}`;
    if (typeof s.strategyId !== 'string' || s.strategyId.length === 0) throw new SignalCombinationError(`${at}.strategyId`, 'must not be empty');
    if (seen.has(s.strategyId)) throw new SignalCombinationError(`${at}.strategyId`, `${s.strategyId} reports more than once`);
    seen.add(s.strategyId);
    if (!(SIGNAL_DIRECTIONS as readonly string[]).includes(s.direction)) throw new SignalCombinationError(`${at}.direction`, `must be one of ${SIGNAL_DIRECTIONS.join(', ')}`);
    requireUnit(s.strength, `${at}.strength`);
    requireUnit(s.confidence, `${at}.confidence`);
    if (s.probabilities !== undefined) {
      const { up, down, flat } = s.probabilities;
      requireUnit(up, `${at}.probabilities.up`);
      requireUnit(down, `${at}.probabilities.down`);
      requireUnit(flat, `${at}.probabilities.flat`);
      if (Math.abs(up + down + flat - 1) > PROBABILITY_SUM_TOLERANCE) throw new SignalCombinationError(`${at}.probabilities`, 'up, down and flat must sum to 1');
    }
    if (s.expectedReturn !== undefined && (typeof s.expectedReturn !== 'number' || !Number.isFinite(s.expectedReturn))) {
      throw new SignalCombinationError(`${at}.expectedReturn`, 'must be a finite number');
    }
  });
}

const byStrategyId = <T extends { strategyId: string }>(a: T, b: T) => (a.strategyId < b.strategyId ? -1 : a.strategyId > b.strategyId ? 1 : 0);

/** Combines the signals by the settings' weights and decides whether to trade. Pure. */
export function combineSignals(signals: readonly StrategySignal[], settings: SignalCombinationSettings): SignalCombination {
  validateStrategySignals(signals);
  validateSignalSettings(settings);

  const sorted = [...signals].sort(byStrategyId);
  const ignored: IgnoredSignal[] = [];
  const counted: Array<{ signal: StrategySignal; weight: number }> = [];
  for (const signal of sorted) {
    const weight = settings.weights.get(signal.strategyId);
    if (weight === undefined) ignored.push({ strategyId: signal.strategyId, reason: 'UNKNOWN_STRATEGY', message: `${signal.strategyId} has no configured weight: ignored` });
    else if (weight === 0) ignored.push({ strategyId: signal.strategyId, reason: 'ZERO_WEIGHT', message: `${signal.strategyId} has weight 0: ignored` });
    else counted.push({ signal, weight });
  }

  const totalWeight = counted.reduce((acc, c) => acc + c.weight, 0);
  const shares = counted.map((c) => ({ ...c, share: c.weight / totalWeight, score: SIGN[c.signal.direction] * c.signal.strength * c.signal.confidence }));
  const netScore = round(shares.reduce((acc, c) => acc + c.share * c.score, 0));
  const direction: SignalDirection = counted.length === 0 || netScore === 0 ? 'HOLD' : netScore > 0 ? 'BUY' : 'SELL';
  const agreeing = shares.filter((c) => c.signal.direction === direction);
  const agreeingShare = agreeing.reduce((acc, c) => acc + c.share, 0);
  const agreement = round(agreeingShare);
  const confidence = agreeingShare > 0 ? round(agreeing.reduce((acc, c) => acc + c.share * c.signal.confidence, 0) / agreeingShare) : 0;
  const strength = Math.abs(netScore);

  const { minStrength, minConfidence, minAgreement } = settings;
  const checks: SignalCheck[] = [
    counted.length === 0
      ? { code: 'NO_WEIGHTED_SIGNAL', passed: false, message: 'no reporting strategy carries a weight: nothing to combine' }
      : { code: 'SIGNAL_HOLD', passed: direction !== 'HOLD', message: direction === 'HOLD' ? 'the net score is 0: the strategies call for no trade' : `the net score ${netScore} calls for ${direction}` },
    { code: 'SIGNAL_TOO_WEAK', passed: strength >= minStrength, limit: minStrength, actual: strength, message: `strength ${strength} ${strength >= minStrength ? 'reaches' : 'is below'} the minimum ${minStrength}` },
    { code: 'SIGNAL_CONFIDENCE_LOW', passed: confidence >= minConfidence, limit: minConfidence, actual: confidence, message: `confidence ${confidence} ${confidence >= minConfidence ? 'reaches' : 'is below'} the minimum ${minConfidence}` },
    { code: 'SIGNAL_AGREEMENT_LOW', passed: agreement >= minAgreement, limit: minAgreement, actual: agreement, message: `agreement ${agreement} ${agreement >= minAgreement ? 'reaches' : 'is below'} the minimum ${minAgreement}` },
  ];
  const reasons = checks.filter((c) => !c.passed);
  const execute = reasons.length === 0;

  const contributions: StrategyContribution[] = shares.map((c) => ({
    strategyId: c.signal.strategyId, direction: c.signal.direction, strength: c.signal.strength, confidence: c.signal.confidence,
    weight: c.weight, normalizedWeight: round(c.share), score: round(c.score), contribution: round(c.share * c.score), agrees: c.signal.direction === direction,
  }));

  const signal = combinedTradingSignal(shares, direction, confidence);
  const explanation = counted.length === 0
    ? `none of ${signals.length} reporting strategies carries a weight: HOLD, no trade`
    : `${direction} with net score ${netScore} from ${counted.length} weighted strategies (agreement ${agreement}, confidence ${confidence}): `
      + (execute ? 'executes' : `does not execute (${reasons.map((r) => r.code).join(', ')})`);

  return {
    direction, netScore, strength, confidence, agreement, execute, side: execute && direction !== 'HOLD' ? direction : null,
    checks, reasons, contributions, ignored, thresholds: { minStrength, minConfidence, minAgreement }, signal, explanation,
  };
}

/**
 * The order-attachable signal: confidence as combined; probabilities the weight-average when every
 * counted strategy carries them; expected return, when every counted strategy carries one and the
 * direction is not HOLD, the weight-average of their expected price moves (a SELL's expected return
 * is a fall) taken in the combined direction.
 */
function combinedTradingSignal(
  shares: ReadonlyArray<{ signal: StrategySignal; share: number }>, direction: SignalDirection, confidence: number,
): TradingSignal {
  const withProbabilities = shares.length > 0 && shares.every((c) => c.signal.probabilities !== undefined);
  const withReturns = shares.length > 0 && direction !== 'HOLD' && shares.every((c) => c.signal.expectedReturn !== undefined);
  const sum = (f: (c: { signal: StrategySignal; share: number }) => number) => round(shares.reduce((acc, c) => acc + c.share * f(c), 0));
  const moveSign = (d: SignalDirection) => (d === 'SELL' ? -1 : 1);
  return {
    strategyId: COMBINED_STRATEGY_ID,
    confidence,
    ...(withProbabilities && {
      probabilities: { up: sum((c) => c.signal.probabilities!.up), down: sum((c) => c.signal.probabilities!.down), flat: sum((c) => c.signal.probabilities!.flat) },
    }),
    ...(withReturns && { expectedReturn: round(moveSign(direction) * sum((c) => moveSign(c.signal.direction) * c.signal.expectedReturn!)) }),
  };
}
