import { dec, toWire } from '../domain/values/decimal';
import { price, type Price } from '../domain/values/price';
import { HttpError } from './http-errors';
import { dynamicStopsFor, PositionSizingError, sizePositionFor } from './position-sizing-service';
import type { PlaceOrderBody } from './request-schemas';
import { evaluateStrategySignals, type SignalEvaluationDeps } from './signal-evaluation-service';
import type { Instrument } from '../domain/instruments/instrument';
import type { OrderSide } from '../domain/orders/order';
import type { TradingSignal } from '../domain/signals/trading-signal';

/** An order body whose side is known (given, or from its strategies' signals). */
export type DirectedOrderBody = Omit<PlaceOrderBody, 'side' | 'signal'> & { readonly side: OrderSide; readonly signal?: TradingSignal };

/**
 * An order placed `fromSignals` takes its side and its signal from the combination of the
 * strategies' signals by the portfolio's weights; a combination that says not to trade is a 422
 * that says why, and a given side that disagrees with it is a 422 too.
 */
export async function resolveOrderDirection(deps: SignalEvaluationDeps, body: PlaceOrderBody): Promise<DirectedOrderBody> {
  const { fromSignals, ...rest } = body;
  if (fromSignals === undefined) return { ...rest, side: body.side! };
  const { side, signal, evaluation } = await evaluateStrategySignals(deps, { portfolioId: body.portfolioId, signals: fromSignals.signals, ...(fromSignals.weights && { weights: fromSignals.weights }) }, { fieldPrefix: 'fromSignals.' });
  if (side === null) {
    throw new HttpError(422, 'SIGNALS_SAY_DO_NOT_TRADE', `the combined signal does not trade: ${evaluation.explanation}`, { direction: evaluation.direction, reasons: evaluation.reasons });
  }
  if (body.side !== undefined && body.side !== side) {
    throw new HttpError(422, 'SIDE_CONFLICTS_WITH_SIGNALS', `the order says ${body.side} but the combined signal says ${side}`, { side: body.side, signalsSide: side });
  }
  return { ...rest, side, signal };
}

/** The quantity and stops an order is placed with, once its sizing and dynamic stops are worked out. */
export interface ResolvedOrderTerms {
  readonly quantity: string;
  /** Canonical decimal strings. */
  readonly stops?: { readonly stopLoss: string | null; readonly takeProfit: string | null };
  /** True when the quantity came from a sizing method (a retry may size differently). */
  readonly sized: boolean;
}

/**
 * Where an order enters, with its instrument: a limit order at its limit, a market order at the side
 * of the book it takes (null without a quote). Dynamic stops and an exit plan are placed around it.
 */
export async function orderEntry(deps: Pick<Parameters<typeof sizePositionFor>[0], 'marketData'>, order: { readonly symbol: string; readonly side: OrderSide; readonly limitPrice?: string | undefined }): Promise<{ instrument: Instrument | null; entry: Price | null }> {
  const [instrument, sourced] = await Promise.all([deps.marketData.findInstrument(order.symbol), deps.marketData.findQuote(order.symbol)]);
  const entry = order.limitPrice !== undefined ? price(order.limitPrice) : sourced ? (order.side === 'BUY' ? sourced.quote.ask : sourced.quote.bid) : null;
  return { instrument, entry };
}

const wire = (p: Price | null | undefined) => (p === null || p === undefined ? null : toWire(p));

/**
 * Turns `sizing` into a quantity (rounded down to the lot; a size of zero is a 422 that says why)
 * and `stops: {method, …}` into prices, both from the portfolio's equity, the latest quote, its
 * sizing settings and the stored price history; fixed stops and quantities pass through.
 */
export async function resolveOrderTerms(deps: Parameters<typeof sizePositionFor>[0], body: DirectedOrderBody): Promise<ResolvedOrderTerms> {
  const dynamicStops = body.stops !== undefined && 'method' in body.stops ? body.stops : undefined;
  const fixedStops = body.stops !== undefined && !('method' in body.stops) ? body.stops : undefined;
  const canonical = (v: string | undefined) => (v === undefined ? null : toWire(dec(v)));
  const fixed = fixedStops && { stopLoss: canonical(fixedStops.stopLoss), takeProfit: canonical(fixedStops.takeProfit) };
  if (body.sizing !== undefined) {
    const outcome = await sizePositionFor(deps, {
      portfolioId: body.portfolioId, symbol: body.symbol, side: body.side, sizing: body.sizing,
      ...(dynamicStops && { stops: dynamicStops }), ...(body.limitPrice !== undefined && { limitPrice: body.limitPrice }), fieldPrefix: { sizing: 'sizing.', stops: 'stops.' },
    });
    if (outcome.quantity.isZero()) {
      throw new HttpError(422, 'SIZE_ROUNDS_TO_ZERO', `the ${body.sizing.method} size of ${body.symbol} is zero lots: ${outcome.sizing.notes.join('; ') || 'nothing to place'}`,
        { rawQuantity: toWire(outcome.sizing.rawQuantity), lotSize: toWire(outcome.instrument.lotSize), notes: outcome.sizing.notes });
    }
    const stops = outcome.stops ? { stopLoss: wire(outcome.stops.stops.stopLoss), takeProfit: wire(outcome.stops.stops.takeProfit) }
      : outcome.stopLoss ? { stopLoss: wire(outcome.stopLoss), takeProfit: null } : fixed;
    return { quantity: toWire(outcome.quantity), sized: true, ...(stops && { stops }) };
  }
  const quantity = toWire(dec(body.quantity!));
  if (dynamicStops === undefined) return { quantity, sized: false, ...(fixed && { stops: fixed }) };
  const { instrument, entry } = await orderEntry(deps, body);
  if (!instrument) throw new PositionSizingError('UNKNOWN_INSTRUMENT', `${body.symbol} is not a known, active instrument`, { field: 'symbol' });
  if (entry === null) throw new PositionSizingError('QUOTE_MISSING', `${body.symbol} has no quote to place dynamic stops around`, { field: 'stops' });
  const { stops } = await dynamicStopsFor(deps, { symbol: body.symbol, side: body.side, entryPrice: entry, tickSize: instrument.tickSize, spec: dynamicStops });
  return { quantity, sized: false, stops: { stopLoss: wire(stops.stopLoss), takeProfit: wire(stops.takeProfit) } };
}
