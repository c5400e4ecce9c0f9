import { z } from 'zod';
import { ASSET_CLASSES } from '../domain/instruments/instrument';
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES } from '../domain/orders/order';
import { SHORT_HISTORY_POLICIES } from '../domain/risk/risk-limits';
import { ACCOUNT_STATUSES, TRADING_STATES } from '../domain/risk/trading-state';
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

const strategyId = (what: string) => z.string({ error: `${what} is required` }).min(1).max(64).regex(/^[\w.:-]+$/, `${what} may hold letters, digits, "_", ".", ":" and "-"`);
const unitNumber = (what: string) => z.number({ error: `${what} must be a number` }).min(0, `${what} must be between 0 and 1`).max(1, `${what} must be between 0 and 1`);

/** A strategy's view behind an order (statistics, so plain numbers). */
export const tradingSignalBody = z.strictObject({
  strategyId: strategyId('signal.strategyId'),
  confidence: unitNumber('confidence'),
  probabilities: z.strictObject({ up: unitNumber('up'), down: unitNumber('down'), flat: unitNumber('flat') })
    .refine((p) => Math.abs(p.up + p.down + p.flat - 1) <= 1e-6, 'probabilities must sum to 1').optional(),
  expectedReturn: z.number({ error: 'expectedReturn must be a number' }).min(-1).max(100).optional(),
  maxLoss: z.number({ error: 'maxLoss must be a number' }).min(0).max(1).optional(),
});

export const placeOrderBody = z.strictObject({
  portfolioId: uuid,
  symbol,
  side: z.enum(ORDER_SIDES, { error: `side must be one of ${ORDER_SIDES.join(', ')}` }),
  type: z.enum(ORDER_TYPES, { error: `type must be one of ${ORDER_TYPES.join(', ')}` }).default('MARKET'),
  quantity: positiveDecimal('quantity'),
  limitPrice: positiveDecimal('limitPrice').optional(),
  execute: z.boolean({ error: 'execute must be true or false' }).default(true),
  clientRequestId: z.string().min(1).max(128).regex(/^[\w.:-]+$/, 'clientRequestId may hold letters, digits, "_", ".", ":" and "-"').optional(),
  strategyId: strategyId('strategyId').optional(),
  signal: tradingSignalBody.optional(),
  stops: z.strictObject({ stopLoss: positiveDecimal('stopLoss').optional(), takeProfit: positiveDecimal('takeProfit').optional() })
    .refine((s) => s.stopLoss !== undefined || s.takeProfit !== undefined, 'stops needs a stopLoss or a takeProfit').optional(),
}).superRefine((body, ctx) => {
  if (body.strategyId !== undefined && body.signal !== undefined && body.signal.strategyId !== body.strategyId) {
    ctx.addIssue({ code: 'custom', path: ['signal', 'strategyId'], message: 'signal.strategyId must equal strategyId when both are given' });
  }
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
export const symbolParams = z.object({ symbol });
