import { simpleReturns } from '../statistics/return-series';

/** One symbol's stored daily closes (floats: they feed statistics), oldest first. */
export type DailyCloses = ReadonlyArray<{ readonly date: string; readonly close: number }>;

/** Daily closes of several symbols on the dates all of them have, as returns per symbol. */
export interface AlignedReturns {
  readonly assets: readonly string[];
  /** The dates the returns end on (the first common date has no return). */
  readonly dates: readonly string[];
  /** One series per asset, in `assets` order. */
  readonly returns: readonly (readonly number[])[];
  /** Dates some symbol lacked, dropped for every symbol. */
  readonly droppedDates: number;
}

/**
 * Aligns daily closes (floats, oldest first) on the dates every symbol has and takes simple
 * returns over the last `lookback` of them. A symbol without closes leaves nothing to align.
 */
export function alignReturns(closes: ReadonlyMap<string, DailyCloses>, lookback: number): AlignedReturns {
  const assets = [...closes.keys()];
  const byAsset = assets.map((a) => new Map(closes.get(a)!.map((c) => [c.date, c.close])));
  const allDates = new Set(assets.flatMap((a) => closes.get(a)!.map((c) => c.date)));
  const common = [...allDates].filter((d) => byAsset.every((m) => m.has(d))).sort();
  const used = common.slice(-(lookback + 1));
  const returns = byAsset.map((m) => Array.from(simpleReturns(used.map((d) => m.get(d)!))));
  return { assets, dates: used.slice(1), returns, droppedDates: allDates.size - common.length };
}
