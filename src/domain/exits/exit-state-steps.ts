import { Decimal } from '../values/decimal';
import type { Price } from '../values/price';
import { quantity, type Quantity } from '../values/quantity';
import {
  floorToLot, isBetterStop, ladderTotalOf, profitFraction, stopPriceAtProfit, trailingStopPrice, type ExitLevel,
} from './exit-plan';
import type { ExitReason, ExitState, ExitTranche, StopKind } from './exit-state';

/**
 * The steps the exit's transitions share (onMarket, closeNow, amendExit): a mutable draft of the
 * state that each transition copies once, changes, and returns frozen.
 */
export type Draft = { -readonly [K in keyof ExitState]: ExitState[K] } & { levelsDone: string[]; tranches: ExitTranche[] };

export function draftOf(state: ExitState): Draft {
  return { ...state, levelsDone: [...state.levelsDone], tranches: [...state.tranches] };
}

export function done(draft: Draft): ExitState {
  return Object.freeze({ ...draft, levelsDone: Object.freeze([...draft.levelsDone]), tranches: Object.freeze([...draft.tranches]) });
}

/** Moves the stop to `candidate` only when that is in the position's favour (the ratchet). */
export function ratchet(draft: Draft, candidate: Price, kind: StopKind): void {
  if (isBetterStop(draft.plan.direction, candidate, draft.stop)) {
    draft.stop = candidate;
    draft.stopKind = kind;
  }
}

/**
 * The ratchets a price can set off: break-even once its profit reaches the trigger, trailing once
 * it reaches the activation (then trailing from the best price seen). `at` is the exit-side price
 * of the quote (the best price itself when an amendment re-applies the ratchets).
 */
export function applyRatchets(draft: Draft, at: Decimal): void {
  const { plan } = draft;
  const profit = profitFraction(plan, at);
  if (plan.breakEven && profit.gte(plan.breakEven.trigger)) ratchet(draft, stopPriceAtProfit(plan, plan.breakEven.offset), 'STOP_LOSS');
  if (plan.trailing) {
    if (!draft.trailingActive && profit.gte(plan.trailing.activation)) draft.trailingActive = true;
    if (draft.trailingActive) ratchet(draft, trailingStopPrice(plan, plan.trailing, draft.bestPrice), 'TRAILING_STOP');
  }
}

const PREFIX: Record<Exclude<ExitReason, 'TARGET'>, string> = {
  STOP_LOSS: 'STOP', TRAILING_STOP: 'STOP', TAKE_PROFIT: 'TP', TIME_EXIT: 'TIME', MANUAL_CLOSE: 'CLOSE',
};

/**
 * Closing tranche ids, deterministic and never repeated: 'STOP-1', 'STOP-2', ... (stop loss and
 * trailing stop share the series), 'CLOSE-1', 'CLOSE-2', ..., and 'TP', 'TIME' whose repeats (the
 * unfilled rest of a partial fill, sent again) are 'TP-2', 'TIME-2', ...
 */
export function closingTrancheId(tranches: readonly ExitTranche[], reason: Exclude<ExitReason, 'TARGET'>): string {
  const prefix = PREFIX[reason];
  const n = tranches.filter((t) => t.id === prefix || t.id.startsWith(`${prefix}-`)).length + 1;
  return prefix === 'STOP' || prefix === 'CLOSE' || n > 1 ? `${prefix}-${n}` : prefix;
}

export function newTranche(id: string, reason: ExitReason, qty: Quantity, triggerPrice: Price | null): ExitTranche {
  return Object.freeze({ id, reason, quantity: qty, triggerPrice, filledQuantity: quantity('0'), averagePrice: null, realizedPnl: new Decimal(0), state: 'PENDING' as const });
}

/**
 * Closes everything that remains for `reason` (stop, take-profit, time, manual): one tranche for
 * the whole remaining quantity. The reason sticks: an unfilled rest returned later by a partial
 * fill is sent again for the same reason on the next observation, whatever the price.
 */
export function closeRemaining(draft: Draft, reason: Exclude<ExitReason, 'TARGET'>, triggerPrice: Price | null, orders: ExitTranche[]): void {
  draft.closing = reason;
  if (draft.remaining.isZero()) return;
  const tranche = newTranche(closingTrancheId(draft.tranches, reason), reason, draft.remaining, triggerPrice);
  draft.tranches.push(tranche);
  orders.push(tranche);
  draft.remaining = quantity('0');
}

/**
 * A level's quantity: its fraction of the original quantity, floored to the lot grid and capped
 * at what remains; the level that exhausts the ladder (the last one not yet done, when the
 * ladder's fractions sum to 1) takes whatever remains. `levelsDone` must not yet hold `level`.
 */
export function levelQuantity(draft: Draft, level: ExitLevel): Quantity {
  const { plan } = draft;
  const exhausts = ladderTotalOf(plan.ladder).gte(1) && plan.ladder.every((l) => l.id === level.id || draft.levelsDone.includes(l.id));
  if (exhausts) return draft.remaining;
  const share = floorToLot(plan.originalQuantity.times(level.fraction), plan.lotSize);
  return share.gt(draft.remaining) ? draft.remaining : share;
}
