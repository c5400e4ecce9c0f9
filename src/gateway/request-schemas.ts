import { z } from 'zod';
import { ASSET_CLASSES } from '../domain/instruments/instrument';
import { ORDER_SIDES, ORDER_STATUSES, ORDER_TYPES } from '../domain/orders/order';

// At most 13 integer digits: quantity × price then fits numeric(38,12) (26 integer digits).
const DECIMAL = /^(0|[1-9]\d{0,12})(\.\d{1,12})?$/;
const decimal = (what: string) => z.string({ error: `${what} must be a decimal string such as "10.5"` })
  .regex(DECIMAL, `${what} must be a non-negative decimal string below 10^13 with at most 12 decimal places, such as "10.5"`);
const positiveDecimal = (what: string) => decimal(what).refine((v) => /[1-9]/.test(v), `${what} must be greater than zero`);
const symbol = z.string({ error: 'symbol is required' }).regex(/^[A-Z0-9][A-Z0-9.\-/]{0,19}$/, 'symbol must be 1-20 upper-case letters, digits, ".", "-" or "/"');
const uuid = z.string().uuid('must be a UUID');

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
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const createPortfolioBody = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(100),
  baseCurrency: z.string().regex(/^[A-Z]{3}$/, 'baseCurrency must be a 3-letter ISO currency code').default('USD'),
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
});

export const setQuoteBody = z.strictObject({
  last: positiveDecimal('last'),
  bid: positiveDecimal('bid').optional(),
  ask: positiveDecimal('ask').optional(),
  asOf: z.string().datetime({ offset: true, message: 'asOf must be an ISO-8601 timestamp' }).optional(),
});

export const listPortfoliosQuery = z.object({ limit: z.coerce.number().int().min(1).max(500).default(100) });

export const instrumentBody = z.strictObject({
  name: z.string().trim().min(1, 'name must not be empty').max(200),
  assetClass: z.enum(ASSET_CLASSES, { error: `assetClass must be one of ${ASSET_CLASSES.join(', ')}` }),
  currency: z.string().regex(/^[A-Z]{3}$/, 'currency must be a 3-letter ISO currency code'),
  tickSize: positiveDecimal('tickSize'),
  lotSize: positiveDecimal('lotSize'),
  minNotional: decimal('minNotional').default('0'),
  sector: z.string().trim().min(1, 'sector must not be empty').max(100),
});

export const portfolioIdParams = z.object({ id: uuid });
export const orderIdParams = z.object({ id: uuid });
export const symbolParams = z.object({ symbol });
