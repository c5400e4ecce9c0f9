import type { Knex } from 'knex';
import type { WebhookDelivery, WebhookOutbox } from '../../ports/webhooks.port';

/** An event to announce to every webhook URL: its id is stable, so a receiver can drop repeats. */
export interface WebhookEvent {
  readonly id: string;
  readonly type: string;
  readonly payload: Record<string, unknown>;
}

/** Whose trading state changed. */
export interface TradingStateSubject {
  readonly scope: 'portfolio' | 'account';
  readonly id: string;
}

/**
 * A change of trading state as a webhook event, whoever made it (a person, the daily run, a
 * cooldown), with one id scheme: `state:<scope>:<id>:<key>`, the key naming the change once (the
 * moment it was made, or the daily run's date and the state it latched), so a receiver drops repeats.
 */
export function tradingStateChangedEvent(subject: TradingStateSubject, key: string, change: Readonly<Record<string, unknown>>): WebhookEvent {
  return {
    id: `state:${subject.scope}:${subject.id}:${key}`, type: 'trading-state.changed',
    payload: { [subject.scope === 'portfolio' ? 'portfolioId' : 'accountId']: subject.id, ...change },
  };
}

/**
 * Queues the events for every URL in the caller's transaction (the outbox: queued with the change
 * that raised them, delivered after). An event already queued for a URL is left as it is. Answers the
 * ids of those deliveries not yet attempted.
 */
export async function queueWebhookEvents(trx: Knex.Transaction, events: readonly WebhookEvent[], urls: readonly string[]): Promise<string[]> {
  if (events.length === 0 || urls.length === 0) return [];
  for (const e of events) {
    const body = JSON.stringify({ id: e.id, type: e.type, data: e.payload });
    for (const url of urls) await trx('webhook_deliveries').insert({ event_id: e.id, url, event_type: e.type, body }).onConflict(['event_id', 'url']).ignore();
  }
  const ids = await trx('webhook_deliveries').whereIn('event_id', events.map((e) => e.id)).where({ status: 'PENDING', attempts: 0 }).orderBy('id').pluck<string[]>('id');
  return ids.map(String);
}

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
    async unattempted(olderThanMs, limit) {
      const ids = await db('webhook_deliveries').where({ status: 'PENDING', attempts: 0 })
        .andWhere('created_at', '<', db.raw("now() - make_interval(secs => ?)", [olderThanMs / 1000])).orderBy('id').limit(limit).pluck<string[]>('id');
      return ids.map(String);
    },
  };
}
