import type { AssetClass } from '../instruments/instrument';

/**
 * When markets are open, per asset class, from rules alone (no clock: every function takes the
 * instant it is asked about).
 * - CRYPTO: always open.
 * - EQUITY, ETF, FUTURE (US; futures are treated like equities for now): 09:30–16:00
 *   America/New_York on weekdays except NYSE holidays; 13:00 closes on the day after
 *   Thanksgiving, Christmas Eve and July 3 (when those are trading days).
 * - FX: from Sunday 17:00 to Friday 17:00 New York time, no holidays modelled.
 * Time-zone math uses Intl.DateTimeFormat (tz data, not a clock), so DST transitions are exact.
 */
export const EXCHANGE_TIME_ZONE = 'America/New_York';

interface LocalDate {
  readonly year: number;
  readonly month: number; // 1..12
  readonly day: number;
}

interface LocalDateTime extends LocalDate {
  readonly hour: number;
  readonly minute: number;
  readonly second: number;
  /** 0 Sunday .. 6 Saturday. */
  readonly weekday: number;
}

const formatter = new Intl.DateTimeFormat('en-US', {
  timeZone: EXCHANGE_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric',
});

/** Day of week of a civil date, 0 Sunday .. 6 Saturday (computed, not read from a clock). */
function weekdayOf(d: LocalDate): number {
  return new Date(Date.UTC(d.year, d.month - 1, d.day)).getUTCDay();
}

function addDays(d: LocalDate, days: number): LocalDate {
  const t = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: t.getUTCFullYear(), month: t.getUTCMonth() + 1, day: t.getUTCDate() };
}

function localOf(at: Date): LocalDateTime {
  const parts: Record<string, number> = {};
  for (const p of formatter.formatToParts(at)) if (p.type !== 'literal') parts[p.type] = Number(p.value);
  const date = { year: parts['year'] ?? 0, month: parts['month'] ?? 0, day: parts['day'] ?? 0 };
  return { ...date, hour: parts['hour'] ?? 0, minute: parts['minute'] ?? 0, second: parts['second'] ?? 0, weekday: weekdayOf(date) };
}

/** The instant at which New York wall-clock time reads `date hh:mm` (times used here never fall in a DST gap). */
function instantOf(date: LocalDate, hour: number, minute: number): Date {
  const wallAsUtc = Date.UTC(date.year, date.month - 1, date.day, hour, minute);
  let guess = wallAsUtc;
  // Two rounds of "how far is the wall clock at my guess from the wanted one" settle the offset.
  for (let i = 0; i < 2; i++) {
    const l = localOf(new Date(guess));
    const shownAsUtc = Date.UTC(l.year, l.month - 1, l.day, l.hour, l.minute, l.second);
    guess += wallAsUtc - shownAsUtc;
  }
  return new Date(guess);
}

const key = (d: LocalDate): string => `${d.year}-${String(d.month).padStart(2, '0')}-${String(d.day).padStart(2, '0')}`;

/** Easter Sunday (Gregorian), by the anonymous Gregorian computus (Meeus/Jones/Butcher). */
export function easterSunday(year: number): LocalDate {
  const a = year % 19;
  const b = Math.floor(year / 100);
  const c = year % 100;
  const d = Math.floor(b / 4);
  const e = b % 4;
  const f = Math.floor((b + 8) / 25);
  const g = Math.floor((b - f + 1) / 3);
  const h = (19 * a + b - d - g + 15) % 30;
  const i = Math.floor(c / 4);
  const k = c % 4;
  const l = (32 + 2 * e + 2 * i - h - k) % 7;
  const m = Math.floor((a + 11 * h + 22 * l) / 451);
  const month = Math.floor((h + l - 7 * m + 114) / 31);
  const day = ((h + l - 7 * m + 114) % 31) + 1;
  return { year, month, day };
}

/** The n-th (1-based) given weekday of a month; n = -1 for the last one. */
function nthWeekday(year: number, month: number, weekday: number, n: number): LocalDate {
  if (n > 0) {
    const first = weekdayOf({ year, month, day: 1 });
    return { year, month, day: 1 + ((weekday - first + 7) % 7) + 7 * (n - 1) };
  }
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  const last = weekdayOf({ year, month, day: lastDay });
  return { year, month, day: lastDay - ((last - weekday + 7) % 7) };
}

/** Saturday → Friday, Sunday → Monday. */
function observed(d: LocalDate): LocalDate {
  const wd = weekdayOf(d);
  return wd === 6 ? addDays(d, -1) : wd === 0 ? addDays(d, 1) : d;
}

export interface MarketHoliday {
  readonly date: string; // YYYY-MM-DD, New York
  readonly name: string;
}

/**
 * NYSE full-day holidays of a year, by rule. New Year's Day on a Saturday is not observed on the
 * Friday before (NYSE rule: that Friday closes a year), on a Sunday it moves to Monday.
 */
