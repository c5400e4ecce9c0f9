import { STOP_METHODS, type DynamicStops, type StopMethod } from '../sizing/dynamic-stops';
import { Decimal, isDecimalString, isMultipleOf } from '../values/decimal';
import { price, type Price } from '../values/price';
import { quantity, type Quantity } from '../values/quantity';
import { planInvalid } from './exit-plan-error';
import { EXIT_PRESETS, EXIT_PRESET_NAMES, type ExitPresetName } from './exit-presets';
import {
  stopPriceAtProfit, targetPrice, type ExitLevel, type ExitPlan, type TrailingStop,
} from './exit-plan';
import type { PositionDirection } from '../portfolio/position-lifecycle';

/**
 * The exit-plan request as the HTTP route and the workflow carry it: decimal strings, fractions of
 * the entry price (targets, stop and take-profit `pct`, moves) and of the original quantity
 * (ladder fractions). Every field is optional; a preset fills what the request leaves out, and
 * `null` removes a preset's field. Errors name the field with 0-based indexes: `ladder.2.fraction`
 * is the third level's fraction.
 *
 * `D` is the dynamic stop: the request on the wire names a method (ExitPlanDynamicStopSpec), the
 * activity computes the DynamicStops (src/domain/sizing/dynamic-stops.ts) and resolves the plan
 * with them (resolveExitPlanSpec).
 */
export interface ExitLadderLevelRequest {
  readonly profitTarget: string;
  readonly fraction: string;
  readonly moveStopTo?: string;
}

export type ExitStopLossRequestOf<D> = { readonly pct: string } | { readonly price: string } | { readonly dynamic: D };
export type ExitTakeProfitRequest = { readonly pct: string } | { readonly price: string } | 'dynamic';

export interface ExitPlanRequestOf<D> {
  readonly preset?: ExitPresetName;
  readonly ladder?: readonly ExitLadderLevelRequest[] | null;
  /** Levels at entry ± multiple × R, R = |entry − stop loss| (a stop loss is required); fractions default to an equal split. */
  readonly rMultiples?: { readonly multiples: readonly string[]; readonly fractions?: readonly string[] } | null;
  readonly stopLoss?: ExitStopLossRequestOf<D> | null;
  /** 'dynamic' takes the dynamic stops' take-profit: it needs `stopLoss: { dynamic }` in the same request. */
  readonly takeProfit?: ExitTakeProfitRequest | null;
  readonly trailing?: { readonly activation: string; readonly distance: string; readonly maxDistance?: string } | null;
  /** At profit >= trigger the stop moves to entry(+offset); offset defaults to 0 (break-even). */
  readonly breakEven?: { readonly trigger: string; readonly offset?: string } | null;
  /** maxHoldingSeconds counts from the position's openedAt. */
  readonly timeExit?: { readonly maxHoldingSeconds: number } | { readonly notAfter: string } | null;
}

/** The request with its dynamic stops already computed. */
export type ExitPlanRequest = ExitPlanRequestOf<DynamicStops>;

/** How the wire asks for a dynamic stop: the activity computes it from the stored price history. */
export interface ExitPlanDynamicStopSpec {
  readonly method: StopMethod;
  /** Stop distance = multiplier × volatility (default: the dynamic stops' default). */
  readonly multiplier?: string;
  readonly takeProfitMultiplier?: string;
  readonly lookbackDays?: number;
}

/** The request as it arrives on the wire. */
export type ExitPlanRequestSpec = ExitPlanRequestOf<ExitPlanDynamicStopSpec>;

/** The position an exit plan is for. */
export interface ExitPosition {
  readonly direction: PositionDirection;
  readonly entryPrice: Price;
  readonly quantity: Quantity;
  readonly openedAt: Date;
  readonly tickSize: Price;
  readonly lotSize: Quantity;
}

// ---------------------------------------------------------------------------------------------
// Field parsing: every value may come from JSON, so nothing is trusted to have its declared type.

