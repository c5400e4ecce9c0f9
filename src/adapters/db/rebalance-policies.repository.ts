import type { Knex } from 'knex';
import { DEFAULT_REBALANCE_POLICY, type RebalancePolicy } from '../../domain/rebalance/rebalance-policy';
import { toWire, type Decimal } from '../../domain/values/decimal';
import type { RebalancePoliciesStore, RebalancePolicyDto, StoredRebalancePolicy, StoredRebalanceSchedule, StoredTargetSet, TargetSetDto } from '../../ports/rebalance-policies.port';
import { appendAudit } from './audit-log.repository';
import { num } from './row-mappers';

type PolicyRow = {
  portfolio_id: string; two_approvers_above: string | null; automatic_allowed: boolean; automatic_max_traded_value: string | null;
  automatic_max_cost_pct: string | null; respect_market_hours: boolean; updated_by: string; updated_at: Date;
};
type TargetRow = { portfolio_id: string; kind: 'asset' | 'strategy'; name: string; target: string; min: string | null; max: string | null; threshold: string | null; updated_by: string; updated_at: Date };

const opt = (v: string | null) => (v === null ? null : num(v));
const wire = (v: Decimal | null) => (v === null ? null : toWire(v));

/** The one row mapper: the stored policy, or the defaults. */
function policyOf(row: PolicyRow | undefined): RebalancePolicy {
  return !row ? DEFAULT_REBALANCE_POLICY : {
    twoApproversAbove: opt(row.two_approvers_above), automaticAllowed: row.automatic_allowed, automaticMaxTradedValue: opt(row.automatic_max_traded_value),
    automaticMaxCostPct: opt(row.automatic_max_cost_pct), respectMarketHours: row.respect_market_hours,
  };
}

function toPolicy(portfolioId: string, row: PolicyRow | undefined): StoredRebalancePolicy {
  const p = policyOf(row);
  return {
    portfolioId, twoApproversAbove: wire(p.twoApproversAbove), automaticAllowed: p.automaticAllowed, automaticMaxTradedValue: wire(p.automaticMaxTradedValue),
    automaticMaxCostPct: wire(p.automaticMaxCostPct), respectMarketHours: p.respectMarketHours, updatedBy: row?.updated_by ?? null, updatedAt: row?.updated_at.toISOString() ?? null,
  };
}

function toTargetSet(portfolioId: string, rows: readonly TargetRow[]): StoredTargetSet | null {
  const first = rows[0];
  if (!first) return null;
  const targets: TargetSetDto = first.kind === 'asset'
    ? { assets: Object.fromEntries(rows.map((r) => [r.name, { target: toWire(num(r.target)), ...(r.min !== null && { min: toWire(num(r.min)) }), ...(r.max !== null && { max: toWire(num(r.max)) }) }])) }
    : { strategies: Object.fromEntries(rows.map((r) => [r.name, { target: toWire(num(r.target)), min: toWire(num(r.min ?? r.target)), max: toWire(num(r.max ?? r.target)), threshold: toWire(num(r.threshold ?? '0.05')) }])) };
  const latest = rows.reduce((a, r) => (r.updated_at > a.updated_at ? r : a), first);
  return { portfolioId, targets, updatedBy: latest.updated_by, updatedAt: latest.updated_at.toISOString() };
}

type ScheduleRow = { portfolio_id: string; schedule_id: string; definition: Record<string, unknown>; updated_by: string; updated_at: Date; command_issued_at: Date | null };
const toSchedule = (r: ScheduleRow): StoredRebalanceSchedule => ({
  portfolioId: r.portfolio_id, scheduleId: r.schedule_id, definition: r.definition, updatedBy: r.updated_by, updatedAt: r.updated_at.toISOString(),
  commandIssuedAt: r.command_issued_at?.toISOString() ?? null,
});

