import { DEFAULT_PRICE_COLLAR, DEFAULT_RISK_LIMITS, resolveRiskLimits, type AccountLimits, type InstrumentLimits, type LimitScope, type RiskLimits, type RiskLimitSettings } from '../domain/risk/risk-limits';
import type { AssetClass } from '../domain/instruments/instrument';
import { Decimal, toWire } from '../domain/values/decimal';
import type { AccountRecord, TradingStateRecord, VersionedLimits } from '../ports/risk-limits.port';

type WireValue = string | number | boolean | readonly string[] | null;
const wire = (v: unknown): WireValue => (v instanceof Decimal ? toWire(v) : (v as WireValue));

/** The portfolio's limits as the rules read them, each with whether the portfolio set it or it is the default. */
export interface RiskLimitsView {
  readonly limits: Record<keyof RiskLimits, WireValue>;
  readonly sources: Record<keyof RiskLimits, 'portfolio' | 'default'>;
  readonly version: number;
  readonly updatedBy: string | null;
  readonly updatedAt: string | null;
}

export function toRiskLimitsView(stored: VersionedLimits<RiskLimitSettings>): RiskLimitsView {
  const effective = resolveRiskLimits(stored.limits);
  const keys = Object.keys(DEFAULT_RISK_LIMITS) as Array<keyof RiskLimits>;
  return {
    limits: Object.fromEntries(keys.map((k) => [k, wire(effective[k])])) as RiskLimitsView['limits'],
    sources: Object.fromEntries(keys.map((k) => [k, stored.limits[k] === null || stored.limits[k] === undefined ? 'default' : 'portfolio'])) as RiskLimitsView['sources'],
    version: stored.version, updatedBy: stored.updatedBy, updatedAt: stored.updatedAt?.toISOString() ?? null,
  };
}

export const toAccountLimitsView = (l: VersionedLimits<AccountLimits>) => ({
  limits: { maxOrderValue: wire(l.limits.maxOrderValue), maxOrderQuantity: wire(l.limits.maxOrderQuantity), maxDailyTrades: l.limits.maxDailyTrades, allowedSymbols: l.limits.allowedSymbols },
  version: l.version, updatedBy: l.updatedBy, updatedAt: l.updatedAt?.toISOString() ?? null,
});

export const toInstrumentLimitsView = (symbol: string, l: VersionedLimits<InstrumentLimits>) => ({
  symbol,
  limits: { maxOrderValue: wire(l.limits.maxOrderValue), maxOrderQuantity: wire(l.limits.maxOrderQuantity), priceCollarPct: wire(l.limits.priceCollarPct) },
  version: l.version, updatedBy: l.updatedBy, updatedAt: l.updatedAt?.toISOString() ?? null,
});

export const toTradingStateView = (r: TradingStateRecord) => ({
  state: r.state, reason: r.reason, changedBy: r.changedBy, changedAt: r.changedAt?.toISOString() ?? null,
});

/** One effective limit: the binding value, whose it is, and the looser settings of other scopes. */
export interface EffectiveLimit {
  readonly value: WireValue;
  readonly source: LimitScope;
  readonly alsoSet?: ReadonlyArray<{ readonly source: LimitScope; readonly value: WireValue }>;
}

/** The tightest of the scopes that set a cap (a smaller number binds). */
function tightest(candidates: Array<[LimitScope, Decimal | number | null]>, fallback: [LimitScope, Decimal | number | null]): EffectiveLimit {
  const set = candidates.filter((c): c is [LimitScope, Decimal | number] => c[1] !== null);
  if (set.length === 0) return { value: wire(fallback[1]), source: fallback[0] };
  const sorted = [...set].sort((a, b) => new Decimal(a[1]).cmp(new Decimal(b[1])));
  const [binding, ...looser] = sorted;
  return { value: wire(binding![1]), source: binding![0], ...(looser.length > 0 && { alsoSet: looser.map(([source, value]) => ({ source, value: wire(value) })) }) };
}

/**
 * Every limit an order of this portfolio meets, with where it comes from: the portfolio's settings
 * over the defaults, and the per-order caps, allow-lists and trade counts of its account and (given
 * a symbol) of the instrument, the binding one first.
 */
export function toEffectiveLimitsView(input: {
  portfolioId: string; portfolio: VersionedLimits<RiskLimitSettings>; portfolioState: TradingStateRecord;
  account: AccountRecord; accountLimits: AccountLimits;
  instrument?: { symbol: string; assetClass: AssetClass; limits: InstrumentLimits };
}) {
  const base = toRiskLimitsView(input.portfolio);
  const effective = resolveRiskLimits(input.portfolio.limits);
  const own = (k: keyof RiskLimits): [LimitScope, Decimal | number | null] => [base.sources[k], effective[k] as Decimal | number | null];
  const limits: Record<string, EffectiveLimit> = Object.fromEntries(
    (Object.keys(DEFAULT_RISK_LIMITS) as Array<keyof RiskLimits>).map((k) => [k, { value: base.limits[k], source: base.sources[k] }]));
  const inst = input.instrument?.limits;
  limits.maxOrderValue = tightest([own('maxOrderValue'), ['account', input.accountLimits.maxOrderValue], ['instrument', inst?.maxOrderValue ?? null]], own('maxOrderValue'));
  limits.maxOrderQuantity = tightest([own('maxOrderQuantity'), ['account', input.accountLimits.maxOrderQuantity], ['instrument', inst?.maxOrderQuantity ?? null]], own('maxOrderQuantity'));
  limits.accountMaxDailyTrades = { value: input.accountLimits.maxDailyTrades, source: 'account' };
  limits.accountAllowedSymbols = { value: input.accountLimits.allowedSymbols, source: 'account' };
  if (input.instrument) {
    const byClass: [LimitScope, Decimal] = ['default', DEFAULT_PRICE_COLLAR[input.instrument.assetClass]];
    const collar = [own('priceCollarPct'), ['instrument', inst?.priceCollarPct ?? null]] as Array<[LimitScope, Decimal | null]>;
    limits.priceCollarPct = tightest(collar.filter(([, v]) => v !== null), byClass);
  }
  return {
    portfolioId: input.portfolioId,
    accountId: input.account.accountId,
    accountStatus: input.account.status,
    ...(input.instrument && { symbol: input.instrument.symbol }),
    tradingState: { portfolio: toTradingStateView(input.portfolioState), account: toTradingStateView(input.account.tradingState) },
    limits,
    version: base.version,
  };
}
