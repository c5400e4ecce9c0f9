import { dynamicStops, type DynamicStops } from '../../../../src/domain/sizing/dynamic-stops';
import { ExitPlanError } from '../../../../src/domain/exits/exit-plan-error';
import {
  dynamicStopsNeeded, resolveExitPlan, resolveExitPlanSpec, type ExitPlanRequest, type ExitPlanRequestSpec, type ExitPosition,
} from '../../../../src/domain/exits/exit-plan-request';
import { levelPrice } from '../../../../src/domain/exits/exit-plan';
import { Decimal } from '../../../../src/domain/values/decimal';
import { price } from '../../../../src/domain/values/price';
import { quantity } from '../../../../src/domain/values/quantity';
import { OPENED_AT, position } from './exit-test-helpers';

const summarise = (request: ExitPlanRequest, over: Partial<ExitPosition> = {}) => {
  const plan = resolveExitPlan(request, position(over));
  return {
    stopLoss: plan.stopLoss?.toFixed() ?? null,
    takeProfit: plan.takeProfit?.toFixed() ?? null,
    ladder: plan.ladder.map((l) => `${l.id} ${levelPrice(plan, l).toFixed()} ${l.fraction.toFixed()}${l.moveStopTo ? ` ${l.moveStopTo.toFixed()}` : ''}`),
    trailing: plan.trailing && [plan.trailing.activation, plan.trailing.distance, plan.trailing.maxDistance].map((d) => d?.toFixed() ?? null),
  };
};

describe('exit plan: presets and overrides', () => {
  const arbitrageLadder = ['L1 100.5 0.25 0.002', 'L2 100.8 0.25 0.003', 'L3 101.2 0.25 0.005', 'L4 101.5 0.25 0.008'];
  // [name, request, position, stop, take-profit, ladder, trailing]
  const cases: Array<[string, ExitPlanRequest, Partial<ExitPosition>, string | null, string | null, string[], (string | null)[] | null]> = [
    ['the arbitrage preset, long', { preset: 'arbitrage' }, {}, '99.5', '101', arbitrageLadder, ['0.005', '0.002', '0.01']],
    ['the arbitrage preset, short', { preset: 'arbitrage' }, { direction: 'SHORT' }, '100.5', '99',
      ['L1 99.5 0.25 0.002', 'L2 99.2 0.25 0.003', 'L3 98.8 0.25 0.005', 'L4 98.5 0.25 0.008'], ['0.005', '0.002', '0.01']],
    ['the trend-following preset, long', { preset: 'trend-following' }, {}, '97', '106', [], null],
    ['the trend-following preset, short', { preset: 'trend-following' }, { direction: 'SHORT' }, '103', '94', [], null],
    ['the market-making preset, long', { preset: 'market-making' }, {}, '98', '104', [], null],
    ['the market-making preset, short', { preset: 'market-making' }, { direction: 'SHORT' }, '102', '96', [], null],
    ['the arbitrage preset with its stop and trailing overridden', { preset: 'arbitrage', stopLoss: { price: '99.00' }, trailing: { activation: '0.01', distance: '0.003' } }, {},
      '99', '101', arbitrageLadder, ['0.01', '0.003', null]],
    ['the arbitrage preset without take-profit and trailing (null removes)', { preset: 'arbitrage', takeProfit: null, trailing: null }, {}, '99.5', null, arbitrageLadder, null],
    ['the arbitrage preset with its ladder replaced', { preset: 'arbitrage', ladder: [{ profitTarget: '0.02', fraction: '1' }] }, {}, '99.5', '101', ['L1 102 1'], ['0.005', '0.002', '0.01']],
    // 10.4 × 1.01 = 10.504 → up to 10.55 (target); 10.4 × 0.99 = 10.296 → down to 10.25 (stop).
    ['percentages on a coarse tick grid, long', { stopLoss: { pct: '0.01' }, takeProfit: { pct: '0.01' }, ladder: [{ profitTarget: '0.01', fraction: '0.5' }] },
      { entryPrice: price('10.4'), tickSize: price('0.05') }, '10.25', '10.55', ['L1 10.55 0.5'], null],
    ['percentages on a coarse tick grid, short', { stopLoss: { pct: '0.01' }, takeProfit: { pct: '0.01' }, ladder: [{ profitTarget: '0.01', fraction: '0.5' }] },
      { entryPrice: price('10.4'), tickSize: price('0.05'), direction: 'SHORT' }, '10.55', '10.25', ['L1 10.25 0.5'], null],
    // R = 1: levels at 102, 103 with the given fractions.
    ['R multiples with fractions, long', { stopLoss: { pct: '0.01' }, rMultiples: { multiples: ['2', '3'], fractions: ['0.6', '0.4'] } }, {}, '99', null, ['L1 102 0.6', 'L2 103 0.4'], null],
    // R = 1.5 above a short's entry: levels at 97, 95.5.
    ['R multiples, short', { stopLoss: { price: '101.50' }, rMultiples: { multiples: ['2', '3'] } }, { direction: 'SHORT' }, '101.5', null, ['L1 97 0.5', 'L2 95.5 0.5'], null],
  ];

  it.each(cases)('when %s is resolved, then stop, take-profit, ladder and trailing are the expected ones', (_name, request, over, stop, target, ladder, trailing) => {
    expect(summarise(request, over)).toEqual({ stopLoss: stop, takeProfit: target, ladder, trailing });
  });

  it('when an R-multiple ladder has no fractions, then the equal split sums to exactly 1', () => {
    const plan = resolveExitPlan({ stopLoss: { pct: '0.01' }, rMultiples: { multiples: ['2', '3', '5'] } }, position());
    expect(plan.ladder.reduce((acc, l) => acc.plus(l.fraction), new Decimal(0)).toFixed()).toBe('1');
  });

  it('when a time exit is a holding period, then notAfter counts from the position\'s opening', () => {
    const plan = resolveExitPlan({ timeExit: { maxHoldingSeconds: 3600 } }, position());
    expect(plan.timeExit).toEqual({ notAfter: '2024-01-02T15:30:00.000Z' });
    expect(plan.openedAt).toBe(OPENED_AT.toISOString());
    expect(resolveExitPlan({ timeExit: { notAfter: '2024-01-03T00:00:00Z' } }, position()).timeExit).toEqual({ notAfter: '2024-01-03T00:00:00.000Z' });
  });

  it('when break-even has no offset, then it moves the stop to the entry itself', () => {
    expect(resolveExitPlan({ breakEven: { trigger: '0.01' } }, position()).breakEven).toEqual({ trigger: new Decimal('0.01'), offset: new Decimal(0) });
  });
});

