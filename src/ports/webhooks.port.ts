/** A queued webhook delivery: the exact body that is signed and sent to one URL. */
export interface WebhookDelivery {
  readonly id: string;
  readonly eventId: string;
  readonly eventType: string;
  readonly url: string;
  readonly body: string;
  readonly status: 'PENDING' | 'DELIVERED' | 'FAILED';
  readonly attempts: number;
}

/** The outbox: events are queued with the change that raised them, delivered after. */
export interface WebhookOutbox {
  find(id: string): Promise<WebhookDelivery | null>;
  recordAttempt(id: string, outcome: { delivered: true } | { delivered: false; error: string; final: boolean }): Promise<void>;
  /** Deliveries queued more than `olderThanMs` ago and never attempted (oldest first, at most `limit`): their hand-off may have been lost. */
  unattempted(olderThanMs: number, limit: number): Promise<string[]>;
}

/**
 * Hands queued deliveries to a delivery workflow of their own, after the commit that queued them.
 * Deliveries already handed (by another process, or an earlier call) are left to that workflow.
 */
export interface WebhookHandOff {
  deliver(deliveryIds: readonly string[]): Promise<void>;
}

/** Posts one signed body; throws when the receiver does not answer 2xx. */
export interface WebhookSender {
  send(delivery: WebhookDelivery): Promise<void>;
}
