import { z } from 'zod';
import { ASSET_CLASSES } from '../domain/instruments/instrument';
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES } from '../domain/orders/order';
import { dec } from '../domain/values/decimal';

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
