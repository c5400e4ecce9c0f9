import fc from 'fast-check';
import {
  combineSignals, DEFAULT_SIGNAL_COMBINATION_SETTINGS, DEFAULT_STRATEGY_WEIGHTS, KNOWN_STRATEGIES, SIGNAL_DIRECTIONS, SignalCombinationError,
  type SignalCombination, type SignalCombinationSettings, type SignalDirection, type StrategySignal,
} from '../../../../src/domain/signals/signal-combination';

const settings = (weights: Record<string, number>, over: Partial<SignalCombinationSettings> = {}): SignalCombinationSettings => ({
  ...DEFAULT_SIGNAL_COMBINATION_SETTINGS, weights: new Map(Object.entries(weights)), ...over,
});
const sig = (strategyId: string, direction: SignalDirection, strength: number, confidence: number, extra: Partial<StrategySignal> = {}): StrategySignal => ({
  strategyId, direction, strength, confidence, ...extra,
});
const WEIGHTS = { trend_following: 0.25, statistical_arbitrage: 0.2, news_driven: 0.15 };

describe('the default weights', () => {
  it('when no portfolio configures weights, then the six strategies of the architecture weigh 1 together', () => {
    expect([...DEFAULT_STRATEGY_WEIGHTS.keys()].sort()).toEqual([...KNOWN_STRATEGIES].sort());
    expect([...DEFAULT_STRATEGY_WEIGHTS.values()].reduce((a, b) => a + b, 0)).toBeCloseTo(1, 12);
  });
});

