import type { Knex } from 'knex';
import { DAILY_RISK_PRINCIPAL } from '../../contracts/daily-risk-contracts';
import {
  addDays, BREACH_ACTIONS, DAILY_LIMIT_KINDS, DEFAULT_DAILY_RISK_SETTINGS, latchedState,
  type BreachAction, type DailyLimitKind, type DailyRiskSettings, type DayRiskBudget, type LimitBreach,
} from '../../domain/daily-risk';
import type { RiskBudgetDefinition } from '../../domain/analytics/risk-budget/risk-budget';
import { resolveRiskLimits } from '../../domain/risk/risk-limits';
import type { TradingState } from '../../domain/risk/trading-state';
import { Decimal, toWire } from '../../domain/values/decimal';
import type { DailyRiskStore, RiskSnapshotRecord } from '../../ports/daily-risk.port';
import { appendAudit } from './audit-log.repository';
import { queueWebhookEvents, tradingStateChangedEvent, type WebhookEvent } from './webhook-deliveries.repository';
import { createRiskLimitsRepository } from './risk-limits.repository';

type SnapshotRow = {
  portfolio_id: string; as_of_date: string; run_id: string; currency: string; equity: string; cash: string; daily_pnl: string;
  realized_pnl: string; unrealized_pnl: string; trading_state: TradingState; risk: Record<string, unknown>; performance: Record<string, unknown>;
  breaches: LimitBreach[]; computed_at: Date;
};
const SNAPSHOT_COLUMNS = ['portfolio_id', 'run_id', 'currency', 'equity', 'cash', 'daily_pnl', 'realized_pnl', 'unrealized_pnl',
  'trading_state', 'risk', 'performance', 'breaches', 'computed_at'] as const;

const wire = (v: string) => toWire(new Decimal(v));
const toRecord = (r: SnapshotRow): RiskSnapshotRecord => ({
  portfolioId: r.portfolio_id, date: r.as_of_date, runId: r.run_id, currency: r.currency, equity: wire(r.equity), cash: wire(r.cash),
  dailyPnl: wire(r.daily_pnl), realizedPnl: wire(r.realized_pnl), unrealizedPnl: wire(r.unrealized_pnl), tradingState: r.trading_state,
  risk: r.risk, performance: r.performance, breaches: r.breaches, computedAt: r.computed_at,
});

function selectSnapshots(db: Knex) {
  return db('risk_snapshots').select([...SNAPSHOT_COLUMNS, db.raw(`to_char(as_of_date, 'YYYY-MM-DD') as as_of_date`)]);
}

type SettingsRow = {
  max_drawdown_pct: string | null; max_var95_pct: string | null; actions: Record<string, string>;
  stop_out_limit: number | null; stop_out_lookback_minutes: number | null; cooldown_minutes: number | null;
  benchmark_symbol: string | null; min_observations: number | null; de_risking_scale: string | null;
};
export function toDailyRiskSettings(row: SettingsRow | undefined): DailyRiskSettings {
  if (!row) return DEFAULT_DAILY_RISK_SETTINGS;
  const actions: Partial<Record<DailyLimitKind, BreachAction>> = {};
  for (const [k, v] of Object.entries(row.actions ?? {})) {
    if ((DAILY_LIMIT_KINDS as readonly string[]).includes(k) && (BREACH_ACTIONS as readonly string[]).includes(v)) actions[k as DailyLimitKind] = v as BreachAction;
  }
  const d = DEFAULT_DAILY_RISK_SETTINGS;
  return {
    maxDrawdownPct: row.max_drawdown_pct === null ? null : new Decimal(row.max_drawdown_pct),
    maxVar95Pct: row.max_var95_pct === null ? null : new Decimal(row.max_var95_pct),
    actions,
    stopOutLimit: row.stop_out_limit,
    stopOutLookbackMinutes: row.stop_out_lookback_minutes ?? d.stopOutLookbackMinutes,
    cooldownMinutes: row.cooldown_minutes ?? d.cooldownMinutes,
    benchmarkSymbol: row.benchmark_symbol,
    minObservations: row.min_observations ?? d.minObservations,
    deRiskingScale: row.de_risking_scale === null ? null : new Decimal(row.de_risking_scale),
  };
}

