import type { OrderSignals } from '../src/adapters/temporal/order-signals';
import type { Quote } from '../src/domain/market/quote';
import type { QuoteTicks } from '../src/ports/market-data.port';
import { startPeriodicSweep } from './periodic-sweep';

/** How often a worker looks for stored quote changes whose crossed orders were not woken. */
export const WAKE_SWEEP_INTERVAL_MS = 2_000;
/** A tick younger than this is left to the gateway that stored it, which wakes its orders at once. */
export const WAKE_GRACE_MS = 3_000;

export interface MarketWakerDeps {
  readonly ticks: QuoteTicks;
  /** The workflows a quote concerns: resting orders it crosses, exits whose trigger it passes. */
  readonly crossedBy: (quote: Quote) => Promise<string[]>;
  readonly signals: OrderSignals;
  readonly onError: (err: unknown) => void;
}

/**
 * Delivers the quote changes nobody delivered: a tick is stored with its quote, and marked woken
 * once every order it crosses has been signalled. If the gateway died (or Temporal was away) in
 * between, this sweep signals them, so a stored quote reaches every order (and exit) it crosses. A signal
 * delivered twice is harmless: the order looks at the venue again.
 */
export function startMarketWaker({ ticks, crossedBy, signals, onError }: MarketWakerDeps): { stop(): Promise<void> } {
  return startPeriodicSweep(async (stopped) => {
    for (const tick of await ticks.unwoken(WAKE_GRACE_MS, 100)) {
      if (stopped()) return;
      await signals.marketMoved(await crossedBy(tick.quote));
      await ticks.markWoken(tick.seq);
    }
  }, WAKE_SWEEP_INTERVAL_MS, onError);
}
