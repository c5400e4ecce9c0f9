import type { Knex } from 'knex';
import type { ExitStateDto } from '../../contracts/exit-contracts';
import type { PositionDirection, PositionStatus } from '../../domain/portfolio/position-lifecycle';
import { price } from '../../domain/values/price';
import type { ExitRecord, ExitsStore, ExitTrancheRecord, ExitTriggerIndex, PositionForExit } from '../../ports/exits.port';
import { num, toInstrument, type InstrumentRow } from './row-mappers';

type LifecycleRow = InstrumentRow & {
  id: string; portfolio_id: string; direction: PositionDirection; status: PositionStatus; entry_price: string; opened_quantity: string;
  quantity: string; realized_pnl: string; opened_at: Date; closed_at: Date | null;
};
type ExitRow = {
  position_id: string; workflow_id: string; portfolio_id: string; symbol: string; direction: PositionDirection; status: ExitRecord['status'];
  lower_trigger: string | null; upper_trigger: string | null; not_after: Date | null; state: ExitStateDto; started_by: string;
};
type TrancheRow = {
  tranche_id: string; order_id: string; reason: string; quantity: string; trigger_price: string | null; filled_quantity: string;
  average_price: string | null; realized_pnl: string; status: string;
};

const toExit = (r: ExitRow): ExitRecord => ({
  positionId: r.position_id, workflowId: r.workflow_id, portfolioId: r.portfolio_id, symbol: r.symbol, direction: r.direction, status: r.status,
  triggers: {
    lower: r.lower_trigger === null ? null : price(num(r.lower_trigger)), upper: r.upper_trigger === null ? null : price(num(r.upper_trigger)),
    notAfter: r.not_after?.toISOString() ?? null,
  },
  state: r.state, startedBy: r.started_by,
});
const toTranche = (r: TrancheRow): ExitTrancheRecord => ({
  trancheId: r.tranche_id, orderId: r.order_id, reason: r.reason, quantity: num(r.quantity), triggerPrice: r.trigger_price === null ? null : price(num(r.trigger_price)),
  filledQuantity: num(r.filled_quantity), averagePrice: r.average_price === null ? null : price(num(r.average_price)), realizedPnl: num(r.realized_pnl), status: r.status,
});

export function createExitsRepository(db: Knex): ExitsStore & ExitTriggerIndex {
  return {
    async findPosition(positionId) {
      const r = await db('position_lifecycles as l').join('instruments as i', 'i.symbol', 'l.symbol').where('l.id', positionId)
        .first<LifecycleRow | undefined>('l.*', 'i.name', 'i.asset_class', 'i.currency', 'i.tick_size', 'i.lot_size', 'i.min_notional', 'i.sector');
      if (!r) return null;
      const position: PositionForExit = {
        positionId: r.id, portfolioId: r.portfolio_id, symbol: r.symbol, direction: r.direction, status: r.status, entryPrice: price(num(r.entry_price)),
        openedQuantity: num(r.opened_quantity), quantity: num(r.quantity), realizedPnl: num(r.realized_pnl), openedAt: r.opened_at, closedAt: r.closed_at,
        instrument: toInstrument(r),
      };
      return position;
    },

    async livePositionId(portfolioId, symbol) {
      const row = await db('position_lifecycles').where({ portfolio_id: portfolioId, symbol }).whereNot({ status: 'CLOSED' }).first<{ id: string } | undefined>('id');
      return row?.id ?? null;
    },

    async saveExit(exit) {
      const columns = {
        workflow_id: exit.workflowId, portfolio_id: exit.portfolioId, symbol: exit.symbol, direction: exit.direction, status: exit.status,
        lower_trigger: exit.triggers.lower?.toFixed() ?? null, upper_trigger: exit.triggers.upper?.toFixed() ?? null, not_after: exit.triggers.notAfter,
        state: JSON.stringify(exit.state), started_by: exit.startedBy,
      };
      await db('position_exits').insert({ position_id: exit.positionId, ...columns })
        .onConflict('position_id').merge({ ...columns, updated_at: db.fn.now() });
    },

    async recordTranche(positionId, t) {
      const columns = {
        order_id: t.orderId, reason: t.reason, quantity: t.quantity.toFixed(), trigger_price: t.triggerPrice?.toFixed() ?? null, filled_quantity: t.filledQuantity.toFixed(),
        average_price: t.averagePrice?.toFixed() ?? null, realized_pnl: t.realizedPnl.toFixed(), status: t.status,
      };
      await db('exit_tranches').insert({ position_id: positionId, tranche_id: t.trancheId, ...columns })
        .onConflict(['position_id', 'tranche_id']).merge({ ...columns, updated_at: db.fn.now() });
    },

    async findExit(positionId) {
      const row = await db('position_exits').where({ position_id: positionId }).first<ExitRow | undefined>();
      if (!row) return null;
      const tranches = await db('exit_tranches').where({ position_id: positionId }).orderBy('created_at').select<TrancheRow[]>();
      return { exit: toExit(row), tranches: tranches.map(toTranche) };
    },

    async exitsCrossedBy({ symbol, bid, ask }) {
      const rows = await db('position_exits').where({ symbol, status: 'ACTIVE' })
        .andWhere((q) => q
          .where((long) => long.where({ direction: 'LONG' }).andWhere((l) => l.where('lower_trigger', '>=', bid.toFixed()).orWhere('upper_trigger', '<=', bid.toFixed())))
          .orWhere((short) => short.where({ direction: 'SHORT' }).andWhere((s) => s.where('upper_trigger', '<=', ask.toFixed()).orWhere('lower_trigger', '>=', ask.toFixed()))))
        .select<{ workflow_id: string }[]>('workflow_id');
      return rows.map((r) => r.workflow_id);
    },
  };
}
