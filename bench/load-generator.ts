/** Fires `total` requests from `clients` concurrent lanes; `send` learns the request's index and its lane. */
export async function runLoad(total: number, clients: number, send: (i: number, lane: number) => Promise<void>): Promise<{ latenciesMs: number[]; elapsedMs: number }> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  const lane = async (laneIndex: number) => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      await send(i, laneIndex);
      latenciesMs.push(performance.now() - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(clients, total) }, (_, k) => lane(k)));
  return { latenciesMs, elapsedMs: performance.now() - started };
}

export function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return NaN;
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank]!;
}

export const median = (values: readonly number[]) => percentile([...values].sort((a, b) => a - b), 50);

export interface LoadSummary {
  readonly throughputPerSec: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
}

export function summarise(result: { latenciesMs: number[]; elapsedMs: number }): LoadSummary {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return { throughputPerSec: (sorted.length * 1000) / result.elapsedMs, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

export function merge(a: { latenciesMs: number[]; elapsedMs: number }, b: { latenciesMs: number[]; elapsedMs: number }) {
  return { latenciesMs: [...a.latenciesMs, ...b.latenciesMs], elapsedMs: a.elapsedMs + b.elapsedMs };
}
