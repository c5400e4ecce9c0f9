import type { Knex } from 'knex';
import type { WebhookDelivery, WebhookOutbox } from '../../ports/webhooks.port';

type Row = { id: string; event_id: string; event_type: string; url: string; body: string; status: WebhookDelivery['status']; attempts: number };

export function createWebhookOutbox(db: Knex): WebhookOutbox {
  return {
    async find(id) {
      const r = await db('webhook_deliveries').where({ id }).first<Row | undefined>();
      return r ? { id: String(r.id), eventId: r.event_id, eventType: r.event_type, url: r.url, body: r.body, status: r.status, attempts: r.attempts } : null;
    },
    async recordAttempt(id, outcome) {
      await db('webhook_deliveries').where({ id }).whereNot('status', 'DELIVERED').update(outcome.delivered
        ? { status: 'DELIVERED', attempts: db.raw('attempts + 1'), delivered_at: db.fn.now(), last_error: null }
        : { status: outcome.final ? 'FAILED' : 'PENDING', attempts: db.raw('attempts + 1'), last_error: outcome.error.slice(0, 500) });
    },
  };
}
