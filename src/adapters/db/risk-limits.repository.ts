import type { Knex } from 'knex';
import type { RiskLimitSettings } from '../../domain/risk/risk-limits';
import type { AccountStatus, TradingState } from '../../domain/risk/trading-state';
import {
  InstrumentNotFoundError, RiskLimitRejectedError,
  type AccountRecord, type RiskLimitsPort, type TradingStateRecord, type TradingStateScope, type VersionedLimits,
} from '../../ports/risk-limits.port';
import { appendAudit } from './audit-log.repository';
import { queueWebhookEvents, tradingStateChangedEvent } from './webhook-deliveries.repository';
import {
  fromAccountLimits, fromInstrumentLimits, fromRiskLimitSettings, RISK_LIMITS_SELECT, toAccountLimits, toInstrumentLimits, toRiskLimitSettings,
  type AccountLimitsRow, type InstrumentLimitsRow, type RiskLimitsRow,
} from './row-mappers';

type Versioned = { version: number; updated_by: string | null; updated_at: Date | null };
type StateRow = { trading_state: TradingState; trading_state_reason: string | null; trading_state_changed_by: string | null; trading_state_changed_at: Date | null };
type AccountRow = StateRow & { id: string; status: AccountStatus };

const versioned = <T>(limits: T, row: Versioned | undefined): VersionedLimits<T> => ({
  limits, version: row?.version ?? 0, updatedBy: row?.updated_by ?? null, updatedAt: row?.updated_at ?? null,
});
const toState = (r: StateRow): TradingStateRecord => ({
  state: r.trading_state, reason: r.trading_state_reason, changedBy: r.trading_state_changed_by, changedAt: r.trading_state_changed_at,
});
const toAccount = (r: AccountRow): AccountRecord => ({ accountId: r.id, status: r.status, tradingState: toState(r) });
const STATE_COLUMNS = ['trading_state', 'trading_state_reason', 'trading_state_changed_by', 'trading_state_changed_at'] as const;
const ACCOUNT_LIMIT_COLUMNS = ['max_order_value', 'max_order_quantity', 'max_daily_trades', 'allowed_symbols', 'version', 'updated_by', 'updated_at'];
const INSTRUMENT_LIMIT_COLUMNS = ['max_order_value', 'max_order_quantity', 'price_collar_pct', 'version', 'updated_by', 'updated_at'];

/** The database must know the trading day's time zone, or every decision would fail on it. */
async function assertKnownTimeZone(trx: Knex.Transaction, zone: string | null | undefined): Promise<void> {
  if (zone === null || zone === undefined) return;
  const { rows } = await trx.raw<{ rows: unknown[] }>('select 1 from pg_timezone_names where name = ?', [zone]);
  if (rows.length === 0) throw new RiskLimitRejectedError('tradingDayTimeZone', `${zone} is not a time zone the database knows`);
}

