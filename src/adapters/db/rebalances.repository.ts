import type { Knex } from 'knex';
import type { RebalanceLegOutcome, RebalancePlanDto, RebalanceState, RebalanceStatus } from '../../contracts/rebalance-contracts';
import { toWire } from '../../domain/values/decimal';
import { Money } from '../../domain/values/money';
import { price } from '../../domain/values/price';
import { signedQuantity } from '../../domain/values/quantity';
import type { RebalancesStore } from '../../ports/rebalances.port';
import { appendAudit } from './audit-log.repository';
import { readRecentCloses } from './market-data.repository';
import { num, toInstrument, type InstrumentRow } from './row-mappers';

type RebalanceRow = { id: string; portfolio_id: string; status: RebalanceStatus; plan: RebalancePlanDto | null; plan_version: string | null; reason: string | null; approvals_required?: number };
type DecisionRow = { rebalance_id: string; decision: 'approve' | 'reject'; decided_by: string; plan_version: string; comment: string | null; decided_at: Date };
type LegRow = { rebalance_id: string; leg: number; symbol: string; side: 'BUY' | 'SELL'; quantity: string; order_id: string | null; status: RebalanceLegOutcome['status']; filled_quantity: string };

function toState(r: RebalanceRow, decisions: readonly DecisionRow[], legs: readonly LegRow[]): RebalanceState {
  return {
    rebalanceId: r.id, portfolioId: r.portfolio_id, status: r.status, planVersion: r.plan_version, plan: r.plan, reason: r.reason, approvalsRequired: r.approvals_required ?? 1,
    decisions: decisions.map((d) => ({ decision: d.decision, decidedBy: d.decided_by, planVersion: d.plan_version, comment: d.comment, decidedAt: d.decided_at.toISOString() })),
    legs: legs.map((l) => ({ leg: l.leg, symbol: l.symbol, side: l.side, quantity: toWire(num(l.quantity)), orderId: l.order_id, status: l.status, filledQuantity: toWire(num(l.filled_quantity)) })),
  };
}

