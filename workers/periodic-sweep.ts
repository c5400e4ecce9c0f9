/**
 * Runs `sweep` every `intervalMs` (the next one starts when the last has ended) until stopped; an
 * error is reported and the next sweep tries again (the database or Temporal may be away a moment).
 * `stopped()` lets a long sweep end early.
 */
export function startPeriodicSweep(sweep: (stopped: () => boolean) => Promise<void>, intervalMs: number, onError: (err: unknown) => void): { stop(): Promise<void> } {
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<void> = Promise.resolve();
  const schedule = () => {
    timer = setTimeout(() => {
      sweeping = sweep(() => stopped).catch(onError).finally(() => {
        if (!stopped) schedule();
      });
    }, intervalMs);
  };
  schedule();
  return {
    async stop() {
      stopped = true;
      clearTimeout(timer);
      await sweeping;
    },
  };
}