/** Calendar days that surely hold `lookbackDays` trading days (weekends, holidays). */
const calendarWindow = (lookbackDays: number) => Math.ceil(lookbackDays * 1.5) + 14;

export function createRiskSnapshotsRepository(db: Knex): DailyRiskStore {
  const riskLimits = createRiskLimitsRepository(db);
  return {
    async listPortfolioIds(only) {
      const q = db('portfolios').orderBy('id').pluck('id');
      if (only !== undefined) q.whereIn('id', [...only]);
      return q;
    },

    async loadPortfolioDay(portfolioId, date, lookbackDays) {
      const portfolio = await db('portfolios').where({ id: portfolioId })
        .first<{ cash: string; base_currency: string; trading_state: TradingState } | undefined>('cash', 'base_currency', 'trading_state');
      if (!portfolio) return null;
      const [positions, closed, limits, settingsRow, earlier, budgetRows] = await Promise.all([
        db('positions as p').join('instruments as i', 'i.symbol', 'p.symbol').where('p.portfolio_id', portfolioId).whereNot('p.quantity', 0)
          .orderBy('p.symbol').select<Array<{ symbol: string; quantity: string; average_cost: string; realized_pnl: string; sector: string; strategy_id: string | null }>>(
            'p.symbol', 'p.quantity', 'p.average_cost', 'p.realized_pnl', 'i.sector', 'p.strategy_id'),
        db('positions').where({ portfolio_id: portfolioId, quantity: 0 }).first<{ pnl: string | null }>(db.raw('sum(realized_pnl) as pnl')),
        riskLimits.findPortfolioLimits(portfolioId),
        db('daily_risk_settings').where({ portfolio_id: portfolioId }).first<SettingsRow | undefined>(),
        db('risk_snapshots').where({ portfolio_id: portfolioId }).where('as_of_date', '<', date)
          .first<{ peak: string | null; previous: string | null }>(db.raw('max(equity) as peak'),
            db.raw('(array_agg(equity order by as_of_date desc))[1] as previous')),
        db('risk_budgets').where({ portfolio_id: portfolioId }).orderBy('created_at')
          .select<Array<{ id: string; name: string; entity_type: DayRiskBudget['entityType']; lookback_days: number | null; definition: RiskBudgetDefinition }>>(
            'id', 'name', 'entity_type', 'lookback_days', 'definition'),
      ]);
      const settings = toDailyRiskSettings(settingsRow);
      const benchmarkSymbol = settings.benchmarkSymbol;
      const symbols = positions.map((p) => p.symbol);
      const wanted = benchmarkSymbol === null ? symbols : [...new Set([...symbols, benchmarkSymbol])];
      // Enough closes for the run's lookback and for every budget's own.
      const window = Math.max(lookbackDays, ...budgetRows.map((b) => b.lookback_days ?? 0));
      const closeRows = symbols.length === 0 ? [] : (await db.raw<{ rows: Array<{ symbol: string; date: string; close: string }> }>(
        `select symbol, to_char(date, 'YYYY-MM-DD') as date, close from price_history
          where symbol = any(?) and date <= ?::date and date > ?::date order by symbol, date`,
        [wanted, date, addDays(date, -calendarWindow(window))])).rows;
      const closes = new Map<string, Array<{ date: string; close: number }>>();
      const marks = new Map<string, Decimal>();
      const previousCloses = new Map<string, Decimal>();
      const benchmarkCloses: Array<{ date: string; close: number }> = [];
      const held = new Set(symbols);
      for (const r of closeRows) {
        const daily = { date: r.date, close: Number(r.close) };
        if (r.symbol === benchmarkSymbol) benchmarkCloses.push(daily);
        if (!held.has(r.symbol)) continue;
        let list = closes.get(r.symbol);
        if (!list) closes.set(r.symbol, (list = []));
        list.push(daily);
        const close = new Decimal(r.close);
        if (r.date < date) previousCloses.set(r.symbol, close);
        marks.set(r.symbol, close);
      }
      const resolved = resolveRiskLimits(limits?.limits ?? {});
      return {
        date, currency: portfolio.base_currency, cash: new Decimal(portfolio.cash),
        holdings: positions.map((p) => ({
          symbol: p.symbol, quantity: new Decimal(p.quantity), averageCost: new Decimal(p.average_cost), realizedPnl: new Decimal(p.realized_pnl), sector: p.sector, strategy: p.strategy_id,
        })),
        closedRealizedPnl: new Decimal(closed?.pnl ?? 0),
        marks, previousCloses, closes, lookbackDays,
        benchmark: benchmarkSymbol === null ? null : { symbol: benchmarkSymbol, closes: benchmarkCloses },
        riskBudgets: budgetRows.map((b) => ({ id: b.id, name: b.name, entityType: b.entity_type, lookbackDays: b.lookback_days, definition: b.definition })),
        peakEquity: earlier?.peak ? new Decimal(earlier.peak) : null,
        previousEquity: earlier?.previous ? new Decimal(earlier.previous) : null,
        limits: resolved,
        settings,
        currentState: portfolio.trading_state,
      };
    },

    async recordDay({ runId, portfolioId, date, currency, result, webhookUrls }) {
      return db.transaction(async (trx) => {
        // One recorder per portfolio at a time: the state read here is the one latched.
        const locked = await trx('portfolios').where({ id: portfolioId }).forNoKeyUpdate()
          .first<{ trading_state: TradingState; trading_state_reason: string | null }>('trading_state', 'trading_state_reason');
        const stateBefore = locked!.trading_state;
        const newBreaches: LimitBreach[] = [];
        for (const b of result.breaches) {
          const inserted = await trx('risk_breaches').insert({
            portfolio_id: portfolioId, as_of_date: date, limit_kind: b.kind, observed: b.observed, limit_value: b.limit, action: b.action, run_id: runId,
          }).onConflict(['portfolio_id', 'as_of_date', 'limit_kind']).ignore().returning('id');
          if (inserted.length > 0) newBreaches.push(b);
        }
        const stateAfter = latchedState(stateBefore, newBreaches);
        const events: WebhookEvent[] = [];
        for (const b of newBreaches) {
          await appendAudit(trx, { principal: DAILY_RISK_PRINCIPAL, action: 'risk.breach', entityType: 'portfolio', entityId: portfolioId,
            details: { runId, date, kind: b.kind, observed: b.observed, limit: b.limit, action: b.action, message: b.message } });
          events.push({ id: `breach:${portfolioId}:${date}:${b.kind}`, type: 'risk.breach', payload: { portfolioId, date, runId, ...b } });
        }
        if (stateAfter !== stateBefore) {
          const reason = `daily risk ${date}: ${newBreaches.filter((b) => b.action !== 'ALERT').map((b) => b.message).join('; ')}`;
          await trx('portfolios').where({ id: portfolioId }).update({
            trading_state: stateAfter, trading_state_reason: reason, trading_state_changed_by: DAILY_RISK_PRINCIPAL, trading_state_changed_at: trx.fn.now(),
          });
          await appendAudit(trx, { principal: DAILY_RISK_PRINCIPAL, action: 'trading-state.changed', entityType: 'portfolio', entityId: portfolioId,
            details: { before: stateBefore, after: stateAfter, reason, previousReason: locked!.trading_state_reason, runId, date, latched: true } });
          events.push(tradingStateChangedEvent({ scope: 'portfolio', id: portfolioId }, `${date}:${stateAfter}`, {
            date, runId, before: stateBefore, after: stateAfter, reason, changedBy: DAILY_RISK_PRINCIPAL,
          }));
        }
        const row = {
          portfolio_id: portfolioId, as_of_date: date, run_id: runId, currency,
          equity: result.equity.toFixed(), cash: result.cash.toFixed(), daily_pnl: result.dailyPnl.toFixed(),
          realized_pnl: result.realizedPnl.toFixed(), unrealized_pnl: result.unrealizedPnl.toFixed(), trading_state: stateAfter,
          risk: JSON.stringify(result.risk), performance: JSON.stringify(result.performance), breaches: JSON.stringify(result.breaches), computed_at: trx.fn.now(),
        };
        await trx('risk_snapshots').insert(row).onConflict(['portfolio_id', 'as_of_date']).merge();
        await queueWebhookEvents(trx, events, webhookUrls);
        // Every delivery of this portfolio's day not yet attempted, not only those inserted now: if an
        // earlier attempt of this step committed but its answer was lost, its deliveries are handed on here.
        const pending = await trx('webhook_deliveries').where({ status: 'PENDING', attempts: 0 })
          .andWhere((q) => q.where('event_id', 'like', `breach:${portfolioId}:${date}:%`).orWhere('event_id', 'like', `state:portfolio:${portfolioId}:${date}:%`))
          .orderBy('id').pluck<string[]>('id');
        return { newBreaches, stateBefore, stateAfter, deliveryIds: pending.map(String) };
      });
    },

    async listSnapshots({ portfolioIds, from, to, limit }) {
      const q = selectSnapshots(db).orderBy([{ column: 'portfolio_id' }, { column: 'risk_snapshots.as_of_date' }]).limit(limit);
      if (portfolioIds !== 'all') q.whereIn('portfolio_id', [...portfolioIds]);
      if (from !== undefined) q.where('risk_snapshots.as_of_date', '>=', from);
      if (to !== undefined) q.where('risk_snapshots.as_of_date', '<=', to);
      return ((await q) as SnapshotRow[]).map(toRecord);
    },

    async latestSnapshots(portfolioId, limit) {
      const rows = await selectSnapshots(db).where({ portfolio_id: portfolioId }).orderBy('risk_snapshots.as_of_date', 'desc').limit(limit);
      return (rows as SnapshotRow[]).map(toRecord);
    },

    async findSettings(portfolioId) {
      return toDailyRiskSettings(await db('daily_risk_settings').where({ portfolio_id: portfolioId }).first<SettingsRow | undefined>());
    },

    async writeSettings(portfolioId, settings, principal) {
      return db.transaction(async (trx) => {
        const before = await trx('daily_risk_settings').where({ portfolio_id: portfolioId }).forUpdate().first<SettingsRow | undefined>();
        const row = {
          portfolio_id: portfolioId, max_drawdown_pct: settings.maxDrawdownPct?.toFixed() ?? null, max_var95_pct: settings.maxVar95Pct?.toFixed() ?? null,
          actions: JSON.stringify(settings.actions), stop_out_limit: settings.stopOutLimit, stop_out_lookback_minutes: settings.stopOutLookbackMinutes,
          cooldown_minutes: settings.cooldownMinutes, benchmark_symbol: settings.benchmarkSymbol, min_observations: settings.minObservations,
          de_risking_scale: settings.deRiskingScale?.toFixed() ?? null,
          updated_by: principal, updated_at: trx.fn.now(),
        };
        const [written] = await trx('daily_risk_settings').insert(row).onConflict('portfolio_id').merge().returning<SettingsRow[]>('*');
        await appendAudit(trx, { principal, action: 'daily-risk-settings.changed', entityType: 'portfolio', entityId: portfolioId,
          details: { before: before ?? null, after: { ...row, actions: settings.actions, updated_at: undefined } } });
        return toDailyRiskSettings(written);
      });
    },
  };
}
