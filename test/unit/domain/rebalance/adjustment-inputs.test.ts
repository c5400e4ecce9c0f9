import {
  measureTargetAdjustment, planRebalance, rebalancePlanToWire, RebalancePlanError, symbolsToAdjust, type AdjustmentSpec, type DailyCloses,
} from '../../../../src/domain/rebalance';
import { signedQuantity } from '../../../../src/domain/values/quantity';
import { d, FREE, portfolio, weights } from './rebalance-fixtures';

/** Hand-computed series: A 100 → 110 → 99 → 108.9 (returns +10 %, −10 %, +10 %); B flat then down. */
const closes = new Map<string, DailyCloses>([
  ['A', [{ date: '2026-01-05', close: 100 }, { date: '2026-01-06', close: 110 }, { date: '2026-01-07', close: 99 }, { date: '2026-01-08', close: 108.9 }]],
  ['B', [{ date: '2026-01-05', close: 50 }, { date: '2026-01-06', close: 50 }, { date: '2026-01-07', close: 55 }, { date: '2026-01-08', close: 44 }]],
  ['F', [{ date: '2026-01-07', close: 20 }, { date: '2026-01-08', close: 20 }, { date: '2026-01-09', close: 20 }]],
]);

describe('measureTargetAdjustment', () => {
  it.each<[string, AdjustmentSpec, Record<string, number>, Record<string, { from: string; to: string }>]>([
    // 108.9 / 100 − 1 and 44 / 50 − 1.
    ['a momentum tilt over 3 days', { type: 'momentum-tilt', lookbackDays: 3, strength: 1 }, { A: 0.089, B: -0.12 },
      { A: { from: '2026-01-05', to: '2026-01-08' }, B: { from: '2026-01-05', to: '2026-01-08' } }],
    // Only the last 3 closes: 108.9 / 110 − 1 = −0.01; 44 / 50 − 1 = −0.12.
    ['a mean-reversion tilt over 2 days', { type: 'mean-reversion-tilt', lookbackDays: 2, strength: 0.5 }, { A: -0.01, B: -0.12 },
      { A: { from: '2026-01-06', to: '2026-01-08' }, B: { from: '2026-01-06', to: '2026-01-08' } }],
  ])('when measuring %s, then each symbol\'s trailing return is last close / first close − 1', (_name, spec, returns, window) => {
    const measured = measureTargetAdjustment(spec, ['B', 'A'], closes);
    expect(measured.type).toBe(spec.type);
    if (measured.type === 'risk-parity') throw new Error('not a tilt');
    expect(Object.keys(measured.returns)).toEqual(['A', 'B']);
    for (const [s, r] of Object.entries(returns)) expect(measured.returns[s]).toBeCloseTo(r, 10);
    expect(measured.strength).toBe('strength' in spec ? spec.strength : null);
    expect(measured.basis).toEqual({ lookbackDays: spec.lookbackDays, closes: window });
  });

  it('when measuring risk parity, then each volatility is the sample stdev of daily returns × √252', () => {
    // A over 3 days: returns 0.1, −0.1, 0.1; mean 1/30; squared deviations 0.004444…, 0.017777…, 0.004444… → var 0.013333… → sd 0.1154700538.
    // A over 2 days: returns −0.1, 0.1; var 0.02 → sd 0.1414213562.
    const three = measureTargetAdjustment({ type: 'risk-parity', lookbackDays: 3 }, ['A'], closes);
    const two = measureTargetAdjustment({ type: 'risk-parity', lookbackDays: 2 }, ['A'], closes);
    if (three.type !== 'risk-parity' || two.type !== 'risk-parity') throw new Error('not risk parity');
    expect(three.volatilities['A']).toBeCloseTo(0.1154700538 * Math.sqrt(252), 8);
    expect(two.volatilities['A']).toBeCloseTo(0.1414213562 * Math.sqrt(252), 8);
    // What the plan shows is what tilted it: rounded to 10 places.
    expect(three.volatilities['A']).toBe(Number(three.volatilities['A']!.toFixed(10)));
  });

  it.each<[string, AdjustmentSpec, string[], string, RegExp]>([
    ['too few closes', { type: 'momentum-tilt', lookbackDays: 4, strength: 1 }, ['A'], 'REBALANCE_HISTORY_TOO_SHORT', /A has 4 stored daily closes: a lookback of 4 days needs 5/],
    ['no closes at all', { type: 'risk-parity', lookbackDays: 2 }, ['ZZZ'], 'REBALANCE_HISTORY_TOO_SHORT', /ZZZ has 0 stored daily closes/],
    ['closes that never move (risk parity)', { type: 'risk-parity', lookbackDays: 2 }, ['F'], 'REBALANCE_SETTING_INVALID', /F's closes did not move/],
    ['a lookback below 2', { type: 'risk-parity', lookbackDays: 1 }, ['A'], 'REBALANCE_SETTING_INVALID', /at least 2/],
  ])('when a symbol has %s, then a RebalancePlanError names adjustment.lookbackDays', (_name, spec, symbols, code, message) => {
    let caught: unknown;
    try {
      measureTargetAdjustment(spec, symbols, closes);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RebalancePlanError);
    expect(caught).toMatchObject({ code, field: 'adjustment.lookbackDays', message: expect.stringMatching(message) });
  });
});

describe('symbolsToAdjust', () => {
  const held = [{ symbol: 'H', quantity: signedQuantity('10') }, { symbol: 'S', quantity: signedQuantity('-5') }];
  it.each<[string, Parameters<typeof symbolsToAdjust>[0], string[]]>([
    ['target weights: the positive ones', weights({ B: '0.2', A: '0.1', Z: '0' }), ['A', 'B']],
    ['asset bands: the positive targets', { type: 'asset-bands', bands: { C: { target: d('0.3') }, D: { target: d('0') } } }, ['C']],
    ['strategy bands: the long holdings', { type: 'strategy-bands', strategyOf: { H: 'trend_following' } }, ['H']],
  ])('when the targets are %s, then those are measured', (_name, source, expected) => {
    expect(symbolsToAdjust(source, held)).toEqual(expected);
  });
});

describe('planRebalance: the applied adjustment in the plan', () => {
  const plan = (adjustment?: Parameters<typeof planRebalance>[0]['adjustment']) => planRebalance({
    portfolio: portfolio('100000', [['A', '0', '10'], ['B', '0', '10']]), targets: weights({ A: '0.4', B: '0.4' }),
    ...(adjustment && { adjustment }), strategy: { type: 'calendar' }, settings: FREE,
  });
  const measured = measureTargetAdjustment({ type: 'momentum-tilt', lookbackDays: 3, strength: 1 }, ['A', 'B'], closes);

  it('when a measured tilt reshapes the targets, then the plan states the rule, the returns, their closes and the targets before it', () => {
    const wire = rebalancePlanToWire(plan(measured));
    expect(wire['adjustment']).toEqual({
      type: 'momentum-tilt', strength: '1', returns: { A: '0.089', B: '-0.12' }, lookbackDays: 3,
      closes: { A: { from: '2026-01-05', to: '2026-01-08' }, B: { from: '2026-01-05', to: '2026-01-08' } },
      targetsBefore: { A: '0.4', B: '0.4' },
    });
    // 0.4 × 1.089 and 0.4 × 0.88, rescaled to 0.8: A rises, B falls.
    const targets = Object.fromEntries((wire['assets'] as Array<{ symbol: string; targetWeight: string }>).map((a) => [a.symbol, Number(a.targetWeight)]));
    expect(targets['A']).toBeCloseTo((0.8 * 1.089) / (1.089 + 0.88), 10);
    expect(targets['B']).toBeCloseTo((0.8 * 0.88) / (1.089 + 0.88), 10);
  });

  it('when the measured inputs differ, then the plan version differs; without an adjustment the plan has no adjustment field', () => {
    const other = measureTargetAdjustment({ type: 'momentum-tilt', lookbackDays: 2, strength: 1 }, ['A', 'B'], closes);
    expect(plan(measured).version).not.toBe(plan(other).version);
    expect(plan(measured).version).toBe(plan(measured).version);
    expect(rebalancePlanToWire(plan())).not.toHaveProperty('adjustment');
  });
});
