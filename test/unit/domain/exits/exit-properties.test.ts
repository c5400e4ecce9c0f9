import fc from 'fast-check';
import type { ExitPlanRequest } from '../../../../src/domain/exits/exit-plan-request';
import {
  applyTrancheOutcome, nextTriggers, onMarket, pauseExit, resumeExit, type ExitState,
} from '../../../../src/domain/exits/exit-state';
import { Decimal } from '../../../../src/domain/values/decimal';
import { price } from '../../../../src/domain/values/price';
import { quantity } from '../../../../src/domain/values/quantity';
import { exitFor, OPENED_AT } from './exit-test-helpers';

const REQUESTS: ExitPlanRequest[] = [
  { preset: 'arbitrage' },
  { preset: 'arbitrage', takeProfit: { pct: '0.02' } },
  { preset: 'trend-following', trailing: { activation: '0.005', distance: '0.004', maxDistance: '0.004' }, breakEven: { trigger: '0.003', offset: '0.001' } },
  { stopLoss: { pct: '0.01' }, rMultiples: { multiples: ['1', '2', '2.5'] }, trailing: { activation: '0', distance: '0.003' } },
  { ladder: [{ profitTarget: '0.004', fraction: '0.3', moveStopTo: '-0.002' }, { profitTarget: '0.009', fraction: '0.3' }], timeExit: { maxHoldingSeconds: 1200 } },
  // Break-even (100.10 for a long) before a level whose move (to the entry) would loosen it.
  { stopLoss: { pct: '0.01' }, breakEven: { trigger: '0.002', offset: '0.001' }, ladder: [{ profitTarget: '0.004', fraction: '0.3', moveStopTo: '0' }] },
  // A second level whose move (to the entry) would loosen the first one's (+0.2 %).
  { stopLoss: { pct: '0.01' }, ladder: [{ profitTarget: '0.003', fraction: '0.3', moveStopTo: '0.002' }, { profitTarget: '0.006', fraction: '0.3', moveStopTo: '0' }] },
];

/** A random walk in cents from the entry (100.00): small moves, so new best prices a tick or two beyond the last are common. */
type Step = { readonly move: number; readonly fill: 'full' | 'part' | 'none'; readonly part: number; readonly toggle: boolean };
const step: fc.Arbitrary<Step> = fc.record({
  move: fc.integer({ min: -25, max: 25 }),
  fill: fc.constantFrom('full' as const, 'part' as const, 'none' as const),
  part: fc.double({ min: 0, max: 1, noNaN: true }),
  toggle: fc.boolean(),
});
const scenario = fc.record({
  request: fc.constantFrom(...REQUESTS),
  direction: fc.constantFrom('LONG' as const, 'SHORT' as const),
  qty: fc.integer({ min: 1, max: 400 }),
  steps: fc.array(step, { minLength: 1, maxLength: 60 }),
  pauses: fc.boolean(),
  fullFillsOnly: fc.boolean(),
});

const walk = (steps: readonly Step[]) => {
  let cents = 10000;
  return steps.map((s) => (cents = Math.min(10400, Math.max(9600, cents + s.move))));
};

function conserved(state: ExitState): Decimal {
  return state.tranches.reduce<Decimal>((acc, t) => acc.plus(t.state === 'PENDING' ? t.quantity : t.filledQuantity), state.remaining);
}

describe('exit properties', () => {
  it('when any quote sequence plays, then the stop never moves against the position, quantities are conserved, and ids never repeat', () => {
    fc.assert(fc.property(scenario, ({ request, direction, qty, steps, pauses, fullFillsOnly }) => {
      let state = exitFor(request, { direction, quantity: quantity(String(qty)) });
      const original = state.plan.originalQuantity;
      const worse = (next: Decimal | null, previous: Decimal | null) =>
        previous !== null && (next === null || (direction === 'LONG' ? next.lt(previous) : next.gt(previous)));
      const path = walk(steps);
      steps.forEach((s, i) => {
        if (pauses && s.toggle) state = state.status === 'PAUSED' ? resumeExit(state) : pauseExit(state);
        const at = price(new Decimal(path[i]!).div(100));
        const market = { bid: direction === 'LONG' ? at : price(at.minus('0.01')), ask: direction === 'LONG' ? price(at.plus('0.01')) : at, asOf: new Date(OPENED_AT.getTime() + i * 30_000) };
        const before = state;
        const result = onMarket(state, market);
        state = result.state;
        expect(worse(state.stop, before.stop)).toBe(false);
        for (const order of result.orders) {
          const filled = fullFillsOnly || s.fill === 'full' ? order.quantity : s.fill === 'none' ? quantity('0') : quantity(order.quantity.times(s.part).floor());
          state = applyTrancheOutcome(state, order.id, { filledQuantity: filled, averagePrice: filled.isZero() ? null : at });
        }
        expect(conserved(state).eq(original)).toBe(true);
        expect(state.remaining.isNegative()).toBe(false);
        expect(new Set(state.tranches.map((t) => t.id)).size).toBe(state.tranches.length);
        expect(state.realizedPnl.eq(state.tranches.reduce((acc, t) => acc.plus(t.realizedPnl), new Decimal(0)))).toBe(true);
        if (fullFillsOnly) expect(state.tranches.reduce((acc, t) => acc.plus(t.quantity), new Decimal(0)).lte(original)).toBe(true);
        if (state.status === 'CLOSED') expect(state.remaining.isZero() && state.tranches.every((t) => t.state === 'DONE')).toBe(true);
      });
    }), { numRuns: 300 });
  });

  it('when a quote does not reach the published triggers, then it sends nothing and leaves the stop where it was', () => {
    fc.assert(fc.property(scenario, ({ request, direction, qty, steps }) => {
      let state = exitFor(request, { direction, quantity: quantity(String(qty)) });
      const path = walk(steps);
      steps.forEach((_s, i) => {
        const at = price(new Decimal(path[i]!).div(100));
        const market = { bid: direction === 'LONG' ? at : price(at.minus('0.01')), ask: direction === 'LONG' ? price(at.plus('0.01')) : at, asOf: new Date(OPENED_AT.getTime() + i * 30_000) };
        const triggers = nextTriggers(state);
        const wakes = triggers.immediate
          || (triggers.notAfter !== null && market.asOf.getTime() >= Date.parse(triggers.notAfter))
          || (triggers.lower !== null && at.lte(triggers.lower))
          || (triggers.upper !== null && at.gte(triggers.upper));
        const result = onMarket(state, market);
        if (!wakes) {
          expect(result.orders).toEqual([]);
          expect(result.state.stop).toEqual(state.stop);
          expect(result.state.levelsDone).toEqual(state.levelsDone);
          expect(result.state.trailingActive).toBe(state.trailingActive);
          return; // the exit was not woken: the workflow never saw this quote
        }
        state = result.state;
        for (const order of result.orders) state = applyTrancheOutcome(state, order.id, { filledQuantity: order.quantity, averagePrice: at });
      });
    }), { numRuns: 300 });
  });
});
