import { Decimal } from '../values/decimal';
import { price, type Price } from '../values/price';

/** One daily close as it arrives, before it is checked. */
export interface RawClose {
  readonly symbol: string;
  readonly date: string;
  readonly close: string;
}

/** One symbol's closes after the checks: sorted, one per date. */
export interface SymbolHistory {
  readonly symbol: string;
  readonly closes: ReadonlyArray<{ readonly date: string; readonly close: Price }>;
}

/** What the import found in one symbol's closes, beside what it loads. */
export interface SymbolImportReport {
  readonly symbol: string;
  readonly rows: number;
  readonly from: string | null;
  readonly to: string | null;
  /** The input was not in date order (it is loaded sorted). */
  readonly unsorted: boolean;
  /** Dates given more than once with different closes: the last one given is loaded. */
  readonly duplicateDates: readonly string[];
  /** Runs of missing business days (Monday to Friday; holidays count) between the first and last date: reported, never filled. The first 20 are listed. */
  readonly gaps: ReadonlyArray<{ readonly from: string; readonly to: string; readonly businessDays: number }>;
  readonly gapCount: number;
  readonly missingBusinessDays: number;
  /** Empty cells of a wide CSV (a symbol not yet listed, say): skipped. */
  readonly emptyCells: number;
}

export interface PriceImportProblem {
  /** Where: `line 12`, `prices.3.close`, … */
  readonly at: string;
  readonly rule: string;
}