describe('combining signals (hand-computed)', () => {
  // Weights 0.25, 0.20, 0.15 over the reporting strategies sum to 0.6.
  // trend BUY 0.8 × 0.9 = 0.72; stat-arb BUY 0.6 × 0.7 = 0.42; news SELL 0.5 × 0.6 = −0.30.
  // net = (0.25 × 0.72 + 0.2 × 0.42 − 0.15 × 0.30) / 0.6 = 0.219 / 0.6 = 0.365.
  // agreement = 0.45 / 0.6 = 0.75; confidence = (0.25 × 0.9 + 0.2 × 0.7) / 0.45 = 0.8111111111.
  const mixed = [sig('trend_following', 'BUY', 0.8, 0.9), sig('statistical_arbitrage', 'BUY', 0.6, 0.7), sig('news_driven', 'SELL', 0.5, 0.6)];

  type Row = [string, readonly StrategySignal[], SignalCombinationSettings, Partial<SignalCombination>, string[]];
  const cases: Row[] = [
    ['two buys outweigh a sell', mixed, settings(WEIGHTS),
      { direction: 'BUY', netScore: 0.365, strength: 0.365, agreement: 0.75, confidence: 0.8111111111, execute: true, side: 'BUY' }, []],
    ['the same with a minimum strength above the net score', mixed, settings(WEIGHTS, { minStrength: 0.4 }),
      { direction: 'BUY', execute: false, side: null }, ['SIGNAL_TOO_WEAK']],
    ['the same with a minimum agreement of 0.8', mixed, settings(WEIGHTS, { minAgreement: 0.8 }),
      { direction: 'BUY', execute: false }, ['SIGNAL_AGREEMENT_LOW']],
    // The agreeing confidence is 0.8111…: a minimum of 0.82 fails it, and only it.
    ['the same with a minimum confidence of 0.82', mixed, settings(WEIGHTS, { minConfidence: 0.82 }),
      { execute: false }, ['SIGNAL_CONFIDENCE_LOW']],
    // 0.2 × (−0.9 × 0.8) = −0.144 against 0.15 × 0.4 × 0.5 = 0.03 → (−0.144 + 0.03) / 0.35 = −0.3257142857.
    ['a confident sell against a weak buy', [sig('statistical_arbitrage', 'SELL', 0.9, 0.8), sig('news_driven', 'BUY', 0.4, 0.5)], settings(WEIGHTS),
      { direction: 'SELL', netScore: -0.3257142857, strength: 0.3257142857, agreement: 0.5714285714, confidence: 0.8, execute: false, side: null }, ['SIGNAL_AGREEMENT_LOW']],
    // Equal weights, equal and opposite scores: the net score is 0.
    ['a buy and a sell that cancel', [sig('a', 'BUY', 0.5, 0.8), sig('b', 'SELL', 0.5, 0.8)], settings({ a: 1, b: 1 }),
      { direction: 'HOLD', netScore: 0, strength: 0, agreement: 0, confidence: 0, execute: false }, ['SIGNAL_HOLD', 'SIGNAL_TOO_WEAK', 'SIGNAL_CONFIDENCE_LOW', 'SIGNAL_AGREEMENT_LOW']],
    ['every strategy holds', [sig('a', 'HOLD', 1, 0.9), sig('b', 'HOLD', 0.3, 0.7)], settings({ a: 3, b: 1 }),
      { direction: 'HOLD', netScore: 0, agreement: 1, confidence: 0.85, execute: false }, ['SIGNAL_HOLD', 'SIGNAL_TOO_WEAK']],
    // One strategy alone: its weight share is 1 whatever its weight.
    ['one strategy at the thresholds exactly', [sig('a', 'SELL', 0.25, 0.8)], settings({ a: 7 }, { minStrength: 0.2, minConfidence: 0.8, minAgreement: 1 }),
      { direction: 'SELL', netScore: -0.2, strength: 0.2, agreement: 1, confidence: 0.8, execute: true, side: 'SELL' }, []],
    ['only strategies without a weight report', [sig('unknown', 'BUY', 1, 1), sig('muted', 'BUY', 1, 1)], settings({ a: 1, muted: 0 }),
      { direction: 'HOLD', netScore: 0, execute: false }, ['NO_WEIGHTED_SIGNAL', 'SIGNAL_TOO_WEAK', 'SIGNAL_CONFIDENCE_LOW', 'SIGNAL_AGREEMENT_LOW']],
  ];
  it.each(cases)('when %s, then the numbers and the decision are the hand-computed ones', (_name, signals, config, expected, failed) => {
    const result = combineSignals(signals, config);
    expect(result).toMatchObject(expected);
    expect(result.reasons.map((r) => r.code)).toEqual(failed);
    expect(result.checks).toHaveLength(4);
  });

  it('when strategies contribute, then each contribution is stated and they sum to the net score', () => {
    const result = combineSignals(mixed, settings(WEIGHTS));
    expect(result.contributions).toEqual([
      { strategyId: 'news_driven', direction: 'SELL', strength: 0.5, confidence: 0.6, weight: 0.15, normalizedWeight: 0.25, score: -0.3, contribution: -0.075, agrees: false },
      { strategyId: 'statistical_arbitrage', direction: 'BUY', strength: 0.6, confidence: 0.7, weight: 0.2, normalizedWeight: 0.3333333333, score: 0.42, contribution: 0.14, agrees: true },
      { strategyId: 'trend_following', direction: 'BUY', strength: 0.8, confidence: 0.9, weight: 0.25, normalizedWeight: 0.4166666667, score: 0.72, contribution: 0.3, agrees: true },
    ]);
    expect(result.explanation).toBe('BUY with net score 0.365 from 3 weighted strategies (agreement 0.75, confidence 0.8111111111): executes');
  });

  it('when a strategy has no weight or weight 0, then it is ignored and listed with the reason, not refused', () => {
    const result = combineSignals([sig('trend_following', 'BUY', 1, 0.9), sig('my_model', 'SELL', 1, 1), sig('htf', 'SELL', 1, 1)], settings({ trend_following: 1, htf: 0 }));
    expect(result.ignored.map((i) => [i.strategyId, i.reason])).toEqual([['htf', 'ZERO_WEIGHT'], ['my_model', 'UNKNOWN_STRATEGY']]);
    expect(result).toMatchObject({ direction: 'BUY', netScore: 0.9, agreement: 1, confidence: 0.9, execute: true });
  });
});

