import { Decimal } from '../values/decimal';
import { price, type Price } from '../values/price';
import { quantity, type Quantity } from '../values/quantity';
import { stateInvalid } from './exit-plan-error';
import {
  directionSign, effectiveTrailingDistance, exitSidePrice, isBetterStop, levelPrice, stopPriceAtProfit, stopReached,
  targetReached, type ExitPlan,
} from './exit-plan';
import { applyRatchets, closeRemaining, done, draftOf, levelQuantity, newTranche, ratchet, type Draft } from './exit-state-steps';

export { amendExit } from './exit-amendment';

/**
 * The exit of one position as a deterministic state machine. The exit workflow's activity calls
 * it with each quote that wakes the workflow (nextTriggers says which) and with each tranche's
 * outcome; the functions are pure, so a replayed sequence of inputs yields the same state and the
 * same tranche ids.
 *
 * - ACTIVE: quotes trigger tranches. PAUSED: onMarket and onTime do nothing at all (no tranche,
 *   no best-price or trailing update, no time exit: a paused exit is frozen until resumed, and the
 *   next quote after resumeExit is judged afresh); outcomes of tranches already sent are still
 *   recorded, and closeNow still closes (a manual close overrides the pause). CLOSED: nothing left
 *   and nothing pending; every call but a replayed outcome is a no-op.
 * - One quote, in this order: (1) the stop as it stood before the quote: reached → one stop
 *   tranche for everything remaining, nothing else; (2) the best price; (3) every ladder level the
 *   quote reaches, in order, one tranche each (a gap through several levels emits them all), each
 *   moving the stop by its moveStopTo; (4) the take-profit: reached → everything left; (5) the
 *   break-even and trailing ratchets; (6) the stop once more: a ratchet may have moved it to or
 *   beyond this quote (a trailing stop measured from an earlier best price); (7) the time exit,
 *   asOf >= notAfter → everything left.
 * - Stop, take-profit, time and manual tranches "close" the exit: the reason sticks, and the
 *   unfilled rest of a partial fill is sent again, with a new id (STOP-2, TP-2, ...), on the next
 *   observation whatever the price (nextTriggers answers `immediate`).
 */
export type ExitStatus = 'ACTIVE' | 'PAUSED' | 'CLOSED';
export type ExitReason = 'TARGET' | 'STOP_LOSS' | 'TRAILING_STOP' | 'TAKE_PROFIT' | 'TIME_EXIT' | 'MANUAL_CLOSE';
/** Which mechanism set the current stop: a stop reached is a TRAILING_STOP exit when trailing set it, else STOP_LOSS (fixed, level move, break-even). */
export type StopKind = 'STOP_LOSS' | 'TRAILING_STOP';

export interface ExitTranche {
  /** Stable: the level id, or 'STOP-<n>', 'TP', 'TIME', 'CLOSE-<n>' (repeats 'TP-2', 'TIME-2'); part of the client order id. */
  readonly id: string;
  readonly reason: ExitReason;
  readonly quantity: Quantity;
  /** The level, stop or take-profit price that triggered it; null for time and manual exits. */
  readonly triggerPrice: Price | null;
  readonly filledQuantity: Quantity;
  readonly averagePrice: Price | null;
  /** (fill − entry) × filled × (+1 long / −1 short), fees excluded. */
  readonly realizedPnl: Decimal;
  readonly state: 'PENDING' | 'DONE';
}

export interface ExitState {
  readonly plan: ExitPlan;
  readonly status: ExitStatus;
  /** Not yet exited nor pending. */
  readonly remaining: Quantity;
  readonly stop: Price | null;
  readonly stopKind: StopKind | null;
  /** High-water (long) or low-water (short) of the exit-side prices the exit has observed, from the entry price. */
  readonly bestPrice: Price;
  readonly trailingActive: boolean;
  readonly levelsDone: readonly string[];
  readonly tranches: readonly ExitTranche[];
  readonly realizedPnl: Decimal;
  /** Set once a closing tranche was sent: what remains, or returns unfilled, leaves for this reason. */
  readonly closing: Exclude<ExitReason, 'TARGET'> | null;
}

export interface ExitMarket {
  readonly bid: Price;
  readonly ask: Price;
  readonly asOf: Date;
}