export function createRebalancesRepository(db: Knex): RebalancesStore {
  async function states(rows: readonly RebalanceRow[]): Promise<RebalanceState[]> {
    const ids = rows.map((r) => r.id);
    const [decisions, legs] = await Promise.all([
      db('rebalance_decisions').whereIn('rebalance_id', ids).orderBy('id').select<DecisionRow[]>('*'),
      db('rebalance_legs').whereIn('rebalance_id', ids).orderBy('leg').select<LegRow[]>('*'),
    ]);
    return rows.map((r) => toState(r, decisions.filter((d) => d.rebalance_id === r.id), legs.filter((l) => l.rebalance_id === r.id)));
  }

  return {
    async portfolioForRebalance(portfolioId, alsoSymbols) {
      const p = await db('portfolios').where({ id: portfolioId }).first<{ cash: string; base_currency: string } | undefined>('cash', 'base_currency');
      if (!p) return null;
      const positions = await db('positions').where({ portfolio_id: portfolioId }).whereNot('quantity', 0)
        .select<Array<{ symbol: string; quantity: string; strategy_id: string | null }>>('symbol', 'quantity', 'strategy_id');
      const symbols = [...new Set([...positions.map((x) => x.symbol), ...alsoSymbols])];
      const [instruments, quotes] = await Promise.all([
        db('instruments').whereIn('symbol', symbols).where({ active: true }).select<InstrumentRow[]>('*'),
        db('quotes').whereIn('symbol', symbols).select<Array<{ symbol: string; bid: string; ask: string; last: string }>>('symbol', 'bid', 'ask', 'last'),
      ]);
      return {
        cash: Money.of(num(p.cash), p.base_currency),
        positions: positions.map((x) => ({ symbol: x.symbol, quantity: signedQuantity(num(x.quantity)), strategy: x.strategy_id })),
        marks: Object.fromEntries(quotes.map((q) => [q.symbol, price(num(q.last))])),
        quotes: Object.fromEntries(quotes.map((q) => [q.symbol, { bid: price(num(q.bid)), ask: price(num(q.ask)) }])),
        instruments: Object.fromEntries(instruments.map((i) => [i.symbol, toInstrument(i)])),
      };
    },

    async recordPlan(command, status, plan, reason, approvalsRequired = 1) {
      await db.transaction(async (trx) => {
        const inserted = await trx('rebalances').insert({
          id: command.rebalanceId, portfolio_id: command.portfolioId, mode: command.mode, status, reason,
          request: JSON.stringify({ method: command.method, settings: command.settings, approvalDeadlineSeconds: command.approvalDeadlineSeconds }),
          plan: plan === null ? null : JSON.stringify(plan), plan_version: plan?.version ?? null, requested_by: command.requestedBy, approvals_required: approvalsRequired,
        }).onConflict('id').ignore().returning('id');
        if (inserted.length === 0) return;
        await appendAudit(trx, { principal: command.requestedBy, action: 'rebalance.planned', entityType: 'rebalance', entityId: command.rebalanceId,
          details: { portfolioId: command.portfolioId, mode: command.mode, status, planVersion: plan?.version ?? null, legs: plan?.legs.length ?? 0, reason, approvalsRequired } });
      });
    },

    async replacePlan(rebalanceId, status, plan, reason, approvalsRequired = 1) {
      await db.transaction(async (trx) => {
        const before = await trx('rebalances').where({ id: rebalanceId }).forUpdate().first<{ plan_version: string | null } | undefined>('plan_version');
        if (!before) return;
        await trx('rebalances').where({ id: rebalanceId }).update({
          status, reason, plan: plan === null ? null : JSON.stringify(plan), plan_version: plan?.version ?? null, approvals_required: approvalsRequired, updated_at: trx.fn.now(),
        });
        await appendAudit(trx, { principal: 'system', action: 'rebalance.replanned', entityType: 'rebalance', entityId: rebalanceId,
          details: { previousVersion: before.plan_version, planVersion: plan?.version ?? null, status, reason } });
      });
    },

    async recordDecision(rebalanceId, d) {
      await db.transaction(async (trx) => {
        const inserted = await trx('rebalance_decisions').insert({
          rebalance_id: rebalanceId, decision: d.decision, decided_by: d.decidedBy, plan_version: d.planVersion, comment: d.comment, decided_at: d.decidedAt,
        }).onConflict(['rebalance_id', 'decided_by', 'decision']).ignore().returning('id');
        if (inserted.length > 0) {
          await appendAudit(trx, { principal: d.decidedBy, action: `rebalance.${d.decision === 'approve' ? 'approved' : 'rejected'}`, entityType: 'rebalance', entityId: rebalanceId,
            details: { planVersion: d.planVersion, comment: d.comment } });
        }
      });
    },

    async recordProgress(rebalanceId, status, legs, reason, principal) {
      await db.transaction(async (trx) => {
        const before = await trx('rebalances').where({ id: rebalanceId }).forUpdate().first<{ status: RebalanceStatus } | undefined>('status');
        if (!before) return;
        await trx('rebalances').where({ id: rebalanceId }).update({ status, reason, updated_at: trx.fn.now() });
        // One statement for every leg (a 50-leg plan records its progress 50 times).
        if (legs.length > 0) {
          await trx('rebalance_legs')
            .insert(legs.map((l) => ({ rebalance_id: rebalanceId, leg: l.leg, symbol: l.symbol, side: l.side, quantity: l.quantity, order_id: l.orderId, status: l.status, filled_quantity: l.filledQuantity })))
            .onConflict(['rebalance_id', 'leg']).merge(['symbol', 'side', 'quantity', 'order_id', 'status', 'filled_quantity']);
        }
        if (before.status !== status) {
          await appendAudit(trx, { principal, action: 'rebalance.status-changed', entityType: 'rebalance', entityId: rebalanceId, details: { before: before.status, after: status, reason } });
        }
      });
    },

    recentCloses: (symbols, count) => readRecentCloses(db, symbols, count),

    async find(rebalanceId) {
      const row = await db('rebalances').where({ id: rebalanceId }).first<RebalanceRow | undefined>();
      return row ? (await states([row]))[0]! : null;
    },

    async list(portfolioId, status, limit) {
      const q = db('rebalances').where({ portfolio_id: portfolioId }).orderBy([{ column: 'created_at', order: 'desc' }, { column: 'id', order: 'desc' }]).limit(limit);
      if (status) q.where({ status });
      return states(await q.select<RebalanceRow[]>('*'));
    },
  };
}
