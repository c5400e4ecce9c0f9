import type { ExitPlan } from '../domain/exits/exit-plan';
import type { PositionDirection } from '../domain/portfolio/position-lifecycle';
import type { ExitPlanDynamicStopSpec, ExitPlanRequestOf, ExitPosition } from '../domain/exits/exit-plan-request';
import type { ExitReason, ExitState, ExitStatus, ExitTranche, ExitTriggers, StopKind } from '../domain/exits/exit-state';
import { dec, toWire, type Decimal, type DecimalString } from '../domain/values/decimal';
import { price } from '../domain/values/price';
import { quantity } from '../domain/values/quantity';

/**
 * The exit plan and state on the wires (Temporal payloads, HTTP answers, the exit_* tables): every
 * decimal an exact decimal string, every instant ISO. exitStateFromDto(exitStateToDto(s)) is s.
 */
export interface ExitLevelDto {
  readonly id: string;
  readonly profitTarget: DecimalString;
  readonly fraction: DecimalString;
  readonly moveStopTo: DecimalString | null;
}

export interface ExitPlanDto {
  readonly direction: PositionDirection;
  readonly entryPrice: DecimalString;
  readonly originalQuantity: DecimalString;
  readonly tickSize: DecimalString;
  readonly lotSize: DecimalString;
  readonly ladder: readonly ExitLevelDto[];
  readonly stopLoss: DecimalString | null;
  readonly takeProfit: DecimalString | null;
  readonly trailing: { readonly activation: DecimalString; readonly distance: DecimalString; readonly maxDistance: DecimalString | null } | null;
  readonly breakEven: { readonly trigger: DecimalString; readonly offset: DecimalString } | null;
  readonly timeExit: { readonly notAfter: string } | null;
  readonly preset: string | null;
  readonly openedAt: string;
}

export interface ExitTrancheDto {
  readonly id: string;
  readonly reason: ExitReason;
  readonly quantity: DecimalString;
  readonly triggerPrice: DecimalString | null;
  readonly filledQuantity: DecimalString;
  readonly averagePrice: DecimalString | null;
  readonly realizedPnl: DecimalString;
  readonly state: 'PENDING' | 'DONE';
}

export interface ExitStateDto {
  readonly plan: ExitPlanDto;
  readonly status: ExitStatus;
  readonly remaining: DecimalString;
  readonly stop: DecimalString | null;
  readonly stopKind: StopKind | null;
  readonly bestPrice: DecimalString;
  readonly trailingActive: boolean;
  readonly levelsDone: readonly string[];
  readonly tranches: readonly ExitTrancheDto[];
  readonly realizedPnl: DecimalString;
  readonly closing: Exclude<ExitReason, 'TARGET'> | null;
}

/**
 * The exit-plan request as JSON (POST/PATCH /v1/positions/:id/exit-plan, `exitPlan` on an order):
 * decimal strings; a dynamic stop names its method (`{ "stopLoss": { "dynamic": { "method": "ATR",
 * "multiplier": "2" } } }`) and the activity computes it (dynamicStopsNeeded, resolveExitPlanSpec).
 * `null` removes a preset's field (or, in an amendment, the plan's).
 */
export type ExitPlanRequestDto = ExitPlanRequestOf<ExitPlanDynamicStopSpec>;

export interface ExitPositionDto {
  readonly direction: PositionDirection;
  readonly entryPrice: DecimalString;
  readonly quantity: DecimalString;
  readonly openedAt: string;
  readonly tickSize: DecimalString;
  readonly lotSize: DecimalString;
}

export interface ExitTriggersDto {
  readonly lower: DecimalString | null;
  readonly upper: DecimalString | null;
  readonly notAfter: string | null;
  readonly immediate: boolean;
}

const wireOrNull = (value: Decimal | null) => (value === null ? null : toWire(value));
const priceOrNull = (value: DecimalString | null) => (value === null ? null : price(value));

export function exitPlanToDto(plan: ExitPlan): ExitPlanDto {
  return {
    direction: plan.direction,
    entryPrice: toWire(plan.entryPrice),
    originalQuantity: toWire(plan.originalQuantity),
    tickSize: toWire(plan.tickSize),
    lotSize: toWire(plan.lotSize),
    ladder: plan.ladder.map((l) => ({ id: l.id, profitTarget: toWire(l.profitTarget), fraction: toWire(l.fraction), moveStopTo: wireOrNull(l.moveStopTo) })),
    stopLoss: wireOrNull(plan.stopLoss),
    takeProfit: wireOrNull(plan.takeProfit),
    trailing: plan.trailing && { activation: toWire(plan.trailing.activation), distance: toWire(plan.trailing.distance), maxDistance: wireOrNull(plan.trailing.maxDistance) },
    breakEven: plan.breakEven && { trigger: toWire(plan.breakEven.trigger), offset: toWire(plan.breakEven.offset) },
    timeExit: plan.timeExit && { notAfter: plan.timeExit.notAfter },
    preset: plan.preset,
    openedAt: plan.openedAt,
  };
}

