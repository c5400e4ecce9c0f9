import type { AccountLimits, InstrumentLimits, RiskLimitSettings } from '../domain/risk/risk-limits';
import type { AccountStatus, TradingState } from '../domain/risk/trading-state';

/** Limits as stored at one scope, with their version (every change increments it, audited with before and after). */
export interface VersionedLimits<T> {
  readonly limits: T;
  readonly version: number;
  readonly updatedBy: string | null;
  readonly updatedAt: Date | null;
}

export interface TradingStateRecord {
  readonly state: TradingState;
  readonly reason: string | null;
  readonly changedBy: string | null;
  readonly changedAt: Date | null;
}

/** A state just set, with the webhook deliveries that announce it (to be handed to a delivery workflow). */
export interface TradingStateChange extends TradingStateRecord {
  readonly deliveryIds: readonly string[];
}

export interface AccountRecord {
  readonly accountId: string;
  readonly status: AccountStatus;
  readonly tradingState: TradingStateRecord;
}

export type TradingStateScope = 'portfolio' | 'account';

/** Where limits and trading states are kept: per portfolio, per account, per instrument. */
export interface RiskLimitsPort {
  /** The portfolio's own settings (null where it takes the default); null when there is no such portfolio. */
  findPortfolioLimits(portfolioId: string): Promise<VersionedLimits<RiskLimitSettings> | null>;
  /** Replaces (or, `merge`, changes only the given fields of) the portfolio's settings; audited. */
  writePortfolioLimits(portfolioId: string, settings: RiskLimitSettings, mode: 'replace' | 'merge', principal: string): Promise<VersionedLimits<RiskLimitSettings>>;
  /** The account the portfolio trades through, with its limits. */
  findAccountOfPortfolio(portfolioId: string): Promise<{ account: AccountRecord; limits: VersionedLimits<AccountLimits> } | null>;
  findAccount(accountId: string): Promise<{ account: AccountRecord; limits: VersionedLimits<AccountLimits> } | null>;
  writeAccountLimits(accountId: string, limits: AccountLimits, principal: string): Promise<VersionedLimits<AccountLimits>>;
  setAccountStatus(accountId: string, status: AccountStatus, reason: string, principal: string): Promise<AccountRecord | null>;
  findInstrumentLimits(symbol: string): Promise<VersionedLimits<InstrumentLimits> | null>;
  /** Every instrument that sets a limit of its own. */
  listInstrumentLimits(): Promise<Map<string, InstrumentLimits>>;
  writeInstrumentLimits(symbol: string, limits: InstrumentLimits, principal: string): Promise<VersionedLimits<InstrumentLimits>>;
  findTradingState(scope: TradingStateScope, id: string): Promise<TradingStateRecord | null>;
  /**
   * Sets the state with a reason (audited with before and after, and a change announced to the
   * webhooks: the deliveries queued with it); null when there is no such portfolio or account.
   */
  setTradingState(scope: TradingStateScope, id: string, state: TradingState, reason: string, principal: string): Promise<TradingStateChange | null>;
}

/** A setting the database cannot honour (an unknown time zone): a client mistake, named by field. */
export class RiskLimitRejectedError extends Error {
  readonly code = 'RISK_LIMIT_REJECTED';
  override readonly name = 'RiskLimitRejectedError';
  constructor(readonly field: string, rule: string) {
    super(`${field}: ${rule}`);
  }
}

export class InstrumentNotFoundError extends Error {
  readonly code = 'INSTRUMENT_NOT_FOUND';
  override readonly name = 'InstrumentNotFoundError';
  constructor(readonly symbol: string) {
    super(`instrument ${symbol} does not exist`);
  }
}
