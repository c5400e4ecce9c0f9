import { z } from 'zod';
import { ASSET_CLASSES } from '../domain/instruments/instrument';
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES } from '../domain/orders/order';
import { dec, type Decimal } from '../domain/values/decimal';

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

export const placeOrderBody = z.strictObject({
  portfolioId: uuid,
  symbol,
  side: z.enum(ORDER_SIDES, { error: `side must be one of ${ORDER_SIDES.join(', ')}` }),
  type: z.enum(ORDER_TYPES, { error: `type must be one of ${ORDER_TYPES.join(', ')}` }).default('MARKET'),
  quantity: positiveDecimal('quantity'),
  limitPrice: positiveDecimal('limitPrice').optional(),
  execute: z.boolean({ error: 'execute must be true or false' }).default(true),
  clientRequestId: z.string().min(1).max(128).regex(/^[\w.:-]+$/, 'clientRequestId may hold letters, digits, "_", ".", ":" and "-"').optional(),
}).superRefine((body, ctx) => {
  if (body.type === 'LIMIT' && body.limitPrice === undefined) ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: 'limitPrice is required for a LIMIT order' });
  if (body.type === 'MARKET' && body.limitPrice !== undefined) ctx.addIssue({ code: 'custom', path: ['limitPrice'], message: 'limitPrice is only allowed on a LIMIT order' });
});
export type PlaceOrderBody = z.infer<typeof placeOrderBody>;

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
export const riskLimitsBody = z.strictObject({
  maxOrderValue: positiveDecimal('maxOrderValue'),
  maxPositionPctOfEquity: fraction('maxPositionPctOfEquity'),
  maxOpenPositions: z.number().int('maxOpenPositions must be a whole number').min(0).max(10000),
  maxGrossLeverage: fraction('maxGrossLeverage'),
  allowedSymbols: z.array(symbol).max(10000).nullable().default(null),
  maxQuoteAgeSeconds: z.number().int().min(1).max(7 * 24 * 3600),
  allowShort: z.boolean().default(false),
}).superRefine((body, ctx) => {
  // A position larger than equity needs borrowed money: only with leverage allowed.
  if (dec(body.maxPositionPctOfEquity).gt(1) && !dec(body.maxGrossLeverage).gt(1)) {
    ctx.addIssue({ code: 'custom', path: ['maxPositionPctOfEquity'], message: 'maxPositionPctOfEquity must be at most 1 unless maxGrossLeverage is above 1' });
  }
  const symbols = body.allowedSymbols ?? [];
  const repeated = symbols.filter((s, i) => symbols.indexOf(s) !== i);
  if (repeated.length > 0) ctx.addIssue({ code: 'custom', path: ['allowedSymbols'], message: `allowedSymbols lists ${[...new Set(repeated)].join(', ')} more than once` });
});

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