export interface ExitStep {
  readonly state: ExitState;
  /** The tranches to send now, already recorded as PENDING in `state` (its `remaining` already reduced). */
  readonly orders: readonly ExitTranche[];
}

export function startExit(plan: ExitPlan): ExitState {
  return Object.freeze({
    plan, status: 'ACTIVE' as const, remaining: plan.originalQuantity, stop: plan.stopLoss, stopKind: plan.stopLoss ? 'STOP_LOSS' as const : null,
    bestPrice: plan.entryPrice, trailingActive: false, levelsDone: Object.freeze([]), tranches: Object.freeze([]), realizedPnl: new Decimal(0), closing: null,
  });
}

const stopReason = (draft: Draft) => (draft.stopKind === 'TRAILING_STOP' ? 'TRAILING_STOP' as const : 'STOP_LOSS' as const);

function timeIsUp(plan: ExitPlan, asOf: Date): boolean {
  return plan.timeExit !== null && asOf.getTime() >= Date.parse(plan.timeExit.notAfter);
}

/** The trigger a re-sent closing tranche records: the stop or target of its reason. */
function closingTrigger(draft: Draft): Price | null {
  if (draft.closing === 'STOP_LOSS' || draft.closing === 'TRAILING_STOP') return draft.stop;
  if (draft.closing === 'TAKE_PROFIT') return draft.plan.takeProfit;
  return null;
}

/** One market observation. Longs trigger on the bid (they sell there), shorts on the ask. */
export function onMarket(state: ExitState, market: ExitMarket): ExitStep {
  if (state.status !== 'ACTIVE') return { state, orders: [] };
  for (const side of ['bid', 'ask'] as const) {
    if (!(market[side] instanceof Decimal) || !market[side].gt(0)) throw stateInvalid(`market.${side}`, 'must be a price above zero');
  }
  if (!(market.asOf instanceof Date) || Number.isNaN(market.asOf.getTime())) throw stateInvalid('market.asOf', 'must be a valid date');
  const { plan } = state;
  const at = exitSidePrice(plan.direction, market);
  const draft = draftOf(state);
  const orders: ReturnType<typeof newTranche>[] = [];

  if (draft.closing !== null) {
    closeRemaining(draft, draft.closing, closingTrigger(draft), orders);
    return { state: done(draft), orders };
  }
  // (1) The stop as it stood: a quote at or through it cannot also reach a level.
  if (stopReached(plan.direction, at, draft.stop)) {
    closeRemaining(draft, stopReason(draft), draft.stop, orders);
    return { state: done(draft), orders };
  }
  // (2) The best price.
  if (plan.direction === 'LONG' ? at.gt(draft.bestPrice) : at.lt(draft.bestPrice)) draft.bestPrice = at;
  // (3) Ladder levels, in order.
  for (const level of plan.ladder) {
    if (draft.levelsDone.includes(level.id)) continue;
    const trigger = levelPrice(plan, level);
    if (!targetReached(plan.direction, at, trigger)) continue;
    const qty = levelQuantity(draft, level);
    draft.levelsDone.push(level.id);
    if (qty.gt(0)) {
      // A level whose share floors to zero lots sends nothing; its stop move still applies.
      const tranche = newTranche(level.id, 'TARGET', qty, trigger);
      draft.tranches.push(tranche);
      orders.push(tranche);
      draft.remaining = quantity(draft.remaining.minus(qty));
    }
    if (level.moveStopTo !== null) ratchet(draft, stopPriceAtProfit(plan, level.moveStopTo), 'STOP_LOSS');
  }
  // (4) The take-profit.
  if (targetReached(plan.direction, at, plan.takeProfit)) {
    closeRemaining(draft, 'TAKE_PROFIT', plan.takeProfit, orders);
    return { state: done(draft), orders };
  }
  // (5) Break-even and trailing; (6) the stop they moved; (7) time.
  applyRatchets(draft, at);
  if (stopReached(plan.direction, at, draft.stop)) closeRemaining(draft, stopReason(draft), draft.stop, orders);
  else if (timeIsUp(plan, market.asOf)) closeRemaining(draft, 'TIME_EXIT', null, orders);
  return { state: done(draft), orders };
}

