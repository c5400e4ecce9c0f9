/** Dates of the daily run: ISO calendar dates (YYYY-MM-DD), in a named time zone. */

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;
const DAY_MS = 86_400_000;

/** The most dates one run covers (a year of weekdays and some). */
export const MAX_RUN_DATES = 370;

export class RunDatesError extends Error {
  readonly code = 'DAILY_RISK_DATES_INVALID';
  override readonly name = 'RunDatesError';
  constructor(readonly field: string, rule: string) {
    super(`${field}: ${rule}`);
  }
}

export function isIsoDate(value: string): boolean {
  if (!ISO_DATE.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !Number.isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** The calendar date an instant falls on in `timeZone`. */
export function dateIn(instant: Date, timeZone: string): string {
  const parts = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).formatToParts(instant);
  const part = (type: string) => parts.find((p) => p.type === type)?.value ?? '';
  return `${part('year')}-${part('month')}-${part('day')}`;
}

export function addDays(date: string, days: number): string {
  return new Date(new Date(`${date}T00:00:00Z`).getTime() + days * DAY_MS).toISOString().slice(0, 10);
}

const isWeekday = (date: string) => {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day !== 0 && day !== 6;
};

/** A backfill's dates: every weekday from `from` to `to` inclusive, oldest first. */
export function backfillDates(from: string, to: string): string[] {
  if (!isIsoDate(from)) throw new RunDatesError('from', 'must be a date YYYY-MM-DD');
  if (!isIsoDate(to)) throw new RunDatesError('to', 'must be a date YYYY-MM-DD');
  if (to < from) throw new RunDatesError('to', 'must not be before from');
  const dates: string[] = [];
  for (let d = from; d <= to; d = addDays(d, 1)) {
    if (isWeekday(d)) dates.push(d);
    if (dates.length > MAX_RUN_DATES) throw new RunDatesError('to', `a run covers at most ${MAX_RUN_DATES} weekdays`);
  }
  return dates;
}
