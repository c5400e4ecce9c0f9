import type { AssetClass } from '../instruments/instrument';
import { Decimal } from '../values/decimal';

export const SHORT_HISTORY_POLICIES = ['ALLOW', 'DENY'] as const;
/** What the correlation cap does when the stored history is too short to measure a correlation. */
export type ShortHistoryPolicy = (typeof SHORT_HISTORY_POLICIES)[number];

/**
 * Pre-trade limits of one portfolio, as the rules read them (defaults already applied). Amounts
 * are in its base currency; fractions are decimals (0.25 = 25 %); null switches a control off.
 */
export interface RiskLimits {
  /** Largest notional of a single order. */
  readonly maxOrderValue: Decimal;
  /** Largest quantity of a single order. */
  readonly maxOrderQuantity: Decimal | null;
  /** Largest |position value| after the order as a fraction of equity. */
  readonly maxPositionPctOfEquity: Decimal;
  /** Most distinct symbols held (or being bought) at once. */
  readonly maxOpenPositions: number;
  /** Most distinct symbols one strategy holds (or is opening) at once. */
  readonly maxOpenPositionsPerStrategy: number | null;
  /** Largest gross exposure / equity after the order. */
  readonly maxGrossLeverage: Decimal;
  /** Largest gross value of one sector / equity after the order. */
  readonly maxSectorExposurePct: Decimal | null;
  /** Largest return correlation of a new or growing position with a position held the same direction. */
  readonly maxCorrelation: Decimal | null;
  /** Daily returns the correlation is measured over. */
  readonly correlationLookbackDays: number;
  /** Fewer common daily returns than this is too little history to measure. */
  readonly correlationMinObservations: number;
  readonly correlationOnShortHistory: ShortHistoryPolicy;
  /** Loss since the start of the trading day beyond which only reducing orders pass (a positive amount). */
  readonly maxDailyLoss: Decimal | null;
  /** IANA time zone whose midnight starts the portfolio's trading day. */
  readonly tradingDayTimeZone: string;
  /** Most orders approved for execution per trading day. */
  readonly maxDailyTrades: number | null;
  /** Most orders approved for execution within any `orderRateWindowSeconds`. */
  readonly maxOrdersPerWindow: number | null;
  readonly orderRateWindowSeconds: number;
  /** Largest distance of a limit price or a market order's expected fill from the mid; null: by asset class. */
  readonly priceCollarPct: Decimal | null;
  /** Least confidence of a signal an order carries. */
  readonly minSignalConfidence: Decimal;
  /** How far a signal's probabilities may favour the other side before the order is denied. */
  readonly signalProbabilityMargin: Decimal;
  /** Symbols that may be traded; null allows every known instrument. */
  readonly allowedSymbols: readonly string[] | null;
  /** A quote older than this is stale and the order is denied. */
  readonly maxQuoteAgeSeconds: number;
  /** Whether a sell may take a position below zero. */
  readonly allowShort: boolean;
}

export const DEFAULT_RISK_LIMITS: RiskLimits = Object.freeze({
  maxOrderValue: new Decimal('100000'),
  maxOrderQuantity: null,
  maxPositionPctOfEquity: new Decimal('0.25'),
  maxOpenPositions: 20,
  maxOpenPositionsPerStrategy: null,
  maxGrossLeverage: new Decimal('1'),
  maxSectorExposurePct: null,
  maxCorrelation: new Decimal('0.7'),
  correlationLookbackDays: 60,
  correlationMinObservations: 20,
  correlationOnShortHistory: 'ALLOW',
  maxDailyLoss: null,
  tradingDayTimeZone: 'UTC',
  maxDailyTrades: null,
  maxOrdersPerWindow: null,
  orderRateWindowSeconds: 60,
  priceCollarPct: null,
  minSignalConfidence: new Decimal('0.6'),
  signalProbabilityMargin: new Decimal('0.1'),
  allowedSymbols: null,
  maxQuoteAgeSeconds: 300,
  allowShort: false,
} satisfies RiskLimits);

/** How each limit's value is written: decimals travel as decimal strings, the rest as JSON values. */
export type RiskLimitKind = 'decimal' | 'integer' | 'text' | 'boolean' | 'symbols';
export const RISK_LIMIT_KINDS: Readonly<Record<keyof RiskLimits, RiskLimitKind>> = Object.freeze({
  maxOrderValue: 'decimal', maxOrderQuantity: 'decimal', maxPositionPctOfEquity: 'decimal', maxOpenPositions: 'integer',
  maxOpenPositionsPerStrategy: 'integer', maxGrossLeverage: 'decimal', maxSectorExposurePct: 'decimal', maxCorrelation: 'decimal',
  correlationLookbackDays: 'integer', correlationMinObservations: 'integer', correlationOnShortHistory: 'text', maxDailyLoss: 'decimal',
  tradingDayTimeZone: 'text', maxDailyTrades: 'integer', maxOrdersPerWindow: 'integer', orderRateWindowSeconds: 'integer',
  priceCollarPct: 'decimal', minSignalConfidence: 'decimal', signalProbabilityMargin: 'decimal', allowedSymbols: 'symbols',
  maxQuoteAgeSeconds: 'integer', allowShort: 'boolean',
});

/** The price collar when neither the portfolio nor the instrument sets one: 5 % for equities, 10 % for crypto. */
export const DEFAULT_PRICE_COLLAR: Readonly<Record<AssetClass, Decimal>> = Object.freeze({
  EQUITY: new Decimal('0.05'), ETF: new Decimal('0.05'), FUTURE: new Decimal('0.05'), FX: new Decimal('0.05'), CRYPTO: new Decimal('0.10'),
});

/** An account's limits, as traders set them at their broker (a paper and a live account differ). Null: not set. */
export interface AccountLimits {
  readonly maxOrderValue: Decimal | null;
  readonly maxOrderQuantity: Decimal | null;
  /** Most orders approved for execution per UTC day across the account's portfolios. */
  readonly maxDailyTrades: number | null;
  readonly allowedSymbols: readonly string[] | null;
}

export const NO_ACCOUNT_LIMITS: AccountLimits = Object.freeze({ maxOrderValue: null, maxOrderQuantity: null, maxDailyTrades: null, allowedSymbols: null });

/** One instrument's limits, for every portfolio that trades it. Null: not set. */
export interface InstrumentLimits {
  readonly maxOrderValue: Decimal | null;
  readonly maxOrderQuantity: Decimal | null;
  readonly priceCollarPct: Decimal | null;
}

export const NO_INSTRUMENT_LIMITS: InstrumentLimits = Object.freeze({ maxOrderValue: null, maxOrderQuantity: null, priceCollarPct: null });

/** Where a limit comes from: the rules report it, and the effective-limits view shows it. */
export type LimitScope = 'portfolio' | 'account' | 'instrument' | 'default';

/** What a portfolio sets: a field it does not set (absent or null) takes the default. */
export type RiskLimitSettings = { readonly [K in keyof RiskLimits]?: RiskLimits[K] | null };

/** The limits the rules read: the portfolio's settings over the defaults. */
export function resolveRiskLimits(settings: RiskLimitSettings): RiskLimits {
  const resolved: Record<string, unknown> = { ...DEFAULT_RISK_LIMITS };
  for (const [key, value] of Object.entries(settings)) if (value !== null && value !== undefined) resolved[key] = value;
  return Object.freeze(resolved) as unknown as RiskLimits;
}