/** The time exit without a quote (the workflow's timer at notAfter): everything left leaves for TIME_EXIT. */
export function onTime(state: ExitState, asOf: Date): ExitStep {
  if (state.status !== 'ACTIVE') return { state, orders: [] };
  const draft = draftOf(state);
  const orders: ReturnType<typeof newTranche>[] = [];
  if (draft.closing !== null) closeRemaining(draft, draft.closing, closingTrigger(draft), orders);
  else if (timeIsUp(state.plan, asOf)) closeRemaining(draft, 'TIME_EXIT', null, orders);
  else return { state, orders: [] };
  return { state: done(draft), orders };
}

/**
 * Records a tranche's outcome. The unfilled part returns to `remaining` (a later trigger, or the
 * closing reason at the next observation, sends it again). When nothing remains and nothing is
 * pending, the exit is CLOSED. A replayed identical outcome is a no-op; a different one for a
 * tranche already done is refused.
 */
export function applyTrancheOutcome(state: ExitState, trancheId: string, outcome: { filledQuantity: Quantity; averagePrice: Price | null }): ExitState {
  const index = state.tranches.findIndex((t) => t.id === trancheId);
  const tranche = state.tranches[index];
  if (!tranche) throw stateInvalid('trancheId', `no tranche ${JSON.stringify(trancheId)} in this exit`);
  const filled = outcome.filledQuantity;
  if (!(filled instanceof Decimal) || filled.isNegative() || filled.gt(tranche.quantity)) {
    throw stateInvalid('filledQuantity', `must be from 0 to the tranche's quantity ${tranche.quantity.toFixed()}`);
  }
  const average = filled.isZero() ? null : outcome.averagePrice;
  if (!filled.isZero() && (!(average instanceof Decimal) || !average.gt(0))) throw stateInvalid('averagePrice', 'must be a price above zero when something filled');
  if (tranche.state === 'DONE') {
    const same = tranche.filledQuantity.eq(filled) && (tranche.averagePrice === null ? average === null : average !== null && tranche.averagePrice.eq(average));
    if (same) return state;
    throw stateInvalid('trancheId', `tranche ${trancheId} already has an outcome`);
  }
  const { plan } = state;
  const pnl = average === null ? new Decimal(0) : average.minus(plan.entryPrice).times(filled).times(directionSign(plan.direction));
  const draft = draftOf(state);
  draft.tranches[index] = Object.freeze({ ...tranche, filledQuantity: quantity(filled), averagePrice: average === null ? null : price(average), realizedPnl: pnl, state: 'DONE' as const });
  draft.remaining = quantity(draft.remaining.plus(tranche.quantity.minus(filled)));
  draft.realizedPnl = draft.realizedPnl.plus(pnl);
  if (draft.remaining.isZero() && draft.tranches.every((t) => t.state === 'DONE')) draft.status = 'CLOSED';
  return done(draft);
}

/**
 * Bounds the exit by the position the books hold: other orders (a trader's sale, a cover) may have
 * shrunk or closed it since the exit began, and no tranche may then sell more than is held. Applied
 * only while no tranche is pending (a pending tranche's fill may already be in the books but not yet
 * in this state). An exit left with nothing to sell is CLOSED.
 */
export function limitToPosition(state: ExitState, held: Quantity): ExitState {
  if (state.status === 'CLOSED' || state.remaining.lte(held) || state.tranches.some((t) => t.state === 'PENDING')) return state;
  const draft = draftOf(state);
  draft.remaining = quantity(Decimal.max(0, held));
  if (draft.remaining.isZero()) draft.status = 'CLOSED';
  return done(draft);
}

/** MANUAL_CLOSE of everything remaining, also while paused (the exit is then ACTIVE again, closing). */
export function closeNow(state: ExitState): ExitStep {
  if (state.status === 'CLOSED') return { state, orders: [] };
  const draft = draftOf(state);
  const orders: ReturnType<typeof newTranche>[] = [];
  draft.status = 'ACTIVE';
  closeRemaining(draft, 'MANUAL_CLOSE', null, orders);
  return { state: done(draft), orders };
}

/** Freezes the exit (see the module comment); a closed exit stays closed. */
export function pauseExit(state: ExitState): ExitState {
  return state.status === 'ACTIVE' ? Object.freeze({ ...state, status: 'PAUSED' as const }) : state;
}

