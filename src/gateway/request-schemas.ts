import { z } from 'zod';
import { ASSET_CLASSES } from '../domain/instruments/instrument';
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES } from '../domain/orders/order';
import { SHORT_HISTORY_POLICIES } from '../domain/risk/risk-limits';
import { ACCOUNT_STATUSES, TRADING_STATES } from '../domain/risk/trading-state';
import { dec, type Decimal } from '../domain/values/decimal';
import { ALLOCATION_TYPES, BUDGET_METRICS } from '../domain/analytics';
import { REBALANCE_MODES, REBALANCE_OPTIMIZER_OBJECTIVES, REBALANCE_STATUSES } from '../contracts/rebalance-contracts';
import { backfillDates, isIsoDate, RunDatesError } from '../domain/daily-risk/run-dates';
import { DAILY_LIMIT_KINDS } from '../domain/daily-risk/limit-breaches';

// At most 13 integer digits: quantity × price then fits numeric(38,12) (26 integer digits).
const DECIMAL = /^(0|[1-9]\d{0,12})(\.\d{1,12})?$/;
const decimal = (what: string) => z.string({ error: `${what} must be a decimal string such as "10.5"` })
  .regex(DECIMAL, `${what} must be a non-negative decimal string below 10^13 with at most 12 decimal places, such as "10.5"`);
const positiveDecimal = (what: string) => decimal(what).refine((v) => /[1-9]/.test(v), `${what} must be greater than zero`);
const symbol = z.string({ error: 'symbol is required' }).regex(/^[A-Z0-9][A-Z0-9.\-/]{0,19}$/, 'symbol must be 1-20 upper-case letters, digits, ".", "-" or "/"');
/** UUIDs in any case, lower-cased before any id is derived from them (order ids, workflow ids, search attributes). */
const uuid = z.string().uuid('must be a UUID').transform((id) => id.toLowerCase());

const ISO_4217 = new Set(Intl.supportedValuesOf('currency'));
const currencyCode = (what: string) => z.string({ error: `${what} is required` })
  .refine((code) => ISO_4217.has(code), `${what} must be an ISO 4217 currency code such as "USD"`);

/** `limit` of a list: a plain whole number from 1 to 500 (no exponent, sign, space or fraction). */
const listLimit = z.string().regex(/^[1-9][0-9]{0,2}$/, 'limit must be a whole number from 1 to 500').transform(Number)
  .refine((n) => n <= 500, 'limit must be a whole number from 1 to 500').optional().transform((n) => n ?? 100);

const orderStrategyId = (what: string) => z.string({ error: `${what} is required` }).min(1).max(64).regex(/^[\w.:-]+$/, `${what} may hold letters, digits, "_", ".", ":" and "-"`);
const signalNumber = (what: string) => z.number({ error: `${what} must be a number` }).min(0, `${what} must be between 0 and 1`).max(1, `${what} must be between 0 and 1`);

/** A strategy's view behind an order (statistics, so plain numbers). */
export const tradingSignalBody = z.strictObject({
  strategyId: orderStrategyId('signal.strategyId'),
  confidence: signalNumber('confidence'),
  probabilities: z.strictObject({ up: signalNumber('up'), down: signalNumber('down'), flat: signalNumber('flat') })
    .refine((p) => Math.abs(p.up + p.down + p.flat - 1) <= 1e-6, 'probabilities must sum to 1').optional(),
  expectedReturn: z.number({ error: 'expectedReturn must be a number' }).min(-1).max(100).optional(),
  maxLoss: z.number({ error: 'maxLoss must be a number' }).min(0).max(1).optional(),
});

export const listOrdersQuery = z.object({
  portfolioId: uuid,
  status: z.enum(ORDER_STATUSES).optional(),
  limit: listLimit,
});

export const createPortfolioBody = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(100),
  baseCurrency: currencyCode('baseCurrency').default('USD'),
  initialCash: decimal('initialCash'),
  accountId: z.string().min(1).max(64).default('paper'),
});

const fraction = (what: string) => positiveDecimal(what);
const unitFraction = (what: string) => decimal(what).refine((v) => !dec(v).gt(1), `${what} must be between 0 and 1`);
const wholeNumber = (what: string, min: number, max: number) =>
  z.number({ error: `${what} must be a whole number` }).int(`${what} must be a whole number`).min(min, `${what} must be at least ${min}`).max(max, `${what} must be at most ${max}`);
const TIME_ZONES = new Set([...Intl.supportedValuesOf('timeZone'), 'UTC']);
const symbolList = (what: string) => z.array(symbol).max(10000).superRefine((symbols, ctx) => {
  const repeated = symbols.filter((s, i) => symbols.indexOf(s) !== i);
  if (repeated.length > 0) ctx.addIssue({ code: 'custom', message: `${what} lists ${[...new Set(repeated)].join(', ')} more than once` });
});

/** A portfolio's limits: every field optional; absent or null takes the default (PUT replaces all, PATCH changes the given ones). */
export const riskLimitsBody = z.strictObject({
  maxOrderValue: positiveDecimal('maxOrderValue').nullish(),
  maxOrderQuantity: positiveDecimal('maxOrderQuantity').nullish(),
  maxPositionPctOfEquity: fraction('maxPositionPctOfEquity').nullish(),
  maxOpenPositions: wholeNumber('maxOpenPositions', 0, 10000).nullish(),
  maxOpenPositionsPerStrategy: wholeNumber('maxOpenPositionsPerStrategy', 0, 10000).nullish(),
  maxGrossLeverage: fraction('maxGrossLeverage').nullish(),
  maxSectorExposurePct: fraction('maxSectorExposurePct').nullish(),
  maxCorrelation: unitFraction('maxCorrelation').nullish(),
  correlationLookbackDays: wholeNumber('correlationLookbackDays', 5, 1000).nullish(),
  correlationMinObservations: wholeNumber('correlationMinObservations', 2, 1000).nullish(),
  correlationOnShortHistory: z.enum(SHORT_HISTORY_POLICIES, { error: `correlationOnShortHistory must be one of ${SHORT_HISTORY_POLICIES.join(', ')}` }).nullish(),
  maxDailyLoss: positiveDecimal('maxDailyLoss').nullish(),
  tradingDayTimeZone: z.string().refine((zone) => TIME_ZONES.has(zone), 'tradingDayTimeZone must be an IANA time zone such as "America/New_York"').nullish(),
  maxDailyTrades: wholeNumber('maxDailyTrades', 0, 1_000_000).nullish(),
  maxOrdersPerWindow: wholeNumber('maxOrdersPerWindow', 1, 1_000_000).nullish(),
  orderRateWindowSeconds: wholeNumber('orderRateWindowSeconds', 1, 86400).nullish(),
  priceCollarPct: unitFraction('priceCollarPct').refine((v) => /[1-9]/.test(v), 'priceCollarPct must be greater than zero').nullish(),
  minSignalConfidence: unitFraction('minSignalConfidence').nullish(),
  signalProbabilityMargin: unitFraction('signalProbabilityMargin').nullish(),
  allowedSymbols: symbolList('allowedSymbols').nullish(),
  maxQuoteAgeSeconds: wholeNumber('maxQuoteAgeSeconds', 1, 7 * 24 * 3600).nullish(),
  allowShort: z.boolean({ error: 'allowShort must be true or false' }).nullish(),
});
export type RiskLimitsBody = z.infer<typeof riskLimitsBody>;

export const accountLimitsBody = z.strictObject({
  maxOrderValue: positiveDecimal('maxOrderValue').nullable().default(null),
  maxOrderQuantity: positiveDecimal('maxOrderQuantity').nullable().default(null),
  maxDailyTrades: wholeNumber('maxDailyTrades', 0, 1_000_000).nullable().default(null),
  allowedSymbols: symbolList('allowedSymbols').nullable().default(null),
});

