/** A round of load: every request's latency, and its steady part, while every lane had work. */
export interface LoadResult {
  readonly latenciesMs: number[];
  /** From the first answer (every lane busy) to the moment the last request was sent; answers at the first's moment are not in it. */
  readonly steadyMs: number;
  /** Requests answered within the steady part. */
  readonly steadyAnswered: number;
}

/**
 * Fires `total` requests from `clients` concurrent lanes; `send` learns the request's index and its
 * lane. Throughput counts the steady part only: before the first answer every lane is still
 * filling, and once the last request is sent lanes fall idle one by one, so one slow answer at the
 * end (the dev server holds a few for two seconds) would otherwise stretch the whole round's time.
 */
export async function runLoad(total: number, clients: number, send: (i: number, lane: number) => Promise<void>): Promise<LoadResult> {
  const latenciesMs: number[] = [];
  let next = 0;
  const started = performance.now();
  let firstAnswerAt: number | undefined;
  let answeredAtFirst = 0;
  let steady: { endsAt: number; answered: number } | undefined;
  const lane = async (laneIndex: number) => {
    while (next < total) {
      const i = next++;
      const t0 = performance.now();
      if (next === total) steady = { endsAt: t0, answered: latenciesMs.length };
      await send(i, laneIndex);
      const t1 = performance.now();
      firstAnswerAt ??= t1;
      if (t1 === firstAnswerAt) answeredAtFirst++;
      latenciesMs.push(t1 - t0);
    }
  };
  await Promise.all(Array.from({ length: Math.min(clients, total) }, (_, k) => lane(k)));
  if (firstAnswerAt !== undefined && steady !== undefined && steady.answered > answeredAtFirst && steady.endsAt > firstAnswerAt) {
    return { latenciesMs, steadyMs: steady.endsAt - firstAnswerAt, steadyAnswered: steady.answered - answeredAtFirst };
  }
  return { latenciesMs, steadyMs: performance.now() - started, steadyAnswered: latenciesMs.length };
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

export function summarise(result: LoadResult): LoadSummary {
  const sorted = [...result.latenciesMs].sort((a, b) => a - b);
  return { throughputPerSec: (result.steadyAnswered * 1000) / result.steadyMs, p50Ms: percentile(sorted, 50), p99Ms: percentile(sorted, 99) };
}

export function merge(a: LoadResult, b: LoadResult): LoadResult {
  return { latenciesMs: [...a.latenciesMs, ...b.latenciesMs], steadyMs: a.steadyMs + b.steadyMs, steadyAnswered: a.steadyAnswered + b.steadyAnswered };
}
