import type { Logger } from '../ports/logger.port';

/**
 * A signal that arrives again this soon is the same Ctrl-C delivered twice (the terminal signals
 * the whole process group, and npm forwards it to its child too), not a second Ctrl-C.
 */
const SAME_SIGNAL_WINDOW_MS = 1_000;

/**
 * Runs `stop` once on SIGINT or SIGTERM, then exits. A second signal, a moment later, exits at
 * once, so a stuck shutdown can always be interrupted.
 */
export function stopOnSignals(logger: Logger, stop: () => Promise<void>): void {
  let stoppingSince: number | undefined;
  const handle = (signal: NodeJS.Signals) => {
    if (stoppingSince !== undefined) {
      if (Date.now() - stoppingSince < SAME_SIGNAL_WINDOW_MS) return;
      logger.warn('second signal: exiting now', { signal });
      process.exit(130);
    }
    stoppingSince = Date.now();
    logger.info('shutting down', { signal });
    stop().then(
      () => {
        logger.info('stopped', { signal });
        process.exit(0);
      },
      (err: unknown) => {
        logger.error('shutdown failed', { error: err instanceof Error ? err.message : String(err) });
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', handle);
  process.on('SIGTERM', handle);
}