describe('the attachable trading signal', () => {
  it('when every counted strategy carries probabilities and expected returns, then they are weight-averaged (a sell\'s return is a fall)', () => {
    // Shares 0.75 and 0.25. Price moves: +0.02 (buy) and −0.01 (a sell expecting 1 %) → 0.75 × 0.02 − 0.25 × 0.01 = 0.0125.
    const result = combineSignals([
      sig('a', 'BUY', 0.8, 0.9, { probabilities: { up: 0.6, down: 0.3, flat: 0.1 }, expectedReturn: 0.02 }),
      sig('b', 'SELL', 0.4, 0.7, { probabilities: { up: 0.2, down: 0.6, flat: 0.2 }, expectedReturn: 0.01 }),
    ], settings({ a: 3, b: 1 }));
    expect(result.direction).toBe('BUY');
    expect(result.signal).toEqual({ strategyId: 'combined', confidence: 0.9, probabilities: { up: 0.5, down: 0.375, flat: 0.125 }, expectedReturn: 0.0125 });
  });

  it('when the combined direction is SELL, then the expected return is that of the sell', () => {
    const result = combineSignals([sig('a', 'SELL', 1, 1, { expectedReturn: 0.03 }), sig('b', 'BUY', 0.5, 0.5, { expectedReturn: 0.01 })], settings({ a: 1, b: 1 }));
    // Moves: −0.03 and +0.01, averaged −0.01; a sell of a falling price returns +0.01.
    expect(result.signal).toEqual({ strategyId: 'combined', confidence: 1, expectedReturn: 0.01 });
  });

  it('when one counted strategy lacks probabilities or an expected return, then the combined signal carries none', () => {
    const result = combineSignals([sig('a', 'BUY', 1, 1, { probabilities: { up: 1, down: 0, flat: 0 }, expectedReturn: 0.02 }), sig('b', 'BUY', 1, 0.8)], settings({ a: 1, b: 1 }));
    expect(result.signal).toEqual({ strategyId: 'combined', confidence: 0.9 });
  });

  it('when an ignored strategy lacks them, then it does not matter', () => {
    const result = combineSignals([sig('a', 'BUY', 1, 1, { expectedReturn: 0.02 }), sig('other', 'BUY', 1, 0.8)], settings({ a: 1 }));
    expect(result.signal).toEqual({ strategyId: 'combined', confidence: 1, expectedReturn: 0.02 });
  });
});

