import type { Logger } from '../ports/logger.port';

export type Stopper = () => Promise<void>;

/**
 * What a process has started, stopped in reverse order: a start that fails half way stops what it
 * had started, and every stop step runs even when an earlier one fails.
 */
export class StopStack {
  private readonly stoppers: Stopper[] = [];

  constructor(private readonly logger: Logger) {}

  push(stop: Stopper): void {
    this.stoppers.push(stop);
  }

  async stopAll(): Promise<void> {
    for (let stop = this.stoppers.pop(); stop; stop = this.stoppers.pop()) {
      await stop().catch((err: unknown) => this.logger.warn('stop step failed', { error: err instanceof Error ? err.message : String(err) }));
    }
  }

  /** Runs a start; when it fails, stops what was pushed so far and rethrows. */
  async starting<T>(start: () => Promise<T>): Promise<T> {
    try {
      return await start();
    } catch (err) {
      await this.stopAll();
      throw err;
    }
  }
}