export function nyseHolidays(year: number): MarketHoliday[] {
  const out: Array<[LocalDate, string]> = [];
  const newYear = { year, month: 1, day: 1 };
  if (weekdayOf(newYear) !== 6) out.push([observed(newYear), "New Year's Day"]);
  out.push([nthWeekday(year, 1, 1, 3), 'Martin Luther King Jr. Day']);
  out.push([nthWeekday(year, 2, 1, 3), "Washington's Birthday"]);
  out.push([addDays(easterSunday(year), -2), 'Good Friday']);
  out.push([nthWeekday(year, 5, 1, -1), 'Memorial Day']);
  if (year >= 2022) out.push([observed({ year, month: 6, day: 19 }), 'Juneteenth']);
  out.push([observed({ year, month: 7, day: 4 }), 'Independence Day']);
  out.push([nthWeekday(year, 9, 1, 1), 'Labor Day']);
  out.push([nthWeekday(year, 11, 4, 4), 'Thanksgiving Day']);
  out.push([observed({ year, month: 12, day: 25 }), 'Christmas Day']);
  return out.map(([d, name]) => ({ date: key(d), name })).sort((a, b) => (a.date < b.date ? -1 : 1));
}

function isNyseHoliday(d: LocalDate): boolean {
  const k = key(d);
  return nyseHolidays(d.year).some((h) => h.date === k);
}

export function isNyseTradingDay(d: LocalDate): boolean {
  const wd = weekdayOf(d);
  return wd !== 0 && wd !== 6 && !isNyseHoliday(d);
}

/** 13:00 closes: the day after Thanksgiving, Christmas Eve, July 3, each only when a trading day. */
export function isNyseEarlyClose(d: LocalDate): boolean {
  if (!isNyseTradingDay(d)) return false;
  const thanksgiving = nthWeekday(d.year, 11, 4, 4);
  if (key(addDays(thanksgiving, 1)) === key(d)) return true;
  return (d.month === 12 && d.day === 24) || (d.month === 7 && d.day === 3);
}

interface Session {
  readonly open: Date;
  readonly close: Date;
}

function equitySession(d: LocalDate): Session | null {
  if (!isNyseTradingDay(d)) return null;
  return { open: instantOf(d, 9, 30), close: isNyseEarlyClose(d) ? instantOf(d, 13, 0) : instantOf(d, 16, 0) };
}

/** FX week: opens Sunday 17:00, closes Friday 17:00 New York; `d` is any day in it. */
function fxSessionContaining(d: LocalDate, weekday: number): Session {
  // Days back to the Sunday that opened this week (a Sunday before 17:00 belongs to no session; callers handle it).
  const sunday = addDays(d, -weekday);
  return { open: instantOf(sunday, 17, 0), close: instantOf(addDays(sunday, 5), 17, 0) };
}

/** Sessions whose close is after `after`, earliest first (enough of them to answer any question). */
function sessionsFrom(assetClass: Exclude<AssetClass, 'CRYPTO'>, after: Date): Session[] {
  const local = localOf(after);
  const today: LocalDate = { year: local.year, month: local.month, day: local.day };
  if (assetClass === 'FX') {
    const thisWeek = fxSessionContaining(today, local.weekday);
    const nextWeek = fxSessionContaining(addDays(today, 7), local.weekday);
    return [thisWeek, nextWeek].filter((s) => s.close.getTime() > after.getTime());
  }
  const out: Session[] = [];
  // The longest NYSE closure by rule is a weekend plus a holiday: 15 days is ample.
  for (let i = 0; i < 15 && out.length < 2; i++) {
    const s = equitySession(addDays(today, i));
    if (s !== null && s.close.getTime() > after.getTime()) out.push(s);
  }
  return out;
}

export function isOpen(assetClass: AssetClass, at: Date): boolean {
  if (assetClass === 'CRYPTO') return true;
  const s = sessionsFrom(assetClass, at)[0];
  return s !== undefined && s.open.getTime() <= at.getTime() && at.getTime() < s.close.getTime();
}

/** The earliest instant ≥ `after` at which the market is open: `after` itself when it is open. */
export function nextOpen(assetClass: AssetClass, after: Date): Date {
  if (assetClass === 'CRYPTO') return new Date(after.getTime());
  const s = sessionsFrom(assetClass, after)[0];
  if (s === undefined) throw new Error(`no ${assetClass} session found after ${after.toISOString()}`);
  return new Date(Math.max(s.open.getTime(), after.getTime()));
}

/** The first close strictly after `after` (of the running session, else of the next); null for CRYPTO (never closes). */
export function nextClose(assetClass: AssetClass, after: Date): Date | null {
  if (assetClass === 'CRYPTO') return null;
  const s = sessionsFrom(assetClass, after)[0];
  if (s === undefined) throw new Error(`no ${assetClass} session found after ${after.toISOString()}`);
  return s.close;
}