export function exitPlanFromDto(dto: ExitPlanDto): ExitPlan {
  return Object.freeze({
    direction: dto.direction,
    entryPrice: price(dto.entryPrice),
    originalQuantity: quantity(dto.originalQuantity),
    tickSize: price(dto.tickSize),
    lotSize: quantity(dto.lotSize),
    ladder: Object.freeze(dto.ladder.map((l) => Object.freeze({ id: l.id, profitTarget: dec(l.profitTarget), fraction: dec(l.fraction), moveStopTo: l.moveStopTo === null ? null : dec(l.moveStopTo) }))),
    stopLoss: priceOrNull(dto.stopLoss),
    takeProfit: priceOrNull(dto.takeProfit),
    trailing: dto.trailing && { activation: dec(dto.trailing.activation), distance: dec(dto.trailing.distance), maxDistance: dto.trailing.maxDistance === null ? null : dec(dto.trailing.maxDistance) },
    breakEven: dto.breakEven && { trigger: dec(dto.breakEven.trigger), offset: dec(dto.breakEven.offset) },
    timeExit: dto.timeExit && { notAfter: dto.timeExit.notAfter },
    preset: dto.preset,
    openedAt: dto.openedAt,
  });
}

export function exitTrancheToDto(t: ExitTranche): ExitTrancheDto {
  return {
    id: t.id, reason: t.reason, quantity: toWire(t.quantity), triggerPrice: wireOrNull(t.triggerPrice),
    filledQuantity: toWire(t.filledQuantity), averagePrice: wireOrNull(t.averagePrice), realizedPnl: toWire(t.realizedPnl), state: t.state,
  };
}

export function exitTrancheFromDto(dto: ExitTrancheDto): ExitTranche {
  return Object.freeze({
    id: dto.id, reason: dto.reason, quantity: quantity(dto.quantity), triggerPrice: priceOrNull(dto.triggerPrice),
    filledQuantity: quantity(dto.filledQuantity), averagePrice: priceOrNull(dto.averagePrice), realizedPnl: dec(dto.realizedPnl), state: dto.state,
  });
}

export function exitStateToDto(state: ExitState): ExitStateDto {
  return {
    plan: exitPlanToDto(state.plan),
    status: state.status,
    remaining: toWire(state.remaining),
    stop: wireOrNull(state.stop),
    stopKind: state.stopKind,
    bestPrice: toWire(state.bestPrice),
    trailingActive: state.trailingActive,
    levelsDone: [...state.levelsDone],
    tranches: state.tranches.map(exitTrancheToDto),
    realizedPnl: toWire(state.realizedPnl),
    closing: state.closing,
  };
}

export function exitStateFromDto(dto: ExitStateDto): ExitState {
  return Object.freeze({
    plan: exitPlanFromDto(dto.plan),
    status: dto.status,
    remaining: quantity(dto.remaining),
    stop: priceOrNull(dto.stop),
    stopKind: dto.stopKind,
    bestPrice: price(dto.bestPrice),
    trailingActive: dto.trailingActive,
    levelsDone: Object.freeze([...dto.levelsDone]),
    tranches: Object.freeze(dto.tranches.map(exitTrancheFromDto)),
    realizedPnl: dec(dto.realizedPnl),
    closing: dto.closing,
  });
}

export function exitPositionFromDto(dto: ExitPositionDto): ExitPosition {
  return {
    direction: dto.direction, entryPrice: price(dto.entryPrice), quantity: quantity(dto.quantity),
    openedAt: new Date(dto.openedAt), tickSize: price(dto.tickSize), lotSize: quantity(dto.lotSize),
  };
}

export function exitPositionToDto(position: ExitPosition): ExitPositionDto {
  return {
    direction: position.direction, entryPrice: toWire(position.entryPrice), quantity: toWire(position.quantity),
    openedAt: position.openedAt.toISOString(), tickSize: toWire(position.tickSize), lotSize: toWire(position.lotSize),
  };
}

export function exitTriggersToDto(triggers: ExitTriggers): ExitTriggersDto {
  return { lower: wireOrNull(triggers.lower), upper: wireOrNull(triggers.upper), notAfter: triggers.notAfter, immediate: triggers.immediate };
}