describe('exit plan: dynamic stops', () => {
  const closes = ['100', '102', '101', '104', '103'].map((c) => price(c));
  const computed = (direction: 'LONG' | 'SHORT'): DynamicStops => dynamicStops({
    method: 'ATR', direction, entryPrice: price('100'), closes, lookbackDays: 4, stopMultiplier: new Decimal(2), takeProfitMultiplier: new Decimal(3),
    minDistancePct: new Decimal('0.005'), maxDistancePct: new Decimal('0.2'), tickSize: price('0.01'),
  });
  const spec: ExitPlanRequestSpec = { stopLoss: { dynamic: { method: 'ATR', multiplier: '2' } }, takeProfit: 'dynamic' };

  it('when a wire request asks for a dynamic stop, then dynamicStopsNeeded names what to compute, and the computed stops resolve it', () => {
    expect(dynamicStopsNeeded(spec)).toEqual({ method: 'ATR', stopMultiplier: new Decimal(2), takeProfitMultiplier: null, lookbackDays: null });
    expect(dynamicStopsNeeded({ preset: 'arbitrage' })).toBeNull();
    // ATR 1.75: stop 3.5 below, target 5.25 above (short: the other way round).
    const plan = resolveExitPlanSpec(spec, position(), computed('LONG'));
    expect([plan.stopLoss?.toFixed(), plan.takeProfit?.toFixed()]).toEqual(['96.5', '105.25']);
    const shortPlan = resolveExitPlanSpec(spec, position({ direction: 'SHORT' }), computed('SHORT'));
    expect([shortPlan.stopLoss?.toFixed(), shortPlan.takeProfit?.toFixed()]).toEqual(['103.5', '94.75']);
  });

  it.each([
    ['the stops were not computed', () => resolveExitPlanSpec(spec, position(), null), 'stopLoss.dynamic'],
    ['the stops were computed for the other direction', () => resolveExitPlanSpec(spec, position(), computed('SHORT')), 'stopLoss.dynamic'],
    ['the method is unknown', () => dynamicStopsNeeded({ stopLoss: { dynamic: { method: 'VIBES' as 'ATR' } } }), 'stopLoss.dynamic.method'],
    ['the multiplier is not a decimal', () => dynamicStopsNeeded({ stopLoss: { dynamic: { method: 'ATR', multiplier: 'two' } } }), 'stopLoss.dynamic.multiplier'],
    ['the take-profit is dynamic without a dynamic stop', () => dynamicStopsNeeded({ stopLoss: { pct: '0.01' }, takeProfit: 'dynamic' }), 'takeProfit'],
  ])('when %s, then EXIT_PLAN_INVALID names the field', (_name, resolve, field) => {
    expect(resolve).toThrow(expect.objectContaining({ code: 'EXIT_PLAN_INVALID', field }));
  });
});

