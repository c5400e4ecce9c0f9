import type { ExitPlanRequestDto } from '../contracts/exit-contracts';
import { dynamicStopsNeeded, ExitPlanError, resolveExitPlanSpec } from '../domain/exits';
import type { Instrument } from '../domain/instruments/instrument';
import type { PositionDirection } from '../domain/portfolio/position-lifecycle';
import { toWire, type Decimal } from '../domain/values/decimal';
import type { Price } from '../domain/values/price';
import type { Quantity } from '../domain/values/quantity';
import type { GatewayDeps } from './gateway-deps';
import { badRequest } from './http-errors';
import { dynamicStopsFor } from './position-sizing-service';

/**
 * Makes an exit-plan request ready to sign: dynamic stops are measured now, from the stored daily
 * closes at `entryPrice`, and travel as distances from the entry (so an order's plan holds for the
 * price it actually fills at); then the whole plan is resolved once against the position it is for,
 * so a bad field is the client's 400 (naming it) before any workflow starts.
 */
export async function prepareExitPlan(
  deps: Pick<GatewayDeps, 'marketData' | 'clock'>, request: ExitPlanRequestDto,
  position: { direction: PositionDirection; entryPrice: Price; quantity: Quantity; openedAt: Date; instrument: Instrument }, fieldPrefix = '',
): Promise<ExitPlanRequestDto> {
  try {
    const needed = dynamicStopsNeeded(request);
    let prepared = request;
    if (needed !== null) {
      const { stops } = await dynamicStopsFor(deps, {
        symbol: position.instrument.symbol, side: position.direction === 'LONG' ? 'BUY' : 'SELL', entryPrice: position.entryPrice,
        tickSize: position.instrument.tickSize, fieldPrefix: `${fieldPrefix}stopLoss.dynamic.`,
        spec: {
          method: needed.method, ...(needed.lookbackDays !== null && { lookbackDays: needed.lookbackDays }),
          ...(needed.stopMultiplier !== null && { stopMultiplier: toWire(needed.stopMultiplier) }),
          ...(needed.takeProfitMultiplier !== null && { takeProfitMultiplier: toWire(needed.takeProfitMultiplier) }),
        },
      });
      const pct = (distance: Decimal) => toWire(distance.div(position.entryPrice).toDecimalPlaces(8));
      prepared = { ...request, stopLoss: { pct: pct(stops.stopDistance) }, ...(request.takeProfit === 'dynamic' && { takeProfit: { pct: pct(stops.takeProfitDistance) } }) };
    }
    resolveExitPlanSpec(prepared, {
      direction: position.direction, entryPrice: position.entryPrice, quantity: position.quantity, openedAt: position.openedAt,
      tickSize: position.instrument.tickSize, lotSize: position.instrument.lotSize,
    }, null);
    return prepared;
  } catch (err) {
    if (err instanceof ExitPlanError) throw badRequest([{ field: `${fieldPrefix}${err.field}`, rule: err.rule }]);
    throw err;
  }
}
