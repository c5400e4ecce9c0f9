import type { WebhookSender } from '../../ports/webhooks.port';
import { signWebhook, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from './webhook-signature';

export class WebhookRejectedError extends Error {
  readonly code = 'WEBHOOK_NOT_ACCEPTED';
  override readonly name = 'WebhookRejectedError';
  constructor(readonly url: string, readonly status: number) {
    super(`the webhook receiver answered ${status}`);
  }
}

/** Posts signed JSON with a deadline; a receiver's non-2xx answer is an error (retried by the caller). */
export function createHttpWebhookSender(options: { secret: string | undefined; timeoutMs?: number; now: () => Date }): WebhookSender {
  return {
    async send(delivery) {
      if (options.secret === undefined) throw new Error('no webhook secret is configured');
      const timestamp = Math.floor(options.now().getTime() / 1000);
      const res = await fetch(delivery.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'user-agent': 'riskflow-webhooks/1',
          'x-riskflow-event': delivery.eventType,
          'x-riskflow-delivery': delivery.id,
          [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(options.secret, timestamp, delivery.body),
        },
        body: delivery.body,
        signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
      });
      await res.arrayBuffer().catch(() => undefined);
      if (!res.ok) throw new WebhookRejectedError(delivery.url, res.status);
    },
  };
}
