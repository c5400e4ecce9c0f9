import { resolveRiskLimits } from '../domain/risk/risk-limits';
import {
  toDynamicStopsView, toSizingResultFields, toSizingSettingsView, type EffectiveSizingSettings, type PositionSizingView,
} from '../contracts/position-sizing-views';
import type { Instrument } from '../domain/instruments/instrument';
import type { OrderSide } from '../domain/orders/order';
import { DEFAULT_DYNAMIC_STOPS, dynamicStops, DynamicStopsError, type DynamicStops } from '../domain/sizing/dynamic-stops';
import { sizePosition, SizingError, type SizingInput, type SizingResult } from '../domain/sizing/position-sizing';
import { DEFAULT_SIZING_SETTINGS } from '../domain/sizing/sizing-settings';
import { dec, toWire } from '../domain/values/decimal';
import { Money } from '../domain/values/money';
import { price, type Price } from '../domain/values/price';
import type { Quantity } from '../domain/values/quantity';
import { exactView, moneyView } from '../contracts/wire-format';
import type { GatewayDeps } from './gateway-deps';
import { badRequest, HttpError, notFound } from './http-errors';
import type { SizingSpec, StopsSpec } from './request-schemas';

/** What sizing reads: the portfolio read model, market data, the sizing settings and the clock. */
export type PositionSizingDeps = Pick<GatewayDeps, 'portfolios' | 'riskLimits' | 'marketData' | 'sizingSettings' | 'clock'>;

export interface PositionSizingRequest {
  readonly portfolioId: string;
  readonly symbol: string;
  readonly side: OrderSide;
  /** The method, its inputs and optionally a confidence, a stop loss and the open risk (as parsed by sizingSpecSchema). */
  readonly sizing: SizingSpec;
  /** A dynamic stop loss and take profit from price history; the sizing's risk caps are then measured at its stop. */
  readonly stops?: StopsSpec;
  /** A limit order's limit: its dynamic stops are placed around it rather than around the quote. */
  readonly limitPrice?: string;
  /**
   * Where the sizing fields sit in the caller's body, for the field names of a 400: '' when they
   * are top-level (POST /v1/position-sizing), 'sizing.' inside an order. Stops: 'stops.' by default.
   */
  readonly fieldPrefix?: { readonly sizing: string; readonly stops: string };
}

export interface DynamicStopsOutcome {
  readonly stops: DynamicStops;
  /** The first and last daily close used (YYYY-MM-DD). */
  readonly history: { readonly from: string; readonly to: string };
}

export interface PositionSizingOutcome {
  /** The final quantity, on the lot grid (zero when the size rounds to nothing: see sizing.notes). */
  readonly quantity: Quantity;
  readonly price: Price;
  readonly priceSource: 'ask' | 'bid';
  readonly quoteAsOf: Date;
  readonly equity: Money;
  readonly instrument: Instrument;
  readonly settings: EffectiveSizingSettings;
  readonly sizing: SizingResult;
  /** The stop the risk caps were measured at: the given stopLoss, the dynamic stop, or null. */
  readonly stopLoss: Price | null;
  readonly stops: DynamicStopsOutcome | null;
}

/** Sizing cannot be done against the current state (no quote, a stale one, too little history…): 422 with a stable code. */
export class PositionSizingError extends HttpError {
  constructor(code: PositionSizingErrorCode, message: string, details?: Record<string, unknown>) {
    super(422, code, message, details);
  }
}
export type PositionSizingErrorCode = 'UNKNOWN_INSTRUMENT' | 'CURRENCY_MISMATCH' | 'QUOTE_MISSING' | 'QUOTE_STALE' | 'EQUITY_NOT_POSITIVE' | 'PRICE_HISTORY_TOO_SHORT';

/** The portfolio's stored sizing settings, or the defaults. */
export async function effectiveSizingSettings(deps: Pick<GatewayDeps, 'sizingSettings'>, portfolioId: string): Promise<EffectiveSizingSettings> {
  const stored = await deps.sizingSettings.find(portfolioId);
  return stored
    ? { portfolioId, settings: stored.settings, source: 'portfolio', version: stored.version, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt }
    : { portfolioId, settings: DEFAULT_SIZING_SETTINGS, source: 'default', version: 0, updatedBy: null, updatedAt: null };
}

function toSizingInput(spec: SizingSpec): SizingInput {
  switch (spec.method) {
    case 'FIXED_DOLLAR': return { method: spec.method, amount: dec(spec.amount) };
    case 'FIXED_PERCENT': return { method: spec.method, percent: dec(spec.percent) };
    case 'KELLY': return { method: spec.method, winProbability: dec(spec.winProbability), payoffRatio: dec(spec.payoffRatio), ...(spec.fraction !== undefined && { fraction: dec(spec.fraction) }) };
    case 'RISK_PARITY': return { method: spec.method, assetVolatility: dec(spec.assetVolatility), otherVolatilities: spec.otherVolatilities.map((v) => dec(v)) };
    case 'VOLATILITY_ADJUSTED': return { method: spec.method, assetVolatility: dec(spec.assetVolatility), targetVolatility: dec(spec.targetVolatility) };
    case 'CONFIDENCE_WEIGHTED': return { method: spec.method, confidence: dec(spec.confidence) };
    case 'OPTIMAL_F': return { method: spec.method, tradeResults: spec.tradeResults.map((v) => dec(v)) };
  }
}

