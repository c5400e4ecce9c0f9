import type { WebhookHandOff, WebhookOutbox } from '../src/ports/webhooks.port';
import { startPeriodicSweep } from './periodic-sweep';

/** How often a worker looks for queued webhooks that nobody handed to a delivery workflow. */
export const OUTBOX_SWEEP_INTERVAL_MS = 10_000;
/** A delivery younger than this is left to whoever queued it, who hands it over at once. */
export const OUTBOX_GRACE_MS = 60_000;

export interface WebhookOutboxSweepDeps {
  readonly outbox: Pick<WebhookOutbox, 'unattempted'>;
  readonly handOff: WebhookHandOff;
  readonly onError: (err: unknown) => void;
}

/**
 * Delivers the webhooks whose hand-off was lost: a delivery is queued in the transaction of the
 * change that raised it and handed to a delivery workflow after the commit. If the process died
 * (or Temporal was away) in between, this sweep hands it over, so a queued event always leaves. A
 * delivery handed twice is sent once: the workflow skips one already delivered, and receivers drop
 * repeats by the event's id.
 */
export function startWebhookOutboxSweep({ outbox, handOff, onError }: WebhookOutboxSweepDeps): { stop(): Promise<void> } {
  return startPeriodicSweep(async (stopped) => {
    for (const id of await outbox.unattempted(OUTBOX_GRACE_MS, 100)) {
      if (stopped()) return;
      await handOff.deliver([id]);
    }
  }, OUTBOX_SWEEP_INTERVAL_MS, onError);
}