export const instrumentLimitsBody = z.strictObject({
  maxOrderValue: positiveDecimal('maxOrderValue').nullable().default(null),
  maxOrderQuantity: positiveDecimal('maxOrderQuantity').nullable().default(null),
  priceCollarPct: unitFraction('priceCollarPct').refine((v) => /[1-9]/.test(v), 'priceCollarPct must be greater than zero').nullable().default(null),
});

const reason = z.string({ error: 'reason is required' }).trim().min(1, 'reason must not be empty').max(500, 'reason must be at most 500 characters');
export const tradingStateBody = z.strictObject({
  state: z.enum(TRADING_STATES, { error: `state must be one of ${TRADING_STATES.join(', ')}` }),
  reason,
});
export const accountStatusBody = z.strictObject({
  status: z.enum(ACCOUNT_STATUSES, { error: `status must be one of ${ACCOUNT_STATUSES.join(', ')}` }),
  reason,
});
export const accountIdParams = z.object({ id: z.string().min(1).max(64).regex(/^[\w.:-]+$/, 'account id may hold letters, digits, "_", ".", ":" and "-"') });
export const effectiveLimitsQuery = z.object({ symbol: symbol.optional() });

export const setQuoteBody = z.strictObject({
  last: positiveDecimal('last'),
  bid: positiveDecimal('bid').optional(),
  ask: positiveDecimal('ask').optional(),
  asOf: z.string().datetime({ offset: true, message: 'asOf must be an ISO-8601 timestamp' }).optional(),
});

export const listPortfoliosQuery = z.object({ limit: listLimit });

export const instrumentBody = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  assetClass: z.enum(ASSET_CLASSES, { error: `assetClass must be one of ${ASSET_CLASSES.join(', ')}` }),
  currency: currencyCode('currency'),
  tickSize: positiveDecimal('tickSize'),
  lotSize: positiveDecimal('lotSize'),
  minNotional: decimal('minNotional').default('0'),
  sector: z.string().trim().min(1, 'sector must not be empty').max(100),
});

export const portfolioIdParams = z.object({ id: uuid });
export const orderIdParams = z.object({ id: uuid });
export const positionIdParams = z.object({ id: uuid });
export const symbolParams = z.object({ symbol });

// ── Position sizing and dynamic stops ────────────────────────────────────────────────────────────

const SIGNED_DECIMAL = /^-?(0|[1-9]\d{0,12})(\.\d{1,12})?$/;
/**
 * A field's value for a cross-field rule, or null when the field itself is bad: zod runs object
 * refinements after a field's own rule failed, and that failure is already reported.
 */
const validDecimal = (value: string | undefined, valid: (v: Decimal) => boolean): Decimal | null => {
  if (value === undefined || !DECIMAL.test(value)) return null;
  const parsed = dec(value);
  return valid(parsed) ? parsed : null;
};
const inShareOfOne = (v: Decimal) => v.gt(0) && v.lte(1);
const inBelowOne = (v: Decimal) => v.gt(0) && v.lt(1);
/** A value rule on a decimal string; a string that is no decimal is already reported by the pattern (zod runs both). */
const decimalRule = (valid: (v: Decimal) => boolean) => (value: string) => !DECIMAL.test(value) || valid(dec(value));
/** (0, 1]: a share of equity, a fraction of Kelly. */
const shareOfOne = (what: string) => positiveDecimal(what).refine(decimalRule((v) => v.lte(1)), `${what} must be greater than 0 and at most 1`);
/** [0, 1]: a probability or a confidence. */
const probability = (what: string) => decimal(what).refine(decimalRule((v) => v.lte(1)), `${what} must be between 0 and 1`);
/** (0, 1): a distance from the entry price as a fraction of it. */
const belowOne = (what: string) => positiveDecimal(what).refine(decimalRule((v) => v.lt(1)), `${what} must be greater than 0 and below 1`);

export const STOP_METHOD_NAMES = ['ATR', 'STDDEV'] as const;

/** `stops` of a sizing request (and of an order): a dynamic stop loss and take profit from volatility. */
export const stopsSpecSchema = z.strictObject({
  method: z.enum(STOP_METHOD_NAMES, { error: `stops.method must be one of ${STOP_METHOD_NAMES.join(', ')}` }),
  lookbackDays: z.number({ error: 'lookbackDays must be a whole number' }).int('lookbackDays must be a whole number').min(1, 'lookbackDays must be at least 1').max(1000, 'lookbackDays must be at most 1000').optional(),
  stopMultiplier: positiveDecimal('stopMultiplier').optional(),
  takeProfitMultiplier: positiveDecimal('takeProfitMultiplier').optional(),
  minDistancePct: belowOne('minDistancePct').optional(),
  maxDistancePct: belowOne('maxDistancePct').optional(),
}).superRefine((stops, ctx) => {
  if (stops.method === 'STDDEV' && stops.lookbackDays === 1) ctx.addIssue({ code: 'custom', path: ['lookbackDays'], message: 'lookbackDays must be at least 2 for STDDEV (a sample standard deviation needs two returns)' });
  const min = validDecimal(stops.minDistancePct, inBelowOne);
  const max = validDecimal(stops.maxDistancePct, inBelowOne);
  if (min && max && min.gt(max)) {
    ctx.addIssue({ code: 'custom', path: ['minDistancePct'], message: 'minDistancePct must not be above maxDistancePct' });
  }
});
export type StopsSpec = z.infer<typeof stopsSpecSchema>;

/** Fields every sizing method accepts besides its own. */
const sizingCommon = {
  confidence: probability('confidence').optional(),
  stopLoss: positiveDecimal('stopLoss').optional(),
  openRisk: decimal('openRisk').optional(),
};
const volatility = (what: string) => positiveDecimal(what);

/** One strict shape per sizing method: its own inputs beside the common ones. */
const sizingVariants = [
  z.strictObject({ ...sizingCommon, method: z.literal('FIXED_DOLLAR'), amount: positiveDecimal('amount') }),
  z.strictObject({ ...sizingCommon, method: z.literal('FIXED_PERCENT'), percent: shareOfOne('percent') }),
  z.strictObject({ ...sizingCommon, method: z.literal('KELLY'), winProbability: probability('winProbability'), payoffRatio: positiveDecimal('payoffRatio'), fraction: shareOfOne('fraction').optional() }),
  z.strictObject({ ...sizingCommon, method: z.literal('RISK_PARITY'), assetVolatility: volatility('assetVolatility'),
    otherVolatilities: z.array(volatility('otherVolatilities'), { error: 'otherVolatilities must be an array of decimal strings' }).max(1000, 'otherVolatilities may hold at most 1000 entries') }),
  z.strictObject({ ...sizingCommon, method: z.literal('VOLATILITY_ADJUSTED'), assetVolatility: volatility('assetVolatility'), targetVolatility: volatility('targetVolatility') }),
  z.strictObject({ ...sizingCommon, method: z.literal('CONFIDENCE_WEIGHTED'), confidence: probability('confidence') }),
  z.strictObject({ ...sizingCommon, method: z.literal('OPTIMAL_F'),
    tradeResults: z.array(z.string({ error: 'tradeResults must hold decimal strings such as "-12.5"' }).regex(SIGNED_DECIMAL, 'tradeResults must hold decimal strings below 10^13 in size with at most 12 decimal places, such as "-12.5"'),
      { error: 'tradeResults must be an array of decimal strings' }).min(1, 'tradeResults must not be empty').max(10000, 'tradeResults may hold at most 10000 entries') }),
] as const;

export const SIZING_METHOD_NAMES = sizingVariants.map((v) => v.shape.method.value);
const methodError = { error: (issue: { code: string }) => (issue.code === 'invalid_union' ? `method must be one of ${SIZING_METHOD_NAMES.join(', ')}` : undefined) };