export class PriceImportError extends Error {
  readonly code = 'PRICE_HISTORY_INVALID';
  constructor(readonly problems: readonly PriceImportProblem[]) {
    super(`the price history has ${problems.length} problem(s): ${problems.slice(0, 5).map((p) => `${p.at}: ${p.rule}`).join('; ')}`);
  }
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const CLOSE = /^(0|[1-9]\d{0,12})(\.\d{1,12})?$/;
const SYMBOL = /^[A-Z0-9][A-Z0-9.\-/]{0,19}$/;
const MAX_PROBLEMS = 50;

const validDate = (d: string) => DATE.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`)) && new Date(`${d}T00:00:00Z`).toISOString().startsWith(d);

/**
 * Reads CSV in either shape: long (`symbol,date,close` header, one close per line) or wide
 * (`date,<SYMBOL>,<SYMBOL>,…` header, one date per line, empty cells skipped — PyPortfolioOpt's
 * stock_prices.csv is wide). Dates are ISO (YYYY-MM-DD); closes are decimals.
 */
export function parsePriceCsv(text: string): { closes: RawClose[]; emptyCells: Map<string, number> } {
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/).map((l) => l.trim()).filter((l) => l.length > 0);
  if (lines.length === 0) throw new PriceImportError([{ at: 'line 1', rule: 'the CSV is empty: it needs a header line' }]);
  const header = lines[0]!.split(',').map((h) => h.trim());
  const lower = header.map((h) => h.toLowerCase());
  const closes: RawClose[] = [];
  const emptyCells = new Map<string, number>();
  const problems: PriceImportProblem[] = [];
  if (lower.length === 3 && lower[0] === 'symbol' && lower[1] === 'date' && lower[2] === 'close') {
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',').map((c) => c.trim());
      if (cells.length !== 3) problems.push({ at: `line ${i + 2}`, rule: `expected 3 cells (symbol,date,close), found ${cells.length}` });
      else closes.push({ symbol: cells[0]!, date: cells[1]!, close: cells[2]! });
    });
  } else if (lower[0] === 'date' && header.length >= 2) {
    const symbols = header.slice(1);
    lines.slice(1).forEach((line, i) => {
      const cells = line.split(',').map((c) => c.trim());
      if (cells.length !== header.length) {
        problems.push({ at: `line ${i + 2}`, rule: `expected ${header.length} cells like the header, found ${cells.length}` });
        return;
      }
      symbols.forEach((symbol, j) => {
        const cell = cells[j + 1]!;
        if (cell === '') emptyCells.set(symbol, (emptyCells.get(symbol) ?? 0) + 1);
        else closes.push({ symbol, date: cells[0]!, close: cell });
      });
    });
  } else {
    problems.push({ at: 'line 1', rule: 'the header must be "symbol,date,close" (long) or "date,<SYMBOL>,…" (wide)' });
  }
  if (problems.length > 0) throw new PriceImportError(problems.slice(0, MAX_PROBLEMS));
  return { closes, emptyCells };
}

/** Business days (Monday to Friday) strictly between two ISO dates. */
function businessDaysBetween(from: string, to: string): { first: string; last: string; count: number } | null {
  const day = 86_400_000;
  let first: string | null = null;
  let last: string | null = null;
  let count = 0;
  for (let t = Date.parse(`${from}T00:00:00Z`) + day; t < Date.parse(`${to}T00:00:00Z`); t += day) {
    const weekday = new Date(t).getUTCDay();
    if (weekday === 0 || weekday === 6) continue;
    const iso = new Date(t).toISOString().slice(0, 10);
    first ??= iso;
    last = iso;
    count++;
  }
  return count === 0 ? null : { first: first!, last: last!, count };
}

/**
 * Checks and orders the closes: every symbol, date and close must be well formed (each problem is
 * named by where it is); dates are sorted, a repeated date keeps the last close given, and gaps
 * are reported, never filled.
 */
export function preparePriceHistory(raw: readonly RawClose[], where: (index: number) => string, emptyCells: ReadonlyMap<string, number> = new Map()): { histories: SymbolHistory[]; report: SymbolImportReport[] } {
  const problems: PriceImportProblem[] = [];
  const bySymbol = new Map<string, Array<{ date: string; close: Price; index: number }>>();
  raw.forEach((r, i) => {
    if (problems.length >= MAX_PROBLEMS) return;
    if (!SYMBOL.test(r.symbol)) problems.push({ at: `${where(i)}.symbol`, rule: 'symbol must be 1-20 upper-case letters, digits, ".", "-" or "/"' });
    else if (!validDate(r.date)) problems.push({ at: `${where(i)}.date`, rule: `date must be a calendar date YYYY-MM-DD, not ${JSON.stringify(r.date)}` });
    else if (!CLOSE.test(r.close) || new Decimal(r.close).lte(0)) problems.push({ at: `${where(i)}.close`, rule: `close must be a positive decimal such as "101.25", not ${JSON.stringify(r.close)}` });
    else {
      let list = bySymbol.get(r.symbol);
      if (!list) bySymbol.set(r.symbol, (list = []));
      list.push({ date: r.date, close: price(r.close), index: i });
    }
  });
  if (problems.length > 0) throw new PriceImportError(problems);
  if (bySymbol.size === 0) throw new PriceImportError([{ at: 'prices', rule: 'there are no closes to load' }]);

  const histories: SymbolHistory[] = [];
  const report: SymbolImportReport[] = [];
  for (const [symbol, list] of [...bySymbol].sort(([a], [b]) => (a < b ? -1 : 1))) {
    const unsorted = list.some((c, i) => i > 0 && c.date < list[i - 1]!.date);
    const byDate = new Map<string, { close: Price; index: number }>();
    const duplicates = new Set<string>();
    for (const c of list) {
      const seen = byDate.get(c.date);
      if (seen && !seen.close.eq(c.close)) duplicates.add(c.date);
      byDate.set(c.date, { close: c.close, index: c.index });
    }
    const closes = [...byDate].sort(([a], [b]) => (a < b ? -1 : 1)).map(([date, { close }]) => ({ date, close }));
    const gaps = [];
    for (let i = 1; i < closes.length; i++) {
      const missing = businessDaysBetween(closes[i - 1]!.date, closes[i]!.date);
      if (missing) gaps.push({ from: missing.first, to: missing.last, businessDays: missing.count });
    }
    histories.push({ symbol, closes });
    report.push({
      symbol, rows: closes.length, from: closes[0]?.date ?? null, to: closes[closes.length - 1]?.date ?? null,
      unsorted, duplicateDates: [...duplicates].sort(), gaps: gaps.slice(0, 20), gapCount: gaps.length,
      missingBusinessDays: gaps.reduce((n, g) => n + g.businessDays, 0), emptyCells: emptyCells.get(symbol) ?? 0,
    });
  }
  return { histories, report };
}