export function createRebalancePoliciesRepository(db: Knex): RebalancePoliciesStore {
  const readPolicy = async (trx: Knex | Knex.Transaction, portfolioId: string) => toPolicy(portfolioId, await trx('rebalance_policies').where({ portfolio_id: portfolioId }).first<PolicyRow | undefined>());
  const readTargets = async (trx: Knex | Knex.Transaction, portfolioId: string) =>
    toTargetSet(portfolioId, await trx('rebalance_targets').where({ portfolio_id: portfolioId }).orderBy('name').select<TargetRow[]>('*'));

  return {
    policy: (portfolioId) => readPolicy(db, portfolioId),

    policyForPlanning: async (portfolioId) => policyOf(await db('rebalance_policies').where({ portfolio_id: portfolioId }).first<PolicyRow | undefined>()),

    async putPolicy(portfolioId, p: RebalancePolicyDto, principal) {
      return db.transaction(async (trx) => {
        const before = await readPolicy(trx, portfolioId);
        const row = {
          two_approvers_above: p.twoApproversAbove, automatic_allowed: p.automaticAllowed, automatic_max_traded_value: p.automaticMaxTradedValue,
          automatic_max_cost_pct: p.automaticMaxCostPct, respect_market_hours: p.respectMarketHours, updated_by: principal, updated_at: trx.fn.now(),
        };
        await trx('rebalance_policies').insert({ portfolio_id: portfolioId, ...row }).onConflict('portfolio_id').merge(row);
        const after = await readPolicy(trx, portfolioId);
        const { portfolioId: _a, updatedBy: _b, updatedAt: _c, ...previous } = before;
        const { portfolioId: _d, updatedBy: _e, updatedAt: _f, ...current } = after;
        await appendAudit(trx, { principal, action: 'rebalance-policy.changed', entityType: 'portfolio', entityId: portfolioId, details: { before: previous, after: current } });
        return after;
      });
    },

    targetSet: (portfolioId) => readTargets(db, portfolioId),

    async putTargetSet(portfolioId, targets, principal) {
      return db.transaction(async (trx) => {
        const before = await readTargets(trx, portfolioId);
        await trx('rebalance_targets').where({ portfolio_id: portfolioId }).delete();
        const rows = 'assets' in targets
          ? Object.entries(targets.assets).map(([name, t]) => ({ kind: 'asset', name, target: t.target, min: t.min ?? null, max: t.max ?? null, threshold: null }))
          : Object.entries(targets.strategies).map(([name, t]) => ({ kind: 'strategy', name, target: t.target, min: t.min, max: t.max, threshold: t.threshold }));
        if (rows.length > 0) await trx('rebalance_targets').insert(rows.map((r) => ({ portfolio_id: portfolioId, ...r, updated_by: principal, updated_at: trx.fn.now() })));
        const after = await readTargets(trx, portfolioId);
        await appendAudit(trx, { principal, action: 'rebalance-targets.changed', entityType: 'portfolio', entityId: portfolioId, details: { before: before?.targets ?? null, after: after?.targets ?? null } });
        if (!after) throw new Error('a target set with no entry cannot be stored');
        return after;
      });
    },

    async schedule(portfolioId) {
      const row = await db('rebalance_schedules').where({ portfolio_id: portfolioId }).first<ScheduleRow | undefined>();
      return row ? toSchedule(row) : null;
    },

    async putSchedule(portfolioId, scheduleId, definition, principal, commandIssuedAt) {
      return db.transaction(async (trx) => {
        const row = { schedule_id: scheduleId, definition: JSON.stringify(definition), updated_by: principal, updated_at: trx.fn.now(), command_issued_at: commandIssuedAt };
        await trx('rebalance_schedules').insert({ portfolio_id: portfolioId, ...row }).onConflict('portfolio_id').merge(row);
        await appendAudit(trx, { principal, action: 'rebalance-schedule.put', entityType: 'portfolio', entityId: portfolioId, details: { scheduleId, definition } });
        return toSchedule(await trx('rebalance_schedules').where({ portfolio_id: portfolioId }).first<ScheduleRow>());
      });
    },

    async deleteSchedule(portfolioId, principal) {
      return db.transaction(async (trx) => {
        const deleted = await trx('rebalance_schedules').where({ portfolio_id: portfolioId }).delete();
        if (deleted > 0) await appendAudit(trx, { principal, action: 'rebalance-schedule.deleted', entityType: 'portfolio', entityId: portfolioId, details: {} });
        return deleted > 0;
      });
    },
  };
}