/** A sizing spec: a method, its inputs, and optionally a confidence, a stop loss and the open risk. An order may carry one as `sizing`. */
export const sizingSpecSchema = z.discriminatedUnion('method', sizingVariants, methodError);
export type SizingSpec = z.infer<typeof sizingSpecSchema>;

/** The input fields of each sizing method, `method` aside, and whether each is required: read off the schema itself. */
export function sizingMethodFields(): Record<string, Array<{ name: string; required: boolean }>> {
  return Object.fromEntries(sizingVariants.map((v) => [v.shape.method.value,
    Object.entries(v.shape).filter(([name]) => name !== 'method').map(([name, schema]) => ({ name, required: !schema.isOptional() }))]));
}

const sizingRequest = { portfolioId: uuid, symbol, side: z.enum(ORDER_SIDES, { error: `side must be one of ${ORDER_SIDES.join(', ')}` }), stops: stopsSpecSchema.optional() };
const withRequest = <T extends (typeof sizingVariants)[number]>(variant: T) => variant.extend(sizingRequest);

/** `POST /v1/position-sizing`: the sizing spec's fields at the top level, beside what is sized and the optional stops. */
export const positionSizingBody = z.discriminatedUnion('method', [
  withRequest(sizingVariants[0]), withRequest(sizingVariants[1]), withRequest(sizingVariants[2]), withRequest(sizingVariants[3]),
  withRequest(sizingVariants[4]), withRequest(sizingVariants[5]), withRequest(sizingVariants[6]),
], methodError).superRefine((body, ctx) => {
  if (body.stopLoss !== undefined && body.stops !== undefined) ctx.addIssue({ code: 'custom', path: ['stops'], message: 'give either stopLoss or stops, not both' });
});
export type PositionSizingBody = z.infer<typeof positionSizingBody>;

/** `PUT /v1/portfolios/:id/sizing-settings`: every setting; `expectedVersion` (0: none stored yet) guards against a lost update. */
export const sizingSettingsBody = z.strictObject({
  maxPortfolioRisk: shareOfOne('maxPortfolioRisk'),
  maxPositionRisk: shareOfOne('maxPositionRisk'),
  baseSize: shareOfOne('baseSize'),
  confidenceMultiplier: positiveDecimal('confidenceMultiplier'),
  kellyFraction: shareOfOne('kellyFraction'),
  minConfidence: shareOfOne('minConfidence'),
  expectedVersion: z.number({ error: 'expectedVersion must be a whole number' }).int('expectedVersion must be a whole number').min(0, 'expectedVersion must not be negative').optional(),
}).superRefine((body, ctx) => {
  const position = validDecimal(body.maxPositionRisk, inShareOfOne);
  const portfolio = validDecimal(body.maxPortfolioRisk, inShareOfOne);
  if (position && portfolio && position.gt(portfolio)) ctx.addIssue({ code: 'custom', path: ['maxPositionRisk'], message: 'maxPositionRisk must not be above maxPortfolioRisk' });
});

// Signal combination (src/domain/signals/signal-combination.ts). Statistics are JSON numbers.
const STRATEGY_ID = /^[a-z][a-z0-9_]{0,63}$/;
const STRATEGY_ID_RULE = 'must be 1-64 lower-case letters, digits or "_", starting with a letter, such as "trend_following"';
const strategyId = z.string({ error: 'strategyId is required' }).regex(STRATEGY_ID, `strategyId ${STRATEGY_ID_RULE}`);
const unitNumber = (what: string) => z.number({ error: `${what} must be a number from 0 to 1` })
  .min(0, `${what} must be a number from 0 to 1`).max(1, `${what} must be a number from 0 to 1`);
/** Most strategies a portfolio weights, and most signals one evaluation combines. */
export const MAX_STRATEGIES = 50;
export const MAX_STRATEGY_WEIGHT = 1_000_000;

/** Relative weights by strategy id: each from 0 to 10^6, at least one above 0; unlisted strategies weigh 0. */
export const strategyWeightsSchema = z.record(
  z.string().regex(STRATEGY_ID, `a strategy id ${STRATEGY_ID_RULE}`),
  z.number({ error: 'a weight must be a number' }).min(0, 'a weight must be 0 or more').max(MAX_STRATEGY_WEIGHT, `a weight must be at most ${MAX_STRATEGY_WEIGHT}`),
  {
    error: (issue) => issue.code === 'invalid_key' ? `a strategy id ${STRATEGY_ID_RULE}`
      : issue.code === 'invalid_type' ? 'weights must be an object of strategy id to weight, such as {"trend_following": 0.25}' : undefined,
  },
).superRefine((weights, ctx) => {
  const entries = Object.entries(weights);
  if (entries.length > MAX_STRATEGIES) ctx.addIssue({ code: 'custom', message: `weights may name at most ${MAX_STRATEGIES} strategies` });
  if (!entries.some(([, w]) => w > 0)) ctx.addIssue({ code: 'custom', message: 'at least one weight must be greater than 0' });
});

/** One strategy's call: direction, strength and confidence in [0, 1], optional probabilities and expected return. */
export const strategySignalSchema = z.strictObject({
  strategyId,
  direction: z.enum(['BUY', 'SELL', 'HOLD'], { error: 'direction must be one of BUY, SELL, HOLD' }),
  strength: unitNumber('strength'),
  confidence: unitNumber('confidence'),
  probabilities: z.strictObject({ up: unitNumber('up'), down: unitNumber('down'), flat: unitNumber('flat') })
    .refine((p) => Math.abs(p.up + p.down + p.flat - 1) <= 1e-6, 'probabilities up, down and flat must sum to 1')
    .optional(),
  expectedReturn: z.number({ error: 'expectedReturn must be a number' })
    .min(-1, 'expectedReturn must be a fraction from -1 to 10 (0.012 = 1.2 %)').max(10, 'expectedReturn must be a fraction from -1 to 10 (0.012 = 1.2 %)').optional(),
});

/** 1 to 50 signals, one per strategy. Reusable by any body that carries strategy signals. */
export const strategySignalsSchema = z.array(strategySignalSchema, { error: 'signals must be a list of strategy signals' })
  .min(1, 'signals must hold at least one signal').max(MAX_STRATEGIES, `signals may hold at most ${MAX_STRATEGIES} signals`)
  .superRefine((signals, ctx) => {
    const seen = new Set<string>();
    signals.forEach((s, i) => {
      if (seen.has(s.strategyId)) ctx.addIssue({ code: 'custom', path: [i, 'strategyId'], message: `strategyId ${s.strategyId} reports more than once` });
      seen.add(s.strategyId);
    });
  });

export const evaluateSignalsBody = z.strictObject({
  portfolioId: uuid,
  symbol: symbol.optional(),
  signals: strategySignalsSchema,
  weights: strategyWeightsSchema.optional(),
});
export type EvaluateSignalsBody = z.infer<typeof evaluateSignalsBody>;

export const strategyWeightsBody = z.strictObject({
  weights: strategyWeightsSchema,
  minStrength: unitNumber('minStrength').optional(),
  minConfidence: unitNumber('minConfidence').optional(),
  minAgreement: unitNumber('minAgreement').optional(),
});

