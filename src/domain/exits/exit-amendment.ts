import { Decimal } from '../values/decimal';
import { amendmentRefused } from './exit-plan-error';
import { isBetterStop, type ExitLevel, type ExitPlan } from './exit-plan';
import {
  resolveBreakEven, resolveLadder, resolveStopLoss, resolveTakeProfit, resolveTimeExit, resolveTrailing, type ExitPlanRequest,
} from './exit-plan-request';
import { applyRatchets, done, draftOf } from './exit-state-steps';
import type { ExitState } from './exit-state';

/**
 * Amends a running exit through the same request shape, field by field: `ladder` replaces the
 * levels not yet done (null removes them; the new levels get fresh ids after the highest the plan
 * ever had, so no id names two different orders), `stopLoss`, `takeProfit`, `trailing`,
 * `breakEven` and `timeExit` replace theirs (null removes; maxHoldingSeconds counts from the
 * position's openedAt). The ratchets are then re-applied at the best price seen, so a tighter
 * trailing distance moves the stop at once.
 *
 * Refused with EXIT_AMENDMENT_REFUSED, naming the field: a closed or closing exit; a preset or
 * rMultiples (amend the parts, the ladder itself); a stop loss moved against the position (below
 * the current stop for a long, above it for a short) or removed; pending levels whose fractions
 * (of the original quantity) add up to more than what remains. A malformed value is
 * EXIT_PLAN_INVALID, as in resolveExitPlan.
 */
export function amendExit(state: ExitState, amendment: ExitPlanRequest): ExitState {
  if (state.status === 'CLOSED') throw amendmentRefused('status', 'the exit is closed');
  if (state.closing !== null) throw amendmentRefused('status', `the exit is closing (${state.closing})`);
  if (typeof amendment !== 'object' || amendment === null) throw amendmentRefused('request', 'must be an object');
  if (amendment.preset !== undefined) throw amendmentRefused('preset', 'a running exit amends its parts, not its preset');
  if (amendment.rMultiples !== undefined) throw amendmentRefused('rMultiples', 'a running exit amends its ladder itself');
  const plan: { -readonly [K in keyof ExitPlan]: ExitPlan[K] } = { ...state.plan };
  const draft = draftOf(state);

  if (amendment.ladder !== undefined) {
    const kept = plan.ladder.filter((l) => state.levelsDone.includes(l.id));
    let added: ExitLevel[] = [];
    if (amendment.ladder !== null) {
      const highest = plan.ladder.reduce((n, l) => Math.max(n, Number(/^L(\d+)$/.exec(l.id)?.[1] ?? 0)), 0);
      added = resolveLadder(amendment.ladder, plan, highest + 1);
      let total = new Decimal(0);
      added.forEach((level, i) => {
        total = total.plus(level.fraction.times(plan.originalQuantity));
        if (total.gt(state.remaining)) throw amendmentRefused(`ladder.${i}.fraction`, `takes the pending levels to ${total.toFixed()}, above the ${state.remaining.toFixed()} that remains`);
      });
    }
    plan.ladder = [...kept, ...added];
  }
  if (amendment.stopLoss !== undefined) {
    if (amendment.stopLoss === null) {
      if (state.stop !== null) throw amendmentRefused('stopLoss', 'removing the stop would move it against the position');
    } else {
      const stop = resolveStopLoss(amendment.stopLoss, plan);
      if (state.stop !== null && isBetterStop(plan.direction, state.stop, stop)) {
        throw amendmentRefused('stopLoss', `${stop.toFixed()} is ${plan.direction === 'LONG' ? 'below' : 'above'} the current stop ${state.stop.toFixed()}: a stop only moves in the position's favour`);
      }
      plan.stopLoss = stop;
      if (state.stop === null || !stop.eq(state.stop)) {
        draft.stop = stop;
        draft.stopKind = 'STOP_LOSS';
      }
    }
  }
  if (amendment.takeProfit !== undefined) {
    plan.takeProfit = amendment.takeProfit === null ? null : resolveTakeProfit(amendment.takeProfit, plan, amendment.stopLoss);
  }
  if (amendment.trailing !== undefined) {
    plan.trailing = amendment.trailing === null ? null : resolveTrailing(amendment.trailing);
    if (plan.trailing === null) draft.trailingActive = false;
  }
  if (amendment.breakEven !== undefined) plan.breakEven = amendment.breakEven === null ? null : resolveBreakEven(amendment.breakEven, plan);
  if (amendment.timeExit !== undefined) plan.timeExit = amendment.timeExit === null ? null : resolveTimeExit(amendment.timeExit, plan);

  draft.plan = Object.freeze(plan);
  applyRatchets(draft, state.bestPrice);
  return done(draft);
}
