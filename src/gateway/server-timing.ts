import type { Response } from 'express';

/**
 * Phases of a request, reported in the standard `Server-Timing` header (browser devtools and the
 * benchmark read it): where the time went, without a log line per request.
 */
export class ServerTiming {
  private readonly phases: Array<[string, number]> = [];
  private last = performance.now();

  /** Ends the phase that ran since the previous mark. */
  mark(phase: string): void {
    const now = performance.now();
    this.phases.push([phase, now - this.last]);
    this.last = now;
  }

  writeTo(res: Response): void {
    if (this.phases.length > 0) res.setHeader('Server-Timing', this.phases.map(([name, ms]) => `${name};dur=${ms.toFixed(1)}`).join(', '));
  }
}