export const placeOrderBody = z.strictObject({
  portfolioId: uuid,
  symbol,
  /** Required unless `fromSignals` gives it. */
  side: z.enum(ORDER_SIDES, { error: `side must be one of ${ORDER_SIDES.join(', ')}` }).optional(),
  /** Place the order from strategies' signals combined by the portfolio's weights: they give the side and the signal. */
  fromSignals: z.strictObject({ signals: strategySignalsSchema, weights: strategyWeightsSchema.optional() }).optional(),
  type: z.enum(ORDER_TYPES, { error: `type must be one of ${ORDER_TYPES.join(', ')}` }).default('MARKET'),
  quantity: positiveDecimal('quantity').optional(),
  /** Instead of a quantity: size the order with a sizing method (see POST /v1/position-sizing). */
  sizing: sizingSpecSchema.optional(),
  limitPrice: positiveDecimal('limitPrice').optional(),
  execute: z.boolean({ error: 'execute must be true or false' }).default(true),
  clientRequestId: z.string().min(1).max(128).regex(/^[\w.:-]+$/, 'clientRequestId may hold letters, digits, "_", ".", ":" and "-"').optional(),
  strategyId: orderStrategyId('strategyId').optional(),
  signal: tradingSignalBody.optional(),
  /** Fixed prices, or a dynamic stop loss and take profit from volatility (`method` ATR or STDDEV). */
  stops: z.union([
    stopsSpecSchema,
    z.strictObject({ stopLoss: positiveDecimal('stopLoss').optional(), takeProfit: positiveDecimal('takeProfit').optional() })
      .refine((s) => s.stopLoss !== undefined || s.takeProfit !== undefined, 'stops needs a stopLoss or a takeProfit, or a method'),
  ], { error: 'stops must be {stopLoss, takeProfit} or {method: ATR | STDDEV, …}' }).optional(),
  /** The exit plan the position gets once the order fills (see POST /v1/positions/:id/exit-plan); its fields are checked by the exit domain. */
  exitPlan: z.record(z.string(), z.unknown(), { error: 'exitPlan must be an object' }).optional(),
}).superRefine((body, ctx) => {
  if (body.fromSignals === undefined && body.side === undefined) ctx.addIssue({ code: 'custom', path: ['side'], message: `side is required (one of ${ORDER_SIDES.join(', ')}) unless fromSignals gives it` });
  if (body.fromSignals !== undefined && body.signal !== undefined) ctx.addIssue({ code: 'custom', path: ['signal'], message: 'give either signal or fromSignals, not both' });
  if ((body.quantity === undefined) === (body.sizing === undefined)) {
    ctx.addIssue({ code: 'custom', path: ['quantity'], message: 'give either quantity or sizing, not both and not neither' });
  }
  if (body.sizing?.stopLoss !== undefined && body.stops !== undefined) {
    ctx.addIssue({ code: 'custom', path: ['stops'], message: 'give the stop either as sizing.stopLoss or as stops, not both' });
  }
  if (body.strategyId !== undefined && body.signal !== undefined && body.signal.strategyId !== body.strategyId) {
    ctx.addIssue({ code: 'custom', path: ['signal', 'strategyId'], message: 'signal.strategyId must equal strategyId when both are given' });
  }
  if (body.type === 'LIMIT' && body.limitPrice === undefined) ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: 'limitPrice is required for a LIMIT order' });
  if (body.type === 'MARKET' && body.limitPrice !== undefined) ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: 'limitPrice is only allowed on a LIMIT order' });
});
export type PlaceOrderBody = z.infer<typeof placeOrderBody>;

/** Up to 100 orders to check at once, each as `POST /v1/orders` takes it; nothing is placed, so no idempotency key. */
export const validateOrdersBody = z.strictObject({
  orders: z.array(placeOrderBody, { error: 'orders must be an array of orders' }).min(1, 'orders must hold at least one order').max(100, 'orders may hold at most 100 orders'),
}).superRefine((body, ctx) => {
  body.orders.forEach((o, i) => {
    if (o.clientRequestId !== undefined) ctx.addIssue({ code: 'custom', path: ['orders', i, 'clientRequestId'], message: 'clientRequestId is not allowed when validating: nothing is placed' });
    if (o.sizing !== undefined) ctx.addIssue({ code: 'custom', path: ['orders', i, 'sizing'], message: 'sizing is not supported when validating: give a quantity (POST /v1/position-sizing sizes one)' });
    if (o.fromSignals !== undefined) ctx.addIssue({ code: 'custom', path: ['orders', i, 'fromSignals'], message: 'fromSignals is not supported when validating: give a side and a signal (POST /v1/signals/evaluate combines them)' });
  });
});

/** Daily closes as JSON: `{ "prices": [{ "symbol", "date", "close" }] }`, or CSV text in `csv` (long or wide). */
export const priceHistoryBody = z.union([
  z.strictObject({ prices: z.array(z.strictObject({ symbol: z.string(), date: z.string(), close: z.string({ error: 'close must be a decimal string such as "101.25"' }) })).min(1, 'prices must hold at least one close').max(2_000_000) }),
  z.strictObject({ csv: z.string().min(1, 'csv must not be empty') }),
], { error: 'send { "prices": [{ "symbol", "date", "close" }] } or { "csv": "…" }, or the CSV itself as text/csv' });

// Analytics (float analytics: JSON numbers). Shapes are checked here, the math's own conditions
// (a covariance that is positive semi-definite, feasible constraints) by the computation.
const finite = (what: string) => z.number({ error: `${what} must be a number` }).refine(Number.isFinite, `${what} must be a finite number`);
const assetName = z.string().min(1, 'an asset name must not be empty').max(64);
const numbers = (what: string, min = 1) => z.array(finite(what), { error: `${what} must be an array of numbers` }).min(min, `${what} needs at least ${min} value${min > 1 ? 's' : ''}`).max(100_000);
const MAX_ASSETS = 2000;

function checkAssets(assets: readonly string[], ctx: z.RefinementCtx): void {
  const repeated = assets.filter((a, i) => assets.indexOf(a) !== i);
  if (repeated.length > 0) ctx.addIssue({ code: 'custom', path: ['assets'], message: `assets lists ${[...new Set(repeated)].slice(0, 5).join(', ')} more than once` });
}

/**
 * expectedReturns + covariance, or returns per asset, matching `assets` in length and order; or a
 * portfolioId (its holdings and stored closes over lookbackDays), never both.
 */
function checkMarketInputs(body: { assets?: readonly string[] | undefined; portfolioId?: string | undefined; expectedReturns?: readonly number[] | undefined; covariance?: ReadonlyArray<readonly number[]> | undefined; returns?: ReadonlyArray<readonly number[]> | undefined }, ctx: z.RefinementCtx): void {
  const explicit = body.expectedReturns !== undefined || body.covariance !== undefined;
  if (body.portfolioId !== undefined) {
    if (explicit || body.returns !== undefined || body.assets !== undefined) ctx.addIssue({ code: 'custom', path: ['portfolioId'], message: 'give portfolioId (its holdings and stored closes), or assets with their returns or expectedReturns and covariance, not both' });
    return;
  }
  if (body.assets === undefined) {
    ctx.addIssue({ code: 'custom', path: ['assets'], message: 'assets is required (or portfolioId)' });
    return;
  }
  const n = body.assets.length;
  if (explicit && body.returns !== undefined) ctx.addIssue({ code: 'custom', path: ['returns'], message: 'give either expectedReturns and covariance, or returns, not both' });
  if (!explicit && body.returns === undefined) ctx.addIssue({ code: 'custom', path: ['returns'], message: 'give expectedReturns and covariance (annualised), or returns (per asset)' });
  if (explicit) {
    if (body.expectedReturns === undefined) ctx.addIssue({ code: 'custom', path: ['expectedReturns'], message: 'expectedReturns is required with covariance' });
    else if (body.expectedReturns.length !== n) ctx.addIssue({ code: 'custom', path: ['expectedReturns'], message: `expectedReturns has ${body.expectedReturns.length} values for ${n} assets` });
    if (body.covariance === undefined) ctx.addIssue({ code: 'custom', path: ['covariance'], message: 'covariance is required with expectedReturns' });
    else {
      const cov = body.covariance;
      if (cov.length !== n || cov.some((row) => row.length !== n)) ctx.addIssue({ code: 'custom', path: ['covariance'], message: `covariance must be a square ${n} × ${n} matrix (one row and column per asset)` });
      else {
        for (let i = 0; i < n; i++) {
          if (!(cov[i]![i]! >= 0)) {
            ctx.addIssue({ code: 'custom', path: ['covariance', i, i], message: `covariance[${i}][${i}] is a variance and must not be negative` });
            return;
          }
          for (let j = i + 1; j < n; j++) {
            const a = cov[i]![j]!;
            const b = cov[j]![i]!;
            if (Math.abs(a - b) > 1e-10 * Math.max(1, Math.abs(a), Math.abs(b))) {
              ctx.addIssue({ code: 'custom', path: ['covariance', i, j], message: `covariance must be symmetric: [${i}][${j}] = ${a} but [${j}][${i}] = ${b}` });
              return;
            }
          }
        }
      }
    }
  }
  if (body.returns !== undefined) {
    if (body.returns.length !== n) ctx.addIssue({ code: 'custom', path: ['returns'], message: `returns has ${body.returns.length} series for ${n} assets` });
    const length = body.returns[0]?.length ?? 0;
    const uneven = body.returns.findIndex((r) => r.length !== length);
    if (uneven >= 0) ctx.addIssue({ code: 'custom', path: ['returns', uneven], message: `every asset's returns must cover the same periods: ${body.returns[uneven]!.length} values, not ${length}` });
  }
}

