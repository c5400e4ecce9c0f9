import type { Knex } from 'knex';
import { cooldownAfterStopOuts } from '../../domain/daily-risk';
import type { StopOutsPort } from '../../ports/daily-risk.port';
import { appendAudit } from './audit-log.repository';
import { toDailyRiskSettings } from './risk-snapshots.repository';
import { queueWebhookEvents, tradingStateChangedEvent } from './webhook-deliveries.repository';

/** The principal a cooldown acts as: its state change is told apart from an admin's or the daily run's. */
export const COOLDOWN_PRINCIPAL = 'protection:cooldown';

/** `webhookUrls`: where a cooldown's changes of trading state are announced, queued with the change. */
export function createStopOutsRepository(db: Knex, options: { readonly webhookUrls?: readonly string[] } = {}): StopOutsPort {
  const announce = (trx: Knex.Transaction, portfolioId: string, changedAt: Date, change: Readonly<Record<string, unknown>>) =>
    queueWebhookEvents(trx, [tradingStateChangedEvent({ scope: 'portfolio', id: portfolioId }, changedAt.toISOString(), { ...change, changedBy: COOLDOWN_PRINCIPAL })], options.webhookUrls ?? []);
  return {
    async recordStopOut(portfolioId, symbol, at, orderId) {
      return db.transaction(async (trx) => {
        const portfolio = await trx('portfolios').where({ id: portfolioId }).forNoKeyUpdate().first<{ trading_state: string } | undefined>('trading_state');
        if (!portfolio) throw new Error(`portfolio ${portfolioId} does not exist`);
        await trx('stop_outs').insert({ portfolio_id: portfolioId, symbol, occurred_at: at, order_id: orderId ?? null }).onConflict('order_id').ignore();
        const settings = toDailyRiskSettings(await trx('daily_risk_settings').where({ portfolio_id: portfolioId }).first());
        if (settings.stopOutLimit === null) return { cooldownUntil: null, deliveryIds: [] };
        const times = await trx('stop_outs').where({ portfolio_id: portfolioId })
          .where('occurred_at', '>', new Date(at.getTime() - settings.stopOutLookbackMinutes * 60_000)).pluck<Date[]>('occurred_at');
        const decision = cooldownAfterStopOuts(times.map((t) => new Date(t)), settings, at);
        if (!decision.cooldown) return { cooldownUntil: null, deliveryIds: [] };
        await trx('trading_cooldowns').insert({ portfolio_id: portfolioId, until: decision.until, reason: decision.reason })
          .onConflict('portfolio_id').merge({ until: decision.until, reason: decision.reason, created_at: trx.fn.now() });
        // Only an ACTIVE portfolio is moved: a stricter state set by a person or the daily run stands.
        if (portfolio.trading_state !== 'ACTIVE') return { cooldownUntil: decision.until, deliveryIds: [] };
        const [moved] = await trx('portfolios').where({ id: portfolioId }).update({
          trading_state: 'REDUCING', trading_state_reason: decision.reason, trading_state_changed_by: COOLDOWN_PRINCIPAL, trading_state_changed_at: trx.fn.now(),
        }).returning<Array<{ trading_state_changed_at: Date }>>('trading_state_changed_at');
        const change = { before: 'ACTIVE', after: 'REDUCING', reason: decision.reason, until: decision.until.toISOString() };
        await appendAudit(trx, { principal: COOLDOWN_PRINCIPAL, action: 'trading-state.changed', entityType: 'portfolio', entityId: portfolioId, details: change });
        return { cooldownUntil: decision.until, deliveryIds: await announce(trx, portfolioId, moved!.trading_state_changed_at, change) };
      });
    },

    async releaseCooldown(portfolioId, until) {
      return db.transaction(async (trx) => {
        const cooldown = await trx('trading_cooldowns').where({ portfolio_id: portfolioId }).forUpdate().first<{ until: Date } | undefined>('until');
        // A later stop-out extended it: that cooldown's own release ends it.
        if (!cooldown || new Date(cooldown.until).getTime() > until.getTime()) return { released: false, deliveryIds: [] };
        await trx('trading_cooldowns').where({ portfolio_id: portfolioId }).delete();
        const [moved] = await trx('portfolios').where({ id: portfolioId, trading_state: 'REDUCING', trading_state_changed_by: COOLDOWN_PRINCIPAL })
          .update({ trading_state: 'ACTIVE', trading_state_reason: 'protection: cooldown over', trading_state_changed_by: COOLDOWN_PRINCIPAL, trading_state_changed_at: trx.fn.now() })
          .returning<Array<{ trading_state_changed_at: Date }>>('trading_state_changed_at');
        if (!moved) return { released: false, deliveryIds: [] };
        const change = { before: 'REDUCING', after: 'ACTIVE', reason: 'protection: cooldown over' };
        await appendAudit(trx, { principal: COOLDOWN_PRINCIPAL, action: 'trading-state.changed', entityType: 'portfolio', entityId: portfolioId, details: change });
        return { released: true, deliveryIds: await announce(trx, portfolioId, moved.trading_state_changed_at, change) };
      });
    },
  };
}