/** `webhookUrls`: where a change of trading state is announced (none: not announced). */
export function createRiskLimitsRepository(db: Knex, options: { readonly webhookUrls?: readonly string[] } = {}): RiskLimitsPort {
  async function accountWithLimits(where: Knex.QueryCallback) {
    const account = await db('accounts').where(where).first<AccountRow | undefined>('id', 'status', ...STATE_COLUMNS);
    if (!account) return null;
    const row = await db('account_risk_limits').where({ account_id: account.id }).first<(AccountLimitsRow & Versioned) | undefined>(ACCOUNT_LIMIT_COLUMNS);
    return { account: toAccount(account), limits: versioned(toAccountLimits(row), row) };
  }

  return {
    async findPortfolioLimits(portfolioId) {
      const exists = await db('portfolios').where({ id: portfolioId }).first('id');
      if (!exists) return null;
      const row = await db('risk_limits').where({ portfolio_id: portfolioId })
        .first<(RiskLimitsRow & Versioned) | undefined>(db.raw(RISK_LIMITS_SELECT), 'version', 'updated_by', 'updated_at');
      return versioned(row ? toRiskLimitSettings(row) : {}, row);
    },

    async writePortfolioLimits(portfolioId, settings, mode, principal) {
      return db.transaction(async (trx) => {
        const before = await trx('risk_limits').where({ portfolio_id: portfolioId }).forUpdate()
          .first<(RiskLimitsRow & Versioned) | undefined>(trx.raw(RISK_LIMITS_SELECT), 'version');
        const beforeSettings = before ? toRiskLimitSettings(before) : {};
        const after: RiskLimitSettings = mode === 'merge' ? { ...beforeSettings, ...settings } : settings;
        await assertKnownTimeZone(trx, after.tradingDayTimeZone);
        const version = (before?.version ?? 0) + 1;
        const row = { ...fromRiskLimitSettings(after), version, updated_by: principal, updated_at: trx.fn.now() };
        await trx('risk_limits').insert({ portfolio_id: portfolioId, ...row }).onConflict('portfolio_id').merge(row);
        await appendAudit(trx, { principal, action: 'risk-limits.changed', entityType: 'portfolio', entityId: portfolioId,
          details: { scope: 'portfolio', version, before: before ? fromRiskLimitSettings(beforeSettings) : null, after: fromRiskLimitSettings(after) } });
        return { limits: after, version, updatedBy: principal, updatedAt: new Date() };
      });
    },

    async findAccountOfPortfolio(portfolioId) {
      const p = await db('portfolios').where({ id: portfolioId }).first<{ account_id: string } | undefined>('account_id');
      return p ? accountWithLimits((q) => q.where({ id: p.account_id })) : null;
    },

    findAccount: (accountId) => accountWithLimits((q) => q.where({ id: accountId })),

    async writeAccountLimits(accountId, limits, principal) {
      return db.transaction(async (trx) => {
        // The account row first: the lock order of a decision that counts the account's trades.
        await trx('accounts').where({ id: accountId }).forNoKeyUpdate().first('id');
        const before = await trx('account_risk_limits').where({ account_id: accountId }).forUpdate().first<(AccountLimitsRow & Versioned) | undefined>(ACCOUNT_LIMIT_COLUMNS);
        const version = (before?.version ?? 0) + 1;
        const row = { ...fromAccountLimits(limits), version, updated_by: principal, updated_at: trx.fn.now() };
        await trx('account_risk_limits').insert({ account_id: accountId, ...row }).onConflict('account_id').merge(row);
        await appendAudit(trx, { principal, action: 'risk-limits.changed', entityType: 'account', entityId: accountId,
          details: { scope: 'account', version, before: before ? fromAccountLimits(toAccountLimits(before)) : null, after: fromAccountLimits(limits) } });
        return { limits, version, updatedBy: principal, updatedAt: new Date() };
      });
    },

    async setAccountStatus(accountId, status, reason, principal) {
      return db.transaction(async (trx) => {
        const before = await trx('accounts').where({ id: accountId }).forNoKeyUpdate().first<AccountRow | undefined>('id', 'status', ...STATE_COLUMNS);
        if (!before) return null;
        const [row] = await trx('accounts').where({ id: accountId }).update({ status }).returning<AccountRow[]>(['id', 'status', ...STATE_COLUMNS]);
        await appendAudit(trx, { principal, action: 'account.status-changed', entityType: 'account', entityId: accountId,
          details: { before: before.status, after: status, reason } });
        return toAccount(row!);
      });
    },

    async findInstrumentLimits(symbol) {
      const instrument = await db('instruments').where({ symbol }).first('symbol');
      if (!instrument) return null;
      const row = await db('instrument_risk_limits').where({ symbol }).first<(InstrumentLimitsRow & Versioned) | undefined>(INSTRUMENT_LIMIT_COLUMNS);
      return versioned(toInstrumentLimits(row), row);
    },

    async listInstrumentLimits() {
      const rows = await db('instrument_risk_limits').select<Array<InstrumentLimitsRow & { symbol: string }>>('symbol', ...INSTRUMENT_LIMIT_COLUMNS);
      return new Map(rows.map((r) => [r.symbol, toInstrumentLimits(r)]));
    },

    async writeInstrumentLimits(symbol, limits, principal) {
      return db.transaction(async (trx) => {
        if (!(await trx('instruments').where({ symbol }).first('symbol'))) throw new InstrumentNotFoundError(symbol);
        const before = await trx('instrument_risk_limits').where({ symbol }).forUpdate().first<(InstrumentLimitsRow & Versioned) | undefined>(INSTRUMENT_LIMIT_COLUMNS);
        const version = (before?.version ?? 0) + 1;
        const row = { ...fromInstrumentLimits(limits), version, updated_by: principal, updated_at: trx.fn.now() };
        await trx('instrument_risk_limits').insert({ symbol, ...row }).onConflict('symbol').merge(row);
        await appendAudit(trx, { principal, action: 'risk-limits.changed', entityType: 'instrument', entityId: symbol,
          details: { scope: 'instrument', version, before: before ? fromInstrumentLimits(toInstrumentLimits(before)) : null, after: fromInstrumentLimits(limits) } });
        return { limits, version, updatedBy: principal, updatedAt: new Date() };
      });
    },

    async findTradingState(scope: TradingStateScope, id: string) {
      const row = await db(scope === 'portfolio' ? 'portfolios' : 'accounts').where({ id }).first<StateRow | undefined>(...STATE_COLUMNS);
      return row ? toState(row) : null;
    },

    async setTradingState(scope, id, state, reason, principal) {
      const table = scope === 'portfolio' ? 'portfolios' : 'accounts';
      return db.transaction(async (trx) => {
        const before = await trx(table).where({ id }).forNoKeyUpdate().first<StateRow | undefined>(...STATE_COLUMNS);
        if (!before) return null;
        const [row] = await trx(table).where({ id }).update({
          trading_state: state, trading_state_reason: reason, trading_state_changed_by: principal, trading_state_changed_at: trx.fn.now(),
        }).returning<StateRow[]>([...STATE_COLUMNS]);
        await appendAudit(trx, { principal, action: 'trading-state.changed', entityType: scope, entityId: id,
          details: { before: before.trading_state, after: state, reason, previousReason: before.trading_state_reason } });
        const changed = toState(row!);
        // A change of state is announced to the webhooks, queued with the change itself.
        const deliveryIds = before.trading_state === state ? [] : await queueWebhookEvents(trx, [
          tradingStateChangedEvent({ scope, id }, changed.changedAt?.toISOString() ?? '', { before: before.trading_state, after: state, reason, changedBy: principal }),
        ], options.webhookUrls ?? []);
        return { ...changed, deliveryIds };
      });
    },
  } satisfies RiskLimitsPort;
}