const isoDate = (at: Date) => at.toISOString().slice(0, 10);

/**
 * A dynamic stop loss and take profit for an entry at `entryPrice`, from the symbol's stored daily
 * closes up to today (the last lookback + 1 of them). The order route may call this for an order
 * that gives a quantity and asks for stops.
 */
export async function dynamicStopsFor(
  deps: Pick<GatewayDeps, 'marketData' | 'clock'>,
  input: { readonly symbol: string; readonly side: OrderSide; readonly entryPrice: Price; readonly tickSize: Price; readonly spec: StopsSpec; readonly fieldPrefix?: string },
): Promise<DynamicStopsOutcome> {
  const { spec } = input;
  const prefix = input.fieldPrefix ?? 'stops.';
  const lookbackDays = spec.lookbackDays ?? DEFAULT_DYNAMIC_STOPS.lookbackDays[spec.method];
  const today = deps.clock.now();
  // Business days with room for holidays: 7/5 of the lookback in calendar days and two weeks more.
  const from = new Date(today.getTime() - (Math.ceil((lookbackDays * 7) / 5) + 14) * 86_400_000);
  const history = (await deps.marketData.priceHistory(input.symbol, isoDate(from), isoDate(today))).slice(-(lookbackDays + 1));
  try {
    const stops = dynamicStops({
      method: spec.method, direction: input.side === 'BUY' ? 'LONG' : 'SHORT', entryPrice: input.entryPrice, tickSize: input.tickSize,
      closes: history.map((c) => c.close), lookbackDays,
      stopMultiplier: spec.stopMultiplier !== undefined ? dec(spec.stopMultiplier) : DEFAULT_DYNAMIC_STOPS.stopMultiplier,
      takeProfitMultiplier: spec.takeProfitMultiplier !== undefined ? dec(spec.takeProfitMultiplier) : DEFAULT_DYNAMIC_STOPS.takeProfitMultiplier,
      minDistancePct: spec.minDistancePct !== undefined ? dec(spec.minDistancePct) : DEFAULT_DYNAMIC_STOPS.minDistancePct,
      maxDistancePct: spec.maxDistancePct !== undefined ? dec(spec.maxDistancePct) : DEFAULT_DYNAMIC_STOPS.maxDistancePct,
    });
    return { stops, history: { from: history[0]!.date, to: history[history.length - 1]!.date } };
  } catch (err) {
    if (!(err instanceof DynamicStopsError)) throw err;
    if (err.code === 'PRICE_HISTORY_TOO_SHORT') {
      throw new PositionSizingError('PRICE_HISTORY_TOO_SHORT', `${input.symbol} has ${history.length} daily closes since ${isoDate(from)}; a lookback of ${lookbackDays} days needs ${lookbackDays + 1}`,
        { field: `${prefix}lookbackDays`, symbol: input.symbol, lookbackDays, needed: lookbackDays + 1, available: history.length });
    }
    // Bounds given with the request (a min distance above the default max, say) are the client's to fix.
    const field = err.field === 'entryPrice' || err.field === 'tickSize' || err.field.startsWith('closes') ? 'symbol' : `${prefix}${err.field}`;
    throw badRequest([{ field, rule: err.rule }]);
  }
}

/**
 * Sizes a position for a portfolio the caller may act on (the caller checks role and scope): reads
 * the portfolio's equity, the instrument, the latest quote (the ask for a buy, the bid for a sell;
 * missing or older than the portfolio's maxQuoteAgeSeconds → 422), the portfolio's sizing settings
 * and, for dynamic stops, the price history; then sizes it (src/domain/sizing). Bad inputs are 400s
 * naming the field, a state that cannot be sized against is a PositionSizingError (422), an unknown
 * portfolio a 404. The order route calls this for an order that carries `sizing` instead of `quantity`.
 */