describe('exit plan: refused requests', () => {
  const bad = (request: unknown) => request as ExitPlanRequest;
  // [name, request, position, field]
  const cases: Array<[string, ExitPlanRequest, Partial<ExitPosition>, string]> = [
    ['an unknown preset', bad({ preset: 'yolo' }), {}, 'preset'],
    ['ladder fractions above 1', { ladder: [{ profitTarget: '0.01', fraction: '0.6' }, { profitTarget: '0.02', fraction: '0.5' }] }, {}, 'ladder.1.fraction'],
    ['levels not ascending', { ladder: [{ profitTarget: '0.02', fraction: '0.5' }, { profitTarget: '0.01', fraction: '0.5' }] }, {}, 'ladder.1.profitTarget'],
    ['a fraction given as a number', bad({ ladder: [{ profitTarget: '0.01', fraction: 0.25 }] }), {}, 'ladder.0.fraction'],
    ['a fraction of zero', { ladder: [{ profitTarget: '0.01', fraction: '0' }] }, {}, 'ladder.0.fraction'],
    ['a stop move at the level itself', { ladder: [{ profitTarget: '0.01', fraction: '0.5', moveStopTo: '0.01' }] }, {}, 'ladder.0.moveStopTo'],
    ['a short target at 100 %', { ladder: [{ profitTarget: '1', fraction: '0.5' }] }, { direction: 'SHORT' }, 'ladder.0.profitTarget'],
    ['R multiples without a stop', { rMultiples: { multiples: ['2'] } }, {}, 'rMultiples'],
    ['both a ladder and R multiples', { stopLoss: { pct: '0.01' }, ladder: [], rMultiples: { multiples: ['2'] } }, {}, 'rMultiples'],
    ['R-multiple fractions not one per multiple', { stopLoss: { pct: '0.01' }, rMultiples: { multiples: ['2', '3'], fractions: ['1'] } }, {}, 'rMultiples.fractions'],
    ['R multiples not ascending', { stopLoss: { pct: '0.01' }, rMultiples: { multiples: ['3', '2'] } }, {}, 'rMultiples.multiples.1'],
    ['R multiples with a long stop above the entry', { stopLoss: { price: '101' }, rMultiples: { multiples: ['2'] } }, {}, 'stopLoss'],
    ['a stop of 100 %', { stopLoss: { pct: '1' } }, {}, 'stopLoss.pct'],
    ['a stop off the tick grid', { stopLoss: { price: '99.005' } }, {}, 'stopLoss.price'],
    ['a stop of an unknown form', bad({ stopLoss: { points: '5' } }), {}, 'stopLoss'],
    ['a long take-profit below the entry', { takeProfit: { price: '99' } }, {}, 'takeProfit'],
    ['a short take-profit above the entry', { takeProfit: { price: '101' } }, { direction: 'SHORT' }, 'takeProfit'],
    ['a take-profit below the stop', { stopLoss: { price: '100.50' }, takeProfit: { price: '100.40' } }, {}, 'takeProfit'],
    ['a dynamic take-profit without a dynamic stop', { stopLoss: { pct: '0.01' }, takeProfit: 'dynamic' }, {}, 'takeProfit'],
    ['a trailing distance of zero', { trailing: { activation: '0', distance: '0' } }, {}, 'trailing.distance'],
    ['a negative trailing activation', { trailing: { activation: '-0.01', distance: '0.01' } }, {}, 'trailing.activation'],
    ['a trailing max distance of 1', { trailing: { activation: '0', distance: '0.01', maxDistance: '1' } }, {}, 'trailing.maxDistance'],
    ['a break-even offset at its trigger', { breakEven: { trigger: '0.01', offset: '0.01' } }, {}, 'breakEven.offset'],
    ['a holding period that is not a whole positive number', bad({ timeExit: { maxHoldingSeconds: -5 } }), {}, 'timeExit.maxHoldingSeconds'],
    ['a time exit before the position opened', { timeExit: { notAfter: '2024-01-01T00:00:00Z' } }, {}, 'timeExit.notAfter'],
    ['a time exit that is no instant', { timeExit: { notAfter: 'tomorrow' } }, {}, 'timeExit.notAfter'],
    ['a position with no tick size', {}, { tickSize: price('0') }, 'position.tickSize'],
    ['a position with no quantity', {}, { quantity: quantity('0') }, 'position.quantity'],
  ];

  it.each(cases)('when a request has %s, then EXIT_PLAN_INVALID names the field', (_name, request, over, field) => {
    let error: unknown;
    try { resolveExitPlan(request, position(over)); } catch (e) { error = e; }
    expect(error).toBeInstanceOf(ExitPlanError);
    expect(error).toMatchObject({ code: 'EXIT_PLAN_INVALID', field });
  });
});