describe('bad input', () => {
  const ok = [sig('a', 'BUY', 0.5, 0.7)];
  const cases: Array<[string, readonly StrategySignal[], SignalCombinationSettings, string, RegExp]> = [
    ['no signal', [], settings({ a: 1 }), 'signals', /at least one/],
    ['a negative weight', ok, settings({ a: 1, b: -0.1 }), 'weights.b', /greater than or equal to 0/],
    ['a NaN weight', ok, settings({ a: Number.NaN }), 'weights.a', /finite/],
    ['an infinite weight', ok, settings({ a: Number.POSITIVE_INFINITY }), 'weights.a', /finite/],
    ['every weight zero', ok, settings({ a: 0, b: 0 }), 'weights', /at least one weight/],
    ['no weight at all', ok, settings({}), 'weights', /at least one weight/],
    ['a confidence above 1', [sig('a', 'BUY', 0.5, 1.01)], settings({ a: 1 }), 'signals.0.confidence', /from 0 to 1/],
    ['a NaN strength', [sig('a', 'BUY', 0.5, 0.5), sig('b', 'SELL', Number.NaN, 0.5)], settings({ a: 1 }), 'signals.1.strength', /from 0 to 1/],
    ['a negative strength', [sig('a', 'BUY', -0.1, 0.5)], settings({ a: 1 }), 'signals.0.strength', /from 0 to 1/],
    ['a direction that is none', [sig('a', 'UP' as SignalDirection, 0.5, 0.5)], settings({ a: 1 }), 'signals.0.direction', /BUY, SELL, HOLD/],
    ['a strategy twice', [sig('a', 'BUY', 0.5, 0.5), sig('a', 'SELL', 0.5, 0.5)], settings({ a: 1 }), 'signals.1.strategyId', /more than once/],
    ['probabilities that do not sum to 1', [sig('a', 'BUY', 0.5, 0.5, { probabilities: { up: 0.5, down: 0.5, flat: 0.5 } })], settings({ a: 1 }), 'signals.0.probabilities', /sum to 1/],
    ['a NaN expected return', [sig('a', 'BUY', 0.5, 0.5, { expectedReturn: Number.NaN })], settings({ a: 1 }), 'signals.0.expectedReturn', /finite/],
    ['a minimum confidence above 1', ok, settings({ a: 1 }, { minConfidence: 2 }), 'minConfidence', /from 0 to 1/],
  ];
  it.each(cases)('when the input holds %s, then a typed error names the field', (_name, signals, config, field, rule) => {
    let caught: unknown;
    try {
      combineSignals(signals, config);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(SignalCombinationError);
    expect(caught).toMatchObject({ code: 'SIGNAL_INPUT_INVALID', field });
    expect((caught as SignalCombinationError).rule).toMatch(rule);
  });
});

describe('properties', () => {
  const ids = ['a', 'b', 'c', 'd', 'e', 'f'];
  const unit = fc.double({ min: 0, max: 1, noNaN: true });
  const signalsArb = fc.uniqueArray(
    fc.record({ strategyId: fc.constantFrom(...ids), direction: fc.constantFrom(...SIGNAL_DIRECTIONS), strength: unit, confidence: unit }),
    { minLength: 1, maxLength: 6, selector: (s) => s.strategyId },
  );
  const weightsArb = fc.tuple(...ids.map(() => fc.double({ min: 0.001, max: 1000, noNaN: true })))
    .map((ws) => new Map(ids.map((id, i) => [id, ws[i]!])));
  const thresholdsArb = fc.record({ minStrength: unit, minConfidence: unit, minAgreement: unit });

  /** Equal up to float noise: the same decision, and numbers within 1e-9. */
  const expectSameResult = (a: SignalCombination, b: SignalCombination) => {
    expect([b.direction, b.execute, b.side, b.reasons.map((r) => r.code)]).toEqual([a.direction, a.execute, a.side, a.reasons.map((r) => r.code)]);
    for (const key of ['netScore', 'strength', 'confidence', 'agreement'] as const) expect(Math.abs(b[key] - a[key])).toBeLessThan(1e-9);
  };

  it('when the signals arrive in another order, then the result is the same', () => {
    fc.assert(fc.property(signalsArb, weightsArb, thresholdsArb, fc.infiniteStream(fc.nat()), (signals, weights, thresholds, keys) => {
      const shuffled = signals.map((s) => ({ s, k: keys.next().value as number })).sort((x, y) => x.k - y.k).map((x) => x.s);
      expect(combineSignals(shuffled, { weights, ...thresholds })).toEqual(combineSignals(signals, { weights, ...thresholds }));
    }));
  });

  it('when every weight is scaled by a positive constant, then the result is the same', () => {
    fc.assert(fc.property(signalsArb, weightsArb, thresholdsArb, fc.double({ min: 1e-3, max: 1e3, noNaN: true }), (signals, weights, thresholds, factor) => {
      const scaled = new Map([...weights].map(([id, w]) => [id, w * factor]));
      expectSameResult(combineSignals(signals, { weights, ...thresholds }), combineSignals(signals, { weights: scaled, ...thresholds }));
    }));
  });

  it('when every weighted strategy calls the same direction with some strength and confidence, then that is the combined direction, in full agreement', () => {
    const leaning = fc.double({ min: 0.01, max: 1, noNaN: true });
    fc.assert(fc.property(fc.constantFrom<SignalDirection>('BUY', 'SELL'), fc.uniqueArray(fc.constantFrom(...ids), { minLength: 1 }), weightsArb, leaning, leaning, (direction, chosen, weights, strength, confidence) => {
      const result = combineSignals(chosen.map((id) => sig(id, direction, strength, confidence)), { ...DEFAULT_SIGNAL_COMBINATION_SETTINGS, weights });
      expect(result.direction).toBe(direction);
      expect(result.agreement).toBe(1);
      expect(result.confidence).toBeCloseTo(confidence, 9);
      expect(result.strength).toBeCloseTo(strength * confidence, 9);
    }));
  });

  it('when anything is combined, then strength, confidence and agreement stay in [0, 1] and only a trade that passes every check executes', () => {
    fc.assert(fc.property(signalsArb, weightsArb, thresholdsArb, (signals, weights, thresholds) => {
      const r = combineSignals(signals, { weights, ...thresholds });
      for (const x of [r.strength, r.confidence, r.agreement]) expect(x >= 0 && x <= 1).toBe(true);
      expect(r.execute).toBe(r.direction !== 'HOLD' && r.strength >= thresholds.minStrength && r.confidence >= thresholds.minConfidence && r.agreement >= thresholds.minAgreement);
      expect(r.side).toBe(r.execute ? r.direction : null);
    }));
  });
});