const portfolioSource = {
  portfolioId: uuid.optional(),
  lookbackDays: z.number().int('lookbackDays must be a whole number').min(2, 'lookbackDays must be at least 2').max(5000, 'lookbackDays must be at most 5000').optional(),
};
const marketInputs = {
  ...portfolioSource,
  assets: z.array(assetName, { error: 'assets must be an array of asset names' }).min(1, 'assets needs at least one asset').max(MAX_ASSETS, `at most ${MAX_ASSETS} assets`).optional(),
  expectedReturns: numbers('expectedReturns').optional(),
  covariance: z.array(numbers('covariance'), { error: 'covariance must be an array of rows' }).optional(),
  returns: z.array(numbers('returns', 2), { error: 'returns must be one array of period returns per asset' }).optional(),
  riskFreeRate: finite('riskFreeRate').optional(),
  estimators: z.strictObject({
    expectedReturns: z.enum(['mean', 'geometric']).optional(),
    covariance: z.enum(['sample', 'ledoit_wolf']).optional(),
  }).optional(),
  /** A covariance that is not positive semi-definite: refused (default), or its negative eigenvalues clipped to 0. */
  covarianceRepair: z.enum(['reject', 'spectral'], { error: 'covarianceRepair must be reject or spectral' }).optional(),
};

const bound = z.tuple([finite('bound'), finite('bound')], { error: 'a bound is [min, max]' });
export const optimisationConstraintsSchema = z.strictObject({
  longOnly: z.boolean().optional(),
  minWeight: finite('minWeight').optional(),
  maxWeight: finite('maxWeight').optional(),
  bounds: z.record(assetName, bound).optional(),
  sectors: z.record(assetName, z.string().min(1)).optional(),
  maxSectorWeight: z.union([finite('maxSectorWeight'), z.record(z.string(), finite('maxSectorWeight'))]).optional(),
  currentWeights: z.record(assetName, finite('currentWeights')).optional(),
  maxTurnover: finite('maxTurnover').refine((v) => v >= 0, 'maxTurnover must not be negative').optional(),
});

export const OPTIMISATION_OBJECTIVES = ['min_variance', 'max_sharpe', 'max_return', 'efficient_return', 'risk_parity', 'max_diversification', 'black_litterman', 'consensus'] as const;

export const optimizeBody = z.strictObject({
  ...marketInputs,
  objective: z.enum(OPTIMISATION_OBJECTIVES, { error: `objective must be one of ${OPTIMISATION_OBJECTIVES.join(', ')}` }),
  /** consensus: the objectives whose weights are averaged (default min_variance, max_sharpe, risk_parity, max_diversification). */
  objectives: z.array(z.enum(OPTIMISATION_OBJECTIVES.filter((o) => o !== 'consensus') as [string, ...string[]])).min(1).max(7).optional(),
  targetVolatility: finite('targetVolatility').optional(),
  targetReturn: finite('targetReturn').optional(),
  riskBudgets: z.record(assetName, finite('riskBudgets')).optional(),
  constraints: optimisationConstraintsSchema.optional(),
  marketWeights: z.record(assetName, finite('marketWeights')).optional(),
  views: z.strictObject({ P: z.array(numbers('views.P')), Q: numbers('views.Q'), omega: z.array(numbers('views.omega')).optional() }).optional(),
  tau: finite('tau').optional(),
  delta: finite('delta').optional(),
}).superRefine((body, ctx) => {
  checkAssets(body.assets ?? [], ctx);
  checkMarketInputs(body, ctx);
  const assets = body.assets ?? [];
  if (body.objective === 'max_return' && body.targetVolatility === undefined) ctx.addIssue({ code: 'custom', path: ['targetVolatility'], message: 'targetVolatility is required for objective max_return' });
  if (body.objective === 'efficient_return' && body.targetReturn === undefined) ctx.addIssue({ code: 'custom', path: ['targetReturn'], message: 'targetReturn is required for objective efficient_return' });
  if (body.objective === 'black_litterman' && body.marketWeights === undefined) ctx.addIssue({ code: 'custom', path: ['marketWeights'], message: 'marketWeights is required for objective black_litterman' });
  if (body.views && body.views.P.length !== body.views.Q.length) ctx.addIssue({ code: 'custom', path: ['views', 'Q'], message: `views has ${body.views.P.length} rows of P but ${body.views.Q.length} values of Q` });
  checkBudgetBounds(body, ctx);
  if (body.portfolioId === undefined) {
    body.views?.P.forEach((row, i) => {
      if (row.length !== assets.length) ctx.addIssue({ code: 'custom', path: ['views', 'P', i], message: `each row of P needs one value per asset (${assets.length})` });
    });
  }
  for (const [field, map] of [['constraints.bounds', body.constraints?.bounds], ['constraints.currentWeights', body.constraints?.currentWeights], ['constraints.sectors', body.constraints?.sectors], ['marketWeights', body.marketWeights], ['riskBudgets', body.riskBudgets]] as const) {
    const unknown = body.portfolioId !== undefined ? [] : Object.keys(map ?? {}).filter((a) => !assets.includes(a));
    if (unknown.length > 0) ctx.addIssue({ code: 'custom', path: field.split('.'), message: `${field} names assets not in assets: ${unknown.slice(0, 5).join(', ')}` });
  }
});
export type OptimizeBody = z.infer<typeof optimizeBody>;

/** Bounds that cannot sum to 1 are a malformed request (400); other conflicts the optimiser names (422). */
function checkBudgetBounds(body: { assets?: string[] | undefined; constraints?: z.infer<typeof optimisationConstraintsSchema> | undefined }, ctx: z.RefinementCtx): void {
  if (body.assets === undefined) return;
  const c = body.constraints ?? {};
  const low = c.minWeight ?? (c.longOnly === false ? -1 : 0);
  const high = c.maxWeight ?? 1;
  let sumLow = 0;
  let sumHigh = 0;
  for (const a of body.assets) {
    sumLow += c.bounds?.[a]?.[0] ?? low;
    sumHigh += c.bounds?.[a]?.[1] ?? high;
  }
  if (sumHigh < 1 - 1e-12) ctx.addIssue({ code: 'custom', path: ['constraints'], message: `the weights' upper bounds sum to ${+sumHigh.toFixed(12)} < 1: the budget (weights sum to 1) cannot be met` });
  if (sumLow > 1 + 1e-12) ctx.addIssue({ code: 'custom', path: ['constraints'], message: `the weights' lower bounds sum to ${+sumLow.toFixed(12)} > 1: the budget (weights sum to 1) cannot be met` });
}

