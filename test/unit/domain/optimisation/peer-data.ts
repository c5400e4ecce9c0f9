import { readFileSync } from 'node:fs';
import path from 'node:path';

/** The shared peer data sits beside the project root (../shared/peer-data), in every worktree. */
export const PEER_DATA = path.resolve(__dirname, '../../../..', '../shared/peer-data');

export interface Tolerance {
  readonly abs?: number;
  readonly rtol?: number;
}

export interface PeerCheck {
  readonly check: string;
  readonly expected: number | number[];
  readonly exact: number | number[];
  readonly test_tolerance: Tolerance;
}

export function readPeerJson<T = Record<string, unknown>>(folder: string): T {
  return JSON.parse(readFileSync(path.join(PEER_DATA, folder, 'expected_peer.json'), 'utf8')) as T;
}

/** A price CSV with a header (date, tickers...) into columns; empty cells are null. */
export function readPriceCsv(folder: string, file: string): { dates: string[]; tickers: string[]; columns: (number | null)[][] } {
  const lines = readFileSync(path.join(PEER_DATA, folder, file), 'utf8').trim().split(/\r?\n/);
  const header = lines[0]!.split(',');
  const tickers = header.slice(1);
  const columns: (number | null)[][] = tickers.map(() => []);
  const dates: string[] = [];
  for (const line of lines.slice(1)) {
    const cells = line.split(',');
    dates.push(cells[0]!);
    tickers.forEach((_, j) => {
      const cell = cells[j + 1];
      columns[j]!.push(cell === undefined || cell === '' ? null : Number(cell));
    });
  }
  return { dates, tickers, columns };
}

export function checkByName(checks: readonly PeerCheck[], name: string): PeerCheck {
  const found = checks.find((c) => c.check === name);
  if (found === undefined) throw new Error(`peer check not found: ${name}`);
  return found;
}

/** Asserts |actual − expected| ≤ abs + rtol·|expected| elementwise (numpy's assert_allclose). */
export function expectWithin(actual: number | ArrayLike<number>, expected: number | readonly number[], tolerance: Tolerance): void {
  const a = typeof actual === 'number' ? [actual] : Array.from(actual);
  const e = typeof expected === 'number' ? [expected] : expected;
  expect(a).toHaveLength(e.length);
  const failures: string[] = [];
  e.forEach((ev, i) => {
    const allowed = (tolerance.abs ?? 0) + (tolerance.rtol ?? 0) * Math.abs(ev);
    const diff = Math.abs(a[i]! - ev);
    if (!(diff <= allowed)) failures.push(`[${i}] actual ${a[i]} expected ${ev} diff ${diff.toExponential(3)} > ${allowed.toExponential(3)}`);
  });
  expect(failures).toEqual([]);
}

export const toRows = (m: Float64Array, n: number): number[][] => Array.from({ length: n }, (_, i) => Array.from(m.subarray(i * n, (i + 1) * n)));