export function decimalField(value: unknown, field: string): Decimal {
  if (!isDecimalString(value)) throw planInvalid(field, 'must be a decimal string');
  return new Decimal(value);
}

function positive(value: unknown, field: string): Decimal {
  const d = decimalField(value, field);
  if (!d.gt(0)) throw planInvalid(field, 'must be greater than zero');
  return d;
}

function fractionBelowOne(value: unknown, field: string): Decimal {
  const d = positive(value, field);
  if (!d.lt(1)) throw planInvalid(field, 'must be below 1 (a fraction of the price)');
  return d;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export type ExitPlanBasis = Pick<ExitPlan, 'direction' | 'entryPrice' | 'tickSize' | 'lotSize' | 'originalQuantity' | 'openedAt'>;

function onGridPrice(value: unknown, field: string, basis: ExitPlanBasis): Price {
  const p = positive(value, field);
  if (!isMultipleOf(p, basis.tickSize)) throw planInvalid(field, `must be on the tick grid ${basis.tickSize.toFixed()}`);
  return price(p);
}

/** A ladder, its level ids numbered from `firstNumber` ('L<firstNumber>', ...). */
export function resolveLadder(value: unknown, basis: ExitPlanBasis, firstNumber: number, field = 'ladder'): ExitLevel[] {
  if (!Array.isArray(value)) throw planInvalid(field, 'must be an array of levels');
  const levels = value.map((raw: unknown, i): ExitLevel => {
    const at = `${field}.${i}`;
    if (!isObject(raw)) throw planInvalid(at, 'must be an object { profitTarget, fraction, moveStopTo? }');
    const profitTarget = positive(raw.profitTarget, `${at}.profitTarget`);
    if (basis.direction === 'SHORT' && !profitTarget.lt(1)) throw planInvalid(`${at}.profitTarget`, 'must be below 1 for a short (a price cannot fall below zero)');
    const fraction = positive(raw.fraction, `${at}.fraction`);
    if (fraction.gt(1)) throw planInvalid(`${at}.fraction`, 'must be at most 1 (a fraction of the original quantity)');
    let moveStopTo: Decimal | null = null;
    if (raw.moveStopTo !== undefined && raw.moveStopTo !== null) {
      moveStopTo = decimalField(raw.moveStopTo, `${at}.moveStopTo`);
      if (!moveStopTo.lt(profitTarget)) throw planInvalid(`${at}.moveStopTo`, 'must be below the level\'s profitTarget (else the stop would sit above the price that reached the level)');
      if (!moveStopTo.gt(-1)) throw planInvalid(`${at}.moveStopTo`, 'must be above -1');
      if (!stopPriceAtProfit(basis, moveStopTo).gt(0)) throw planInvalid(`${at}.moveStopTo`, 'puts the stop at or below zero');
    }
    return { id: `L${firstNumber + i}`, profitTarget, fraction, moveStopTo };
  });
  levels.forEach((level, i) => {
    const previous = levels[i - 1];
    if (previous && !level.profitTarget.gt(previous.profitTarget)) {
      throw planInvalid(`${field}.${i}.profitTarget`, `must be above ${field}.${i - 1}.profitTarget (levels ascend)`);
    }
  });
  return levels;
}

function resolveRMultiples(value: unknown, basis: ExitPlanBasis, stopLoss: Price | null, firstNumber: number): ExitLevel[] {
  if (!isObject(value) || !Array.isArray(value.multiples)) throw planInvalid('rMultiples', 'must be { multiples: string[], fractions?: string[] }');
  if (stopLoss === null) throw planInvalid('rMultiples', 'needs a stop loss (R is the distance from the entry to the stop)');
  const risk = basis.entryPrice.minus(stopLoss).times(basis.direction === 'LONG' ? 1 : -1);
  if (!risk.gt(0)) throw planInvalid('stopLoss', `must be ${basis.direction === 'LONG' ? 'below' : 'above'} the entry price for R multiples`);
  const multiples = value.multiples.map((m: unknown, i) => positive(m, `rMultiples.multiples.${i}`));
  if (multiples.length === 0) throw planInvalid('rMultiples.multiples', 'must name at least one multiple');
  multiples.forEach((m, i) => {
    const previous = multiples[i - 1];
    if (previous && !m.gt(previous)) throw planInvalid(`rMultiples.multiples.${i}`, `must be above rMultiples.multiples.${i - 1} (levels ascend)`);
  });
  let fractions: Decimal[];
  if (value.fractions === undefined || value.fractions === null) {
    // An equal split whose last share is the exact rest, so the fractions sum to exactly 1.
    const share = new Decimal(1).div(multiples.length);
    fractions = multiples.map((_, i) => (i === multiples.length - 1 ? new Decimal(1).minus(share.times(multiples.length - 1)) : share));
  } else {
    if (!Array.isArray(value.fractions) || value.fractions.length !== multiples.length) {
      throw planInvalid('rMultiples.fractions', `must have one fraction per multiple (${multiples.length})`);
    }
    fractions = value.fractions.map((f: unknown, i) => {
      const d = positive(f, `rMultiples.fractions.${i}`);
      if (d.gt(1)) throw planInvalid(`rMultiples.fractions.${i}`, 'must be at most 1 (a fraction of the original quantity)');
      return d;
    });
  }
  return multiples.map((m, i) => {
    const profitTarget = m.times(risk).div(basis.entryPrice);
    if (basis.direction === 'SHORT' && !profitTarget.lt(1)) throw planInvalid(`rMultiples.multiples.${i}`, 'puts the target at or below zero');
    return { id: `L${firstNumber + i}`, profitTarget, fraction: fractions[i]!, moveStopTo: null };
  });
}

export function resolveStopLoss(value: unknown, basis: ExitPlanBasis): Price {
  if (!isObject(value)) throw planInvalid('stopLoss', 'must be { pct }, { price } or { dynamic }');
  if ('pct' in value) {
    const stop = stopPriceAtProfit(basis, fractionBelowOne(value.pct, 'stopLoss.pct').neg());
    if (!stop.gt(0)) throw planInvalid('stopLoss.pct', 'puts the stop at or below zero on the tick grid');
    return stop;
  }
  if ('price' in value) return onGridPrice(value.price, 'stopLoss.price', basis);
  if ('dynamic' in value) return dynamicStops(value.dynamic, basis).stopLoss;
  throw planInvalid('stopLoss', 'must be { pct }, { price } or { dynamic }');
}

function dynamicStops(value: unknown, basis: ExitPlanBasis): DynamicStops {
  if (!isObject(value) || !(value.stopLoss instanceof Decimal) || !(value.takeProfit instanceof Decimal)) {
    throw planInvalid('stopLoss.dynamic', 'needs the dynamic stops computed by the caller (resolveExitPlanSpec)');
  }
  const stops = value as unknown as DynamicStops;
  if (stops.direction !== basis.direction) throw planInvalid('stopLoss.dynamic', `were computed for a ${stops.direction} position, this one is ${basis.direction}`);
  // Computed on the caller's grid; put on this plan's grid, stop looser and target farther, as the plan's rules say.
  const distanceOf = (level: Decimal) => level.minus(basis.entryPrice).div(basis.entryPrice).times(basis.direction === 'LONG' ? 1 : -1);
  return { ...stops, stopLoss: stopPriceAtProfit(basis, distanceOf(stops.stopLoss)), takeProfit: targetPrice(basis, distanceOf(stops.takeProfit)) };
}

export function resolveTakeProfit(value: unknown, basis: ExitPlanBasis, stopLossRequest: unknown): Price {
  let target: Price;
  if (value === 'dynamic') {
    if (!isObject(stopLossRequest) || !('dynamic' in stopLossRequest)) throw planInvalid('takeProfit', '"dynamic" needs stopLoss: { dynamic } in the same request');
    target = dynamicStops(stopLossRequest.dynamic, basis).takeProfit;
  } else if (isObject(value) && 'pct' in value) {
    const pct = positive(value.pct, 'takeProfit.pct');
    if (basis.direction === 'SHORT' && !pct.lt(1)) throw planInvalid('takeProfit.pct', 'must be below 1 for a short (a price cannot fall below zero)');
    target = targetPrice(basis, pct);
    if (!target.gt(0)) throw planInvalid('takeProfit.pct', 'puts the target at or below zero on the tick grid');
  } else if (isObject(value) && 'price' in value) {
    target = onGridPrice(value.price, 'takeProfit.price', basis);
  } else {
    throw planInvalid('takeProfit', 'must be { pct }, { price } or "dynamic"');
  }
  const favourable = basis.direction === 'LONG' ? target.gt(basis.entryPrice) : target.lt(basis.entryPrice);
  if (!favourable) throw planInvalid('takeProfit', `must be ${basis.direction === 'LONG' ? 'above' : 'below'} the entry price`);
  return target;
}

export function resolveTrailing(value: unknown): TrailingStop {
  if (!isObject(value)) throw planInvalid('trailing', 'must be { activation, distance, maxDistance? }');
  const activation = decimalField(value.activation, 'trailing.activation');
  if (activation.isNegative()) throw planInvalid('trailing.activation', 'must not be negative');
  const distance = fractionBelowOne(value.distance, 'trailing.distance');
  const maxDistance = value.maxDistance === undefined || value.maxDistance === null ? null : fractionBelowOne(value.maxDistance, 'trailing.maxDistance');
  return { activation, distance, maxDistance };
}

export function resolveBreakEven(value: unknown, basis: ExitPlanBasis): NonNullable<ExitPlan['breakEven']> {
  if (!isObject(value)) throw planInvalid('breakEven', 'must be { trigger, offset? }');
  const trigger = positive(value.trigger, 'breakEven.trigger');
  const offset = value.offset === undefined || value.offset === null ? new Decimal(0) : decimalField(value.offset, 'breakEven.offset');
  if (!offset.lt(trigger)) throw planInvalid('breakEven.offset', 'must be below breakEven.trigger (else the stop would sit above the price that triggered it)');
  if (!stopPriceAtProfit(basis, offset).gt(0)) throw planInvalid('breakEven.offset', 'puts the stop at or below zero');
  return { trigger, offset };
}

export function resolveTimeExit(value: unknown, basis: ExitPlanBasis): NonNullable<ExitPlan['timeExit']> {
  if (!isObject(value)) throw planInvalid('timeExit', 'must be { maxHoldingSeconds } or { notAfter }');
  const openedAt = new Date(basis.openedAt).getTime();
  if ('maxHoldingSeconds' in value) {
    const seconds = value.maxHoldingSeconds;
    if (typeof seconds !== 'number' || !Number.isInteger(seconds) || seconds <= 0 || seconds > 100 * 365 * 86400) {
      throw planInvalid('timeExit.maxHoldingSeconds', 'must be a whole number of seconds above zero');
    }
    return { notAfter: new Date(openedAt + seconds * 1000).toISOString() };
  }
  if ('notAfter' in value) {
    const at = typeof value.notAfter === 'string' ? Date.parse(value.notAfter) : NaN;
    if (Number.isNaN(at)) throw planInvalid('timeExit.notAfter', 'must be an ISO instant');
    if (at <= openedAt) throw planInvalid('timeExit.notAfter', 'must be after the position opened');
    return { notAfter: new Date(at).toISOString() };
  }
  throw planInvalid('timeExit', 'must be { maxHoldingSeconds } or { notAfter }');
}

export function checkLadderTotal(ladder: readonly ExitLevel[], field = 'ladder'): void {
  let total = new Decimal(0);
  ladder.forEach((level, i) => {
    total = total.plus(level.fraction);
    if (total.gt(1)) throw planInvalid(`${field}.${i}.fraction`, 'takes the ladder\'s fractions above 1 (of the original quantity)');
  });
}

function resolveBasis(position: ExitPosition): ExitPlanBasis {
  const check = (value: unknown, field: string) => {
    if (!(value instanceof Decimal) || !value.isFinite() || !value.gt(0)) throw planInvalid(`position.${field}`, 'must be greater than zero');
  };
  check(position.entryPrice, 'entryPrice');
  check(position.quantity, 'quantity');
  check(position.tickSize, 'tickSize');
  check(position.lotSize, 'lotSize');
  if (position.direction !== 'LONG' && position.direction !== 'SHORT') throw planInvalid('position.direction', 'must be LONG or SHORT');
  if (!(position.openedAt instanceof Date) || Number.isNaN(position.openedAt.getTime())) throw planInvalid('position.openedAt', 'must be a valid date');
  return {
    direction: position.direction, entryPrice: position.entryPrice, originalQuantity: quantity(position.quantity),
    tickSize: position.tickSize, lotSize: position.lotSize, openedAt: position.openedAt.toISOString(),
  };
}

/** The request's value for a field, else the preset's; `null` in the request removes the preset's. */
function pick<K extends keyof ExitPlanRequest>(request: ExitPlanRequest, preset: Partial<Record<string, unknown>>, key: K): unknown {
  const own = request[key];
  return own !== undefined ? own : preset[key];
}

/**
 * Resolves a request (with its dynamic stops computed) into a plan for the position. Throws
 * ExitPlanError('EXIT_PLAN_INVALID', field, rule) on the first field at fault.
 */
export function resolveExitPlan(request: ExitPlanRequest, position: ExitPosition): ExitPlan {
  if (!isObject(request)) throw planInvalid('request', 'must be an object');
  const basis = resolveBasis(position);
  let preset: Partial<Record<string, unknown>> = {};
  const presetName: unknown = request.preset ?? null;
  if (presetName !== null) {
    if (!EXIT_PRESET_NAMES.includes(presetName as ExitPresetName)) throw planInvalid('preset', `must be one of ${EXIT_PRESET_NAMES.join(', ')}`);
    preset = EXIT_PRESETS[presetName as ExitPresetName];
  }
  const stopLossRequest = pick(request, preset, 'stopLoss');
  const stopLoss = stopLossRequest === undefined || stopLossRequest === null ? null : resolveStopLoss(stopLossRequest, basis);
  const takeProfitRequest = pick(request, preset, 'takeProfit');
  const takeProfit = takeProfitRequest === undefined || takeProfitRequest === null ? null : resolveTakeProfit(takeProfitRequest, basis, stopLossRequest);
  if (stopLoss && takeProfit && !(basis.direction === 'LONG' ? stopLoss.lt(takeProfit) : stopLoss.gt(takeProfit))) {
    throw planInvalid('takeProfit', `must be ${basis.direction === 'LONG' ? 'above' : 'below'} the stop loss`);
  }
  let ladder: ExitLevel[] = [];
  if (request.ladder !== undefined && request.ladder !== null && request.rMultiples !== undefined && request.rMultiples !== null) {
    throw planInvalid('rMultiples', 'give either ladder or rMultiples, not both');
  }
  if (request.rMultiples !== undefined && request.rMultiples !== null) ladder = resolveRMultiples(request.rMultiples, basis, stopLoss, 1);
  else {
    const ladderRequest = pick(request, preset, 'ladder');
    if (ladderRequest !== undefined && ladderRequest !== null) ladder = resolveLadder(ladderRequest, basis, 1);
  }
  checkLadderTotal(ladder, request.rMultiples ? 'rMultiples' : 'ladder');
  const trailingRequest = pick(request, preset, 'trailing');
  const breakEvenRequest = pick(request, preset, 'breakEven');
  const timeExitRequest = pick(request, preset, 'timeExit');
  return {
    ...basis,
    ladder,
    stopLoss,
    takeProfit,
    trailing: trailingRequest === undefined || trailingRequest === null ? null : resolveTrailing(trailingRequest),
    breakEven: breakEvenRequest === undefined || breakEvenRequest === null ? null : resolveBreakEven(breakEvenRequest, basis),
    timeExit: timeExitRequest === undefined || timeExitRequest === null ? null : resolveTimeExit(timeExitRequest, basis),
    preset: presetName as ExitPresetName | null,
  };
}

/** What the caller must compute before resolving a wire request: null when it asks for no dynamic stop. */
export interface DynamicStopsNeeded {
  readonly method: StopMethod;
  readonly stopMultiplier: Decimal | null;
  readonly takeProfitMultiplier: Decimal | null;
  readonly lookbackDays: number | null;
}

/** Reads (and checks) the dynamic-stop part of a wire request, so the activity knows what to compute. */
export function dynamicStopsNeeded(spec: ExitPlanRequestSpec): DynamicStopsNeeded | null {
  if (!isObject(spec)) throw planInvalid('request', 'must be an object');
  const stopLoss: unknown = spec.stopLoss;
  if (spec.takeProfit === 'dynamic' && !(isObject(stopLoss) && 'dynamic' in stopLoss)) {
    throw planInvalid('takeProfit', '"dynamic" needs stopLoss: { dynamic } in the same request');
  }
  if (!isObject(stopLoss) || !('dynamic' in stopLoss)) return null;
  const dynamic = stopLoss.dynamic;
  if (!isObject(dynamic) || typeof dynamic.method !== 'string' || !Object.keys(STOP_METHODS).includes(dynamic.method)) {
    throw planInvalid('stopLoss.dynamic.method', `must be one of ${Object.keys(STOP_METHODS).join(', ')}`);
  }
  const optionalPositive = (value: unknown, field: string) => (value === undefined || value === null ? null : positive(value, field));
  const lookbackDays = dynamic.lookbackDays;
  if (lookbackDays !== undefined && lookbackDays !== null && (typeof lookbackDays !== 'number' || !Number.isInteger(lookbackDays) || lookbackDays < 1)) {
    throw planInvalid('stopLoss.dynamic.lookbackDays', 'must be a whole number of days above zero');
  }
  return {
    method: dynamic.method as StopMethod,
    stopMultiplier: optionalPositive(dynamic.multiplier, 'stopLoss.dynamic.multiplier'),
    takeProfitMultiplier: optionalPositive(dynamic.takeProfitMultiplier, 'stopLoss.dynamic.takeProfitMultiplier'),
    lookbackDays: typeof lookbackDays === 'number' ? lookbackDays : null,
  };
}

/** The wire request with its dynamic-stop spec replaced by the stops the caller computed. */
export function withDynamicStops(spec: ExitPlanRequestSpec, stops: DynamicStops | null): ExitPlanRequest {
  const needed = dynamicStopsNeeded(spec);
  if (needed === null) return spec as ExitPlanRequestOf<never>;
  if (stops === null) throw planInvalid('stopLoss.dynamic', 'needs the dynamic stops computed by the caller');
  if (stops.method !== needed.method) throw planInvalid('stopLoss.dynamic.method', `asks for ${needed.method}, the stops were computed by ${stops.method}`);
  return { ...spec, stopLoss: { dynamic: stops } };
}

/** Resolves a wire request, given the dynamic stops its `stopLoss.dynamic` asks for (null when it asks for none). */
export function resolveExitPlanSpec(spec: ExitPlanRequestSpec, position: ExitPosition, stops: DynamicStops | null): ExitPlan {
  return resolveExitPlan(withDynamicStops(spec, stops), position);
}