export const efficientFrontierBody = z.strictObject({
  ...marketInputs,
  points: z.number().int('points must be a whole number').min(2, 'points must be at least 2').max(200, 'points must be at most 200').default(20),
  constraints: optimisationConstraintsSchema.optional(),
}).superRefine((body, ctx) => {
  checkAssets(body.assets ?? [], ctx);
  checkMarketInputs(body, ctx);
  checkBudgetBounds(body, ctx);
});

export const performanceBody = z.strictObject({
  returns: numbers('returns', 2),
  benchmarkReturns: numbers('benchmarkReturns', 2).optional(),
  riskFreeRate: finite('riskFreeRate').optional(),
  periodsPerYear: z.number().int().min(1).max(100_000).optional(),
  rollingWindow: z.number().int().min(2).optional(),
}).superRefine((body, ctx) => {
  if (body.benchmarkReturns && body.benchmarkReturns.length !== body.returns.length) {
    ctx.addIssue({ code: 'custom', path: ['benchmarkReturns'], message: `benchmarkReturns has ${body.benchmarkReturns.length} periods, returns ${body.returns.length}` });
  }
});

export const riskBody = z.strictObject({
  ...portfolioSource,
  returns: z.union([numbers('returns', 2), z.array(numbers('returns', 2))], { error: 'returns must be one series, or one series per asset with weights' }).optional(),
  assets: z.array(assetName).optional(),
  weights: z.union([numbers('weights'), z.record(assetName, finite('weights'))]).optional(),
  sectors: z.record(assetName, z.string().min(1)).optional(),
  betas: z.record(assetName, finite('betas')).optional(),
  dates: z.array(z.string()).optional(),
  scenarios: z.array(z.strictObject({ name: z.string().min(1).max(100), shocks: z.record(z.string(), finite('shock')) })).max(100).optional(),
  benchmarkReturns: numbers('benchmarkReturns', 2).optional(),
  confidences: z.array(finite('confidences').refine((c) => c > 0 && c < 1, 'a confidence must be between 0 and 1')).min(1).max(10).optional(),
  includeCorrelation: z.boolean().optional(),
}).superRefine((body, ctx) => {
  if (body.portfolioId !== undefined) {
    if (body.returns !== undefined || body.weights !== undefined || body.assets !== undefined) ctx.addIssue({ code: 'custom', path: ['portfolioId'], message: 'give portfolioId (its holdings and stored closes), or returns, not both' });
    return;
  }
  if (body.returns === undefined) {
    ctx.addIssue({ code: 'custom', path: ['returns'], message: 'returns is required (one series, or one per asset with weights), or portfolioId' });
    return;
  }
  const perAsset = Array.isArray(body.returns[0]);
  if (perAsset && body.weights === undefined) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'weights are required with per-asset returns' });
  if (!perAsset && body.weights !== undefined) ctx.addIssue({ code: 'custom', path: ['weights'], message: 'weights need per-asset returns (an array of series)' });
  if (!perAsset && body.scenarios !== undefined) ctx.addIssue({ code: 'custom', path: ['scenarios'], message: 'scenarios need per-asset returns with weights (a single series has no positions to shock)' });
  if (perAsset) {
    const series = body.returns as number[][];
    const length = series[0]!.length;
    const uneven = series.findIndex((r) => r.length !== length);
    if (uneven >= 0) ctx.addIssue({ code: 'custom', path: ['returns', uneven], message: `every asset's returns must cover the same periods: ${series[uneven]!.length} values, not ${length}` });
    const n = series.length;
    if (Array.isArray(body.weights) && body.weights.length !== n) ctx.addIssue({ code: 'custom', path: ['weights'], message: `weights has ${body.weights.length} values for ${n} series` });
    if (body.assets && body.assets.length !== n) ctx.addIssue({ code: 'custom', path: ['assets'], message: `assets has ${body.assets.length} names for ${n} series` });
    if (body.weights && !Array.isArray(body.weights) && !body.assets) ctx.addIssue({ code: 'custom', path: ['assets'], message: 'assets are required when weights are keyed by asset' });
  }
});

const attributionHolding = z.strictObject({
  id: z.string().min(1).max(64), weight: finite('weight'), return: finite('return'), groups: z.record(z.string(), z.string()).optional(),
});
export const attributionBody = z.strictObject({
  periods: z.array(z.strictObject({ portfolio: z.array(attributionHolding).max(5000), benchmark: z.array(attributionHolding).max(5000), label: z.string().max(64).optional() }))
    .min(1, 'periods needs at least one period').max(10_000),
  groupBy: z.string().min(1, 'groupBy names "symbol" or a key of the holdings\' groups'),
  method: z.enum(['brinson-hood-beebower', 'brinson-fachler']).optional(),
  linking: z.enum(['carino', 'grap']).optional(),
  top: z.number().int().min(1).max(100).optional(),
});

/** Budget entities with their own return series; the definition's fields are checked (and named) by the computation. */
export const RISK_BUDGET_ENTITY_TYPES = ['asset', 'sector', 'strategy'] as const;
const budgetEntities = z.array(z.strictObject({
  id: z.string().min(1).max(64), weight: finite('weight'), returns: numbers('returns', 2),
  confidence: finite('confidence').optional(), sector: z.string().optional(), beta: finite('beta').optional(),
})).min(1, 'entities needs at least one entity').max(2000);
const positiveNumber = (what: string) => finite(what).refine((v) => v > 0, `${what} must be greater than zero`);
const weightsByName = (what: string) => z.record(z.string().min(1), finite(what).refine((v) => v >= 0, `${what} must not be negative`));
/** A budget's definition (every field optional: 2 % VaR 95, equal risk, 10 % rebalance, 120 % violation, component usage). */
const budgetDefinition = z.strictObject({
  metric: z.enum(BUDGET_METRICS, { error: `metric must be one of ${BUDGET_METRICS.join(', ')}` }).optional(),
  totalBudget: positiveNumber('totalBudget').optional(),
  allocation: z.strictObject({
    type: z.enum(ALLOCATION_TYPES, { error: `allocation.type must be one of ${ALLOCATION_TYPES.join(', ')}` }),
    strategyWeights: weightsByName('strategyWeights').optional(),
    sectorWeights: weightsByName('sectorWeights').optional(),
    custom: weightsByName('custom').refine((shares) => Math.abs(Object.values(shares).reduce((a, b) => a + b, 0) - 1) <= 1e-6, 'allocation.custom shares must sum to 1').optional(),
  }).optional(),
  rebalanceThreshold: positiveNumber('rebalanceThreshold').optional(),
  violationThreshold: positiveNumber('violationThreshold').optional(),
  usage: z.enum(['component', 'standalone']).optional(),
  expectedShortfallConfidence: finite('expectedShortfallConfidence').refine((c) => c > 0 && c < 1, 'expectedShortfallConfidence must be between 0 and 1').optional(),
  periodsPerYear: z.number().int().min(1).max(100_000).optional(),
});

/** Entities with their own returns, or a portfolio whose holdings are grouped into entities by `entityType`. */
export const riskBudgetBody = z.strictObject({
  ...portfolioSource,
  entityType: z.enum(RISK_BUDGET_ENTITY_TYPES, { error: `entityType must be one of ${RISK_BUDGET_ENTITY_TYPES.join(', ')}` }).optional(),
  entities: budgetEntities.optional(),
  budget: budgetDefinition.optional(),
  benchmarkReturns: numbers('benchmarkReturns', 2).optional(),
}).superRefine((body, ctx) => {
  if ((body.entities === undefined) === (body.portfolioId === undefined)) ctx.addIssue({ code: 'custom', path: ['entities'], message: 'give entities (with their returns), or a portfolioId whose holdings become the entities, not both' });
});

