import type { AssetClass } from '../instruments/instrument';
import { isOpen, nextOpen } from './trading-calendar';

/** When markets open, per asset class: the exchange calendar by default, a synthetic one in tests. */
export interface MarketCalendar {
  isOpen(assetClass: AssetClass, at: Date): boolean;
  /** The earliest instant ≥ `after` at which the market is open. */
  nextOpen(assetClass: AssetClass, after: Date): Date;
}

export const EXCHANGE_CALENDAR: MarketCalendar = { isOpen, nextOpen };

/** How many times the search moves forward before it gives up (markets whose sessions never overlap). */
const MAX_STEPS = 64;

/**
 * The earliest instant ≥ `after` at which every given market is open at once: `after` itself when
 * they all are. Each step moves to the latest of the next opens; it ends when all are open there.
 * Null when no common session is found within the steps (e.g. markets that never overlap).
 */
export function whenAllOpen(assetClasses: readonly AssetClass[], after: Date, calendar: MarketCalendar = EXCHANGE_CALENDAR): Date | null {
  const classes = [...new Set(assetClasses)];
  let at = after;
  for (let i = 0; i < MAX_STEPS; i++) {
    if (classes.every((c) => calendar.isOpen(c, at))) return at;
    at = new Date(Math.max(...classes.map((c) => calendar.nextOpen(c, at).getTime()), at.getTime() + 1));
  }
  return null;
}
