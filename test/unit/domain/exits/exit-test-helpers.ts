import { resolveExitPlan, type ExitPlanRequest, type ExitPosition } from '../../../../src/domain/exits/exit-plan-request';
import { applyTrancheOutcome, onMarket, startExit, type ExitState, type ExitTranche } from '../../../../src/domain/exits/exit-state';
import { price } from '../../../../src/domain/values/price';
import { quantity } from '../../../../src/domain/values/quantity';

export const OPENED_AT = new Date('2024-01-02T14:30:00.000Z');

export const position = (over: Partial<ExitPosition> = {}): ExitPosition => ({
  direction: 'LONG', entryPrice: price('100'), quantity: quantity('100'), openedAt: OPENED_AT, tickSize: price('0.01'), lotSize: quantity('1'), ...over,
});

export const exitFor = (request: ExitPlanRequest, over: Partial<ExitPosition> = {}): ExitState => startExit(resolveExitPlan(request, position(over)));

/** A quote whose exit side (bid for a long, ask for a short) is `at`, one tick wide, `second` seconds after the open. */
export const quoteAt = (state: ExitState, at: string, second = 0) => {
  const p = price(at);
  const tick = state.plan.tickSize;
  return state.plan.direction === 'LONG'
    ? { bid: p, ask: price(p.plus(tick)), asOf: new Date(OPENED_AT.getTime() + second * 1000) }
    : { bid: price(p.minus(tick)), ask: p, asOf: new Date(OPENED_AT.getTime() + second * 1000) };
};

/** Plays exit-side prices; each order fills in full at the price that triggered it. Returns the state and every order sent. */
export function play(state: ExitState, prices: readonly string[], fill: 'full' | 'none' = 'full'): { state: ExitState; orders: ExitTranche[] } {
  const orders: ExitTranche[] = [];
  for (const at of prices) {
    const step = onMarket(state, quoteAt(state, at));
    state = step.state;
    for (const order of step.orders) {
      orders.push(order);
      if (fill === 'full') state = applyTrancheOutcome(state, order.id, { filledQuantity: order.quantity, averagePrice: price(at) });
    }
  }
  return { state, orders };
}

export const summary = (orders: readonly ExitTranche[]) => orders.map((o) => `${o.id} ${o.reason} ${o.quantity.toFixed()}`);