/** A stored budget: over a portfolio's assets, sectors or strategies, or over entities given when it is evaluated. */
export const createRiskBudgetBody = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(100),
  portfolioId: uuid.optional(),
  entityType: z.enum(RISK_BUDGET_ENTITY_TYPES, { error: `entityType must be one of ${RISK_BUDGET_ENTITY_TYPES.join(', ')}` }).default('asset'),
  lookbackDays: z.number().int().min(2).max(5000).optional(),
  budget: budgetDefinition.default({}),
});
export const evaluateRiskBudgetBody = z.strictObject({
  entities: budgetEntities.optional(),
  benchmarkReturns: numbers('benchmarkReturns', 2).optional(),
});

// Rebalances
const weightString = unitFraction;
const rebalanceMethod = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('target-weights'), targets: z.record(symbol, weightString('targets')).refine((t) => Object.keys(t).length > 0, 'targets must name at least one symbol') }),
  z.strictObject({
    type: z.literal('strategy-bands'),
    bands: z.record(z.string().min(1), z.strictObject({ target: weightString('target'), min: weightString('min'), max: weightString('max'), threshold: weightString('threshold') })).optional(),
  }),
  z.strictObject({ type: z.literal('stored') }),
  z.strictObject({
    type: z.literal('optimizer'),
    objective: z.enum(REBALANCE_OPTIMIZER_OBJECTIVES, { error: `objective must be one of ${REBALANCE_OPTIMIZER_OBJECTIVES.join(', ')}` }),
    constraints: z.strictObject({
      minWeight: signalNumber('minWeight').optional(),
      maxWeight: signalNumber('maxWeight').optional(),
      bounds: z.record(symbol, z.tuple([signalNumber('bounds min'), signalNumber('bounds max')])).optional(),
      maxSectorWeight: signalNumber('maxSectorWeight').optional(),
    }).optional(),
    symbols: symbolList('symbols').max(500).optional(),
    lookbackDays: wholeNumber('lookbackDays', 20, 5000).optional(),
  }),
], { error: 'method must be { "type": "target-weights", "targets": {…} }, { "type": "strategy-bands" }, { "type": "stored" } or { "type": "optimizer", "objective": … }' });
const approvalDeadlineSeconds = z.number().int().min(1, 'approvalDeadlineSeconds must be at least 1').max(30 * 24 * 3600, 'approvalDeadlineSeconds must be at most 30 days').default(24 * 3600);
const rebalanceSettings = z.strictObject({
  driftThreshold: weightString('driftThreshold').optional(),
  cashBuffer: weightString('cashBuffer').optional(),
  maxCostFraction: weightString('maxCostFraction').optional(),
  turnoverCap: decimal('turnoverCap').nullable().optional(),
  priceTolerance: weightString('priceTolerance').optional(),
}).default({});
// Defaults: a momentum over about a quarter, a mean reversion over about a month, volatilities over a quarter.
const adjustmentLookback = (fallback: number) => wholeNumber('adjustment.lookbackDays', 5, 1260).default(fallback);
const adjustmentStrength = z.number({ error: 'adjustment.strength must be a number' }).min(0, 'adjustment.strength must be at least 0').max(10, 'adjustment.strength must be at most 10').default(1);
const rebalanceAdjustment = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('momentum-tilt'), lookbackDays: adjustmentLookback(60), strength: adjustmentStrength }),
  z.strictObject({ type: z.literal('mean-reversion-tilt'), lookbackDays: adjustmentLookback(20), strength: adjustmentStrength }),
  z.strictObject({ type: z.literal('risk-parity'), lookbackDays: adjustmentLookback(60) }),
], { error: 'adjustment must be { "type": "momentum-tilt" | "mean-reversion-tilt", "lookbackDays"?, "strength"? } or { "type": "risk-parity", "lookbackDays"? }' });
const targetsAtMostOne = (body: { method: z.infer<typeof rebalanceMethod> }, ctx: z.RefinementCtx) => {
  if (body.method.type === 'target-weights') {
    const total = Object.values(body.method.targets).reduce((sum, w) => sum.plus(dec(w)), dec('0'));
    if (total.gt(1)) ctx.addIssue({ code: 'custom', path: ['method', 'targets'], message: `targets sum to ${total.toFixed()}: at most 1 (the rest is cash)` });
  }
};
export const startRebalanceBody = z.strictObject({
  mode: z.enum(REBALANCE_MODES, { error: 'mode must be one of manual, dry_run, automatic' }).default('manual'),
  method: rebalanceMethod,
  approvalDeadlineSeconds,
  settings: rebalanceSettings,
  adjustment: rebalanceAdjustment.optional(),
}).superRefine(targetsAtMostOne);
export const approveRebalanceBody = z.strictObject({
  planVersion: z.string({ error: 'planVersion is required: the version of the plan you approve' }).min(1).max(100),
  comment: z.string().max(1000).optional(),
});
export const rejectRebalanceBody = z.strictObject({
  reason: z.string({ error: 'reason is required' }).trim().min(1, 'reason must not be empty').max(1000),
  planVersion: z.string().min(1).max(100).optional(),
});
export const listRebalancesQuery = z.object({ portfolioId: uuid, status: z.enum(REBALANCE_STATUSES).optional(), limit: listLimit });
export const rebalanceIdParams = z.object({ id: uuid });

// ── Daily risk and the kill switch ──────────────────────────────────────────────────────────────

const isoDate = (what: string) => z.string({ error: `${what} must be a date YYYY-MM-DD` }).refine(isIsoDate, `${what} must be a real calendar date YYYY-MM-DD`);

/** `POST /v1/risk/daily-checks/run`: nothing (today), one `date`, or `from` and `to` (a backfill of weekdays); optionally some portfolios. */
export const dailyRiskRunBody = z.strictObject({
  date: isoDate('date').optional(),
  from: isoDate('from').optional(),
  to: isoDate('to').optional(),
  portfolioIds: z.array(uuid).min(1, 'portfolioIds must name at least one portfolio').max(1000).optional(),
}).superRefine((b, ctx) => {
  if (b.date !== undefined && (b.from !== undefined || b.to !== undefined)) ctx.addIssue({ code: 'custom', path: ['date'], message: 'give either date or from and to, not both' });
  if ((b.from === undefined) !== (b.to === undefined)) ctx.addIssue({ code: 'custom', path: [b.from === undefined ? 'from' : 'to'], message: 'from and to go together' });
  if (b.from !== undefined && b.to !== undefined) {
    // The run's own rule, checked here so that a backfill too long to run is the client's 400, not a failed run.
    try {
      backfillDates(b.from, b.to);
    } catch (err) {
      if (!(err instanceof RunDatesError)) throw err;
      ctx.addIssue({ code: 'custom', path: [err.field], message: err.message.slice(err.field.length + 2) });
    }
  }
});

export const riskSnapshotsQuery = z.object({
  portfolioId: uuid.optional(),
  from: isoDate('from').optional(),
  to: isoDate('to').optional(),
  limit: listLimit,
});

export const riskReportQuery = z.object({
  days: z.string().regex(/^[1-9][0-9]{0,2}$/, 'days must be a whole number from 1 to 500').transform(Number)
    .refine((n) => n <= 500, 'days must be a whole number from 1 to 500').optional().transform((n) => n ?? 30),
});