export function resumeExit(state: ExitState): ExitState {
  return state.status === 'PAUSED' ? Object.freeze({ ...state, status: 'ACTIVE' as const }) : state;
}

export interface ExitTriggers {
  /** Long: wake when bid <= lower (the stop). Short: wake when ask <= lower (a target, activation or trailing step). */
  readonly lower: Price | null;
  /** Long: wake when bid >= upper (a target, activation or trailing step). Short: wake when ask >= upper (the stop). */
  readonly upper: Price | null;
  /** Wake at this instant (the time exit). */
  readonly notAfter: string | null;
  /** Wake on the next quote, whatever its price: a closing exit has an unfilled rest to send again. */
  readonly immediate: boolean;
}

const NO_TRIGGERS: ExitTriggers = Object.freeze({ lower: null, upper: null, notAfter: null, immediate: false });

/**
 * The prices at which the next quote could change anything, so a price feed wakes only the exits
 * it concerns. The favourable side is the nearest of: the next level, the take-profit, the
 * break-even trigger (while it would still move the stop), the trailing activation, and, once
 * trailing, the first price whose trailing stop is at least one tick better than the current stop
 * (the ratchet step: a new best price that would not move the stop need not wake the exit). The
 * thresholds are exact (not rounded to the grid), so an off-grid quote beyond one still wakes it;
 * with a maxDistance the trailing step may wake the exit once a tick early, never late.
 * Nothing while paused, closed, or with everything pending.
 */
export function nextTriggers(state: ExitState): ExitTriggers {
  if (state.status !== 'ACTIVE') return NO_TRIGGERS;
  if (state.closing !== null) return state.remaining.gt(0) ? { ...NO_TRIGGERS, immediate: true } : NO_TRIGGERS;
  if (state.remaining.isZero()) return NO_TRIGGERS;
  const { plan } = state;
  const long = plan.direction === 'LONG';
  const exact = (fraction: Decimal) => price(plan.entryPrice.times(new Decimal(1).plus(fraction.times(directionSign(plan.direction)))));
  const favourable: Price[] = [];
  favourable.push(...plan.ladder.filter((l) => !state.levelsDone.includes(l.id)).map((l) => levelPrice(plan, l)));
  if (plan.takeProfit) favourable.push(plan.takeProfit);
  if (plan.breakEven && isBetterStop(plan.direction, stopPriceAtProfit(plan, plan.breakEven.offset), state.stop)) favourable.push(exact(plan.breakEven.trigger));
  if (plan.trailing && !state.trailingActive) favourable.push(exact(plan.trailing.activation));
  if (plan.trailing && state.trailingActive) favourable.push(trailingStep(state));
  const nearest = favourable.length === 0 ? null : favourable.reduce((a, b) => (long ? (b.lt(a) ? b : a) : (b.gt(a) ? b : a)));
  return {
    lower: long ? state.stop : nearest,
    upper: long ? nearest : state.stop,
    notAfter: plan.timeExit?.notAfter ?? null,
    immediate: false,
  };
}

/** The first exit-side price beyond the best one at which the trailing stop would beat the current stop by a tick. */
function trailingStep(state: ExitState): Price {
  const { plan } = state;
  const trailing = plan.trailing!;
  const distance = effectiveTrailingDistance(trailing);
  const tick = plan.tickSize;
  if (state.stop === null) return price(plan.direction === 'LONG' ? state.bestPrice.plus(tick) : state.bestPrice.minus(tick));
  if (plan.direction === 'LONG') {
    // floor(b × (1 − d)) ≥ stop + tick  ⇔  b ≥ (stop + tick) / (1 − d); the maxDistance cap's tighter line can beat the stop as soon as b × (1 − d) > stop.
    const step = state.stop.plus(tick).div(new Decimal(1).minus(distance));
    const capped = state.stop.div(new Decimal(1).minus(distance));
    return price(trailing.maxDistance !== null && capped.gt(state.bestPrice) && capped.lt(step) ? capped : step);
  }
  const step = state.stop.minus(tick).div(new Decimal(1).plus(distance));
  const capped = state.stop.div(new Decimal(1).plus(distance));
  return price(trailing.maxDistance !== null && capped.lt(state.bestPrice) && capped.gt(step) ? capped : step);
}