export async function sizePositionFor(deps: PositionSizingDeps, request: PositionSizingRequest): Promise<PositionSizingOutcome> {
  const { portfolioId, symbol, side, sizing: spec } = request;
  const prefix = request.fieldPrefix ?? { sizing: '', stops: 'stops.' };
  if (spec.stopLoss !== undefined && request.stops !== undefined) throw badRequest([{ field: `${prefix.stops.replace(/\.$/, '')}`, rule: 'give either stopLoss or stops, not both' }]);
  const [portfolio, storedLimits, instrument, sourced, settings] = await Promise.all([
    deps.portfolios.findPortfolio(portfolioId), deps.riskLimits.findPortfolioLimits(portfolioId), deps.marketData.findInstrument(symbol),
    deps.marketData.findQuote(symbol), effectiveSizingSettings(deps, portfolioId),
  ]);
  if (!portfolio || !storedLimits) throw notFound('portfolio', portfolioId);
  const limits = resolveRiskLimits(storedLimits.limits);
  if (!instrument) throw new PositionSizingError('UNKNOWN_INSTRUMENT', `${symbol} is not a known, active instrument`, { field: 'symbol', symbol });
  if (instrument.currency !== portfolio.baseCurrency) {
    throw new PositionSizingError('CURRENCY_MISMATCH', `${symbol} is quoted in ${instrument.currency}, the portfolio in ${portfolio.baseCurrency}`, { symbol, instrumentCurrency: instrument.currency, portfolioCurrency: portfolio.baseCurrency });
  }
  if (!sourced) throw new PositionSizingError('QUOTE_MISSING', `${symbol} has no quote`, { symbol });
  const { quote } = sourced;
  const ageSeconds = (deps.clock.now().getTime() - quote.asOf.getTime()) / 1000;
  if (ageSeconds > limits.maxQuoteAgeSeconds) {
    throw new PositionSizingError('QUOTE_STALE', `the quote of ${symbol} is ${Math.floor(ageSeconds)} s old; the portfolio accepts ${limits.maxQuoteAgeSeconds} s`,
      { symbol, quoteAsOf: quote.asOf.toISOString(), ageSeconds: Math.floor(ageSeconds), maxQuoteAgeSeconds: limits.maxQuoteAgeSeconds });
  }
  const equity = Money.of(portfolio.equity, portfolio.baseCurrency);
  if (!equity.isPositive()) throw new PositionSizingError('EQUITY_NOT_POSITIVE', `the portfolio's equity is ${equity.toString()}: nothing can be sized against it`, { equity: equity.toWire() });
  const priceSource = side === 'BUY' ? 'ask' : 'bid';
  const at = price(quote[priceSource]);

  let stopLoss: Price | null = null;
  let stops: DynamicStopsOutcome | null = null;
  if (request.stops) {
    const entryPrice = request.limitPrice !== undefined ? price(request.limitPrice) : at;
    stops = await dynamicStopsFor(deps, { symbol, side, entryPrice, tickSize: instrument.tickSize, spec: request.stops, fieldPrefix: prefix.stops });
    stopLoss = stops.stops.stopLoss;
  } else if (spec.stopLoss !== undefined) {
    stopLoss = price(spec.stopLoss);
    const wrongSide = side === 'BUY' ? !stopLoss.lt(at) : !stopLoss.gt(at);
    if (wrongSide) throw badRequest([{ field: `${prefix.sizing}stopLoss`, rule: `stopLoss must be ${side === 'BUY' ? 'below' : 'above'} the ${priceSource} ${toWire(at)} for a ${side}` }]);
  }

  let sizing: SizingResult;
  try {
    sizing = sizePosition(toSizingInput(spec), {
      equity, price: at, lotSize: instrument.lotSize, settings: settings.settings,
      ...(stopLoss && { stopLoss }),
      ...(spec.openRisk !== undefined && { openRisk: Money.of(spec.openRisk, equity.currency) }),
      ...(spec.confidence !== undefined && spec.method !== 'CONFIDENCE_WEIGHTED' && { confidence: dec(spec.confidence) }),
    });
  } catch (err) {
    if (err instanceof SizingError) throw badRequest([{ field: `${prefix.sizing}${err.field}`, rule: err.message.slice(err.field.length + 2) }]);
    throw err;
  }
  if (stopLoss && spec.openRisk === undefined) {
    sizing = { ...sizing, notes: [...sizing.notes, 'openRisk not given: the portfolio risk cap counted no risk from the open positions'] };
  }
  return { quantity: sizing.quantity, price: at, priceSource, quoteAsOf: quote.asOf, equity, instrument, settings, sizing, stopLoss, stops };
}

/** The answer of POST /v1/position-sizing (and the `sizing` an order may show). */
export function toPositionSizingView(request: Pick<PositionSizingRequest, 'portfolioId' | 'symbol' | 'side'>, o: PositionSizingOutcome): PositionSizingView {
  const result = toSizingResultFields(o.sizing);
  return {
    portfolioId: request.portfolioId, symbol: request.symbol, side: request.side, method: result.method,
    price: exactView(o.price), priceSource: o.priceSource, quoteAsOf: o.quoteAsOf.toISOString(),
    equity: moneyView(o.equity), currency: o.equity.currency, lotSize: exactView(o.instrument.lotSize),
    settings: toSizingSettingsView(o.settings),
    rawNotional: result.rawNotional, rawQuantity: result.rawQuantity, adjustments: result.adjustments,
    quantity: result.quantity, notional: result.notional,
    stopLoss: o.stopLoss ? exactView(o.stopLoss) : null, riskAtStop: result.riskAtStop,
    stops: o.stops ? toDynamicStopsView(o.stops.stops, o.stops.history) : null,
    notes: result.notes,
  };
}