/** `POST /v1/kill-switch`: exactly one of a portfolio, an account, or everything; with a reason. */
export const killSwitchBody = z.strictObject({
  portfolioId: uuid.optional(),
  accountId: z.string().min(1).max(64).optional(),
  all: z.literal(true, { error: 'all must be true' }).optional(),
  reason,
}).refine((b) => [b.portfolioId, b.accountId, b.all].filter((v) => v !== undefined).length === 1,
  { path: ['portfolioId'], message: 'give exactly one of portfolioId, accountId or all: true' });

const riskFraction = (what: string) => z.string({ error: `${what} must be a decimal string such as "0.1"` })
  .regex(/^(0(\.\d{1,12})?|1(\.0{1,12})?)$/, `${what} must be a decimal string from 0 to 1 such as "0.1"`);
const breachAction = z.enum(['ALERT', 'REDUCING', 'HALTED'], { error: 'an action must be ALERT, REDUCING or HALTED' });

/** `PUT /v1/portfolios/:id/daily-risk-settings`: every setting (absent or null: off, or the default). */
export const dailyRiskSettingsBody = z.strictObject({
  maxDrawdownPct: riskFraction('maxDrawdownPct').nullable().optional(),
  maxVar95Pct: riskFraction('maxVar95Pct').nullable().optional(),
  actions: z.partialRecord(z.enum(DAILY_LIMIT_KINDS, { error: `actions are keyed by ${DAILY_LIMIT_KINDS.join(', ')}` }), breachAction).optional(),
  stopOutLimit: z.number({ error: 'stopOutLimit must be a whole number' }).int('stopOutLimit must be a whole number').min(1, 'stopOutLimit must be at least 1').max(1000).nullable().optional(),
  stopOutLookbackMinutes: z.number({ error: 'stopOutLookbackMinutes must be a whole number' }).int().min(1, 'stopOutLookbackMinutes must be from 1 to 43200').max(43_200, 'stopOutLookbackMinutes must be from 1 to 43200').optional(),
  cooldownMinutes: z.number({ error: 'cooldownMinutes must be a whole number' }).int().min(1, 'cooldownMinutes must be from 1 to 43200').max(43_200, 'cooldownMinutes must be from 1 to 43200').optional(),
  benchmarkSymbol: symbol.nullable().optional(),
  minObservations: wholeNumber('minObservations', 2, 1000).optional(),
  deRiskingScale: riskFraction('deRiskingScale').refine((v) => dec(v).lt(1), 'deRiskingScale must be below 1: the share of each position a de-risking plan keeps').nullable().optional(),
});
/** A portfolio's rebalance policy (every field given: the stored policy is replaced as a whole). */
export const rebalancePolicyBody = z.strictObject({
  twoApproversAbove: positiveDecimal('twoApproversAbove').nullable().default(null),
  automaticAllowed: z.boolean({ error: 'automaticAllowed must be true or false' }).default(false),
  automaticMaxTradedValue: positiveDecimal('automaticMaxTradedValue').nullable().default(null),
  automaticMaxCostPct: decimal('automaticMaxCostPct').refine((v) => !dec(v).gt(100), 'automaticMaxCostPct must be a percentage between 0 and 100').nullable().default(null),
  respectMarketHours: z.boolean({ error: 'respectMarketHours must be true or false' }).default(false),
}).superRefine((body, ctx) => {
  if (body.automaticAllowed && body.automaticMaxTradedValue === null) {
    ctx.addIssue({ code: 'custom', path: ['automaticMaxTradedValue'], message: 'automaticMaxTradedValue is required when automaticAllowed is true: automatic rebalances need a size limit' });
  }
});

const assetTarget = z.strictObject({ target: weightString('target'), min: weightString('min').optional(), max: weightString('max').optional() });
const strategyTarget = z.strictObject({ target: weightString('target'), min: weightString('min'), max: weightString('max'), threshold: weightString('threshold').default('0.05') });
const checkBand = (name: string, b: { target: string; min?: string | undefined; max?: string | undefined }, path: Array<string | number>, ctx: z.RefinementCtx) => {
  if ((b.min === undefined) !== (b.max === undefined)) ctx.addIssue({ code: 'custom', path, message: `${name}: give min and max together, or neither` });
  else if (b.min !== undefined && b.max !== undefined && (dec(b.min).gt(dec(b.target)) || dec(b.target).gt(dec(b.max)))) {
    ctx.addIssue({ code: 'custom', path, message: `${name}: needs min ≤ target ≤ max` });
  }
};
/** A stored target set: per asset (optional min/max bands) or per strategy (bands), weights in [0, 1] summing to at most 1. */
export const rebalanceTargetsBody = z.union([
  z.strictObject({ assets: z.record(symbol, assetTarget) }),
  z.strictObject({ strategies: z.record(orderStrategyId('strategies'), strategyTarget) }),
], { error: 'give { "assets": { symbol: { target, min?, max? } } } or { "strategies": { name: { target, min, max, threshold? } } }' }).superRefine((body, ctx) => {
  const [key, entries] = 'assets' in body ? ['assets', body.assets] as const : ['strategies', body.strategies] as const;
  if (Object.keys(entries).length === 0) ctx.addIssue({ code: 'custom', path: [key], message: `${key} must name at least one entry` });
  for (const [name, b] of Object.entries(entries)) checkBand(name, b, [key, name], ctx);
  const total = Object.values(entries).reduce((sum, b) => sum.plus(dec(b.target)), dec('0'));
  if (total.gt(1)) ctx.addIssue({ code: 'custom', path: [key], message: `targets sum to ${total.toFixed()}: at most 1 (the rest is cash)` });
});

const calendarValues = (what: string, min: number, max: number) => z.array(wholeNumber(what, min, max)).min(1, `${what} must list at least one value`).max(60);
const DAYS_OF_WEEK = ['SUNDAY', 'MONDAY', 'TUESDAY', 'WEDNESDAY', 'THURSDAY', 'FRIDAY', 'SATURDAY'] as const;
const MONTHS = ['JANUARY', 'FEBRUARY', 'MARCH', 'APRIL', 'MAY', 'JUNE', 'JULY', 'AUGUST', 'SEPTEMBER', 'OCTOBER', 'NOVEMBER', 'DECEMBER'] as const;
/** A portfolio's rebalance schedule: a calendar in a time zone; each run a rebalance (or DCA tranches) waiting for approval. */
export const rebalanceScheduleBody = z.strictObject({
  calendar: z.strictObject({
    minute: calendarValues('calendar.minute', 0, 59).default([0]),
    hour: calendarValues('calendar.hour', 0, 23),
    dayOfWeek: z.array(z.enum(DAYS_OF_WEEK, { error: `calendar.dayOfWeek must list days among ${DAYS_OF_WEEK.join(', ')}` })).min(1).optional(),
    dayOfMonth: calendarValues('calendar.dayOfMonth', 1, 31).optional(),
    month: z.array(z.enum(MONTHS, { error: `calendar.month must list months among ${MONTHS.join(', ')}` })).min(1).optional(),
  }, { error: 'calendar is required: { "hour": [16], "minute": [0], "dayOfWeek": ["FRIDAY"] }' }),
  timeZone: z.string({ error: 'timeZone is required (IANA, such as "America/New_York")' }).refine((tz) => TIME_ZONES.has(tz), 'timeZone must be an IANA time zone such as "America/New_York"'),
  mode: z.enum(['manual', 'automatic'], { error: 'mode must be manual or automatic' }).default('manual'),
  method: rebalanceMethod.default({ type: 'stored' }),
  approvalDeadlineSeconds,
  settings: rebalanceSettings,
  dca: z.strictObject({ tranches: wholeNumber('dca.tranches', 2, 52), intervalSeconds: wholeNumber('dca.intervalSeconds', 1, 90 * 24 * 3600) }).optional(),
  adjustment: rebalanceAdjustment.optional(),
}).superRefine(targetsAtMostOne);
