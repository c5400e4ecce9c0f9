import type { AssetClass } from '../../../../src/domain/instruments/instrument';
import { whenAllOpen, type MarketCalendar } from '../../../../src/domain/market/markets-open';

const at = (iso: string) => new Date(iso);

/** A synthetic calendar: each class open in given [from, to) windows. */
function calendar(windows: Partial<Record<AssetClass, Array<[string, string]>>>): MarketCalendar {
  const of = (c: AssetClass) => (windows[c] ?? []).map(([a, b]) => [at(a).getTime(), at(b).getTime()] as const);
  return {
    isOpen: (c, t) => c === 'CRYPTO' || of(c).some(([a, b]) => a <= t.getTime() && t.getTime() < b),
    nextOpen: (c, t) => {
      if (c === 'CRYPTO') return t;
      const w = of(c).find(([, b]) => b > t.getTime());
      if (!w) throw new Error('no session');
      return new Date(Math.max(w[0], t.getTime()));
    },
  };
}

/** A market open for the first `open` minutes of every hour, from minute `from`: it never runs out of sessions. */
function everyHour(windows: Partial<Record<AssetClass, { from: number; open: number }>>): MarketCalendar {
  const minute = (t: Date) => t.getUTCMinutes() + t.getUTCSeconds() / 60;
  const openAt = (c: AssetClass, t: Date) => {
    const w = windows[c]!;
    return minute(t) >= w.from && minute(t) < w.from + w.open;
  };
  return {
    isOpen: openAt,
    nextOpen: (c, t) => {
      if (openAt(c, t)) return t;
      const start = new Date(t);
      start.setUTCMinutes(windows[c]!.from, 0, 0);
      return start.getTime() > t.getTime() ? start : new Date(start.getTime() + 3_600_000);
    },
  };
}

describe('whenAllOpen', () => {
  it.each<[string, AssetClass[], MarketCalendar | undefined, string, string | null]>([
    ['crypto only, always open', ['CRYPTO'], undefined, '2026-11-22T03:00:00Z', '2026-11-22T03:00:00.000Z'],
    // Sunday 22 Nov 2026: NYSE opens Monday 09:30 New York = 14:30 UTC.
    ['equities on a Sunday', ['EQUITY', 'CRYPTO'], undefined, '2026-11-22T12:00:00Z', '2026-11-23T14:30:00.000Z'],
    ['equities during the session', ['EQUITY'], undefined, '2026-11-23T15:00:00Z', '2026-11-23T15:00:00.000Z'],
    // Thanksgiving (26 Nov 2026) is closed: the next open is Friday 27 Nov 09:30 (an early-close day).
    ['equities on Thanksgiving', ['EQUITY'], undefined, '2026-11-26T15:00:00Z', '2026-11-27T14:30:00.000Z'],
    ['two markets whose sessions overlap later', ['EQUITY', 'FX'], calendar({ EQUITY: [['2026-01-01T10:00:00Z', '2026-01-01T12:00:00Z']], FX: [['2026-01-01T11:00:00Z', '2026-01-01T20:00:00Z']] }), '2026-01-01T09:00:00Z', '2026-01-01T11:00:00.000Z'],
    ['two markets that never overlap', ['EQUITY', 'FX'], everyHour({ EQUITY: { from: 0, open: 30 }, FX: { from: 30, open: 30 } }), '2026-01-01T09:10:00Z', null],
    ['a synthetic market opening in five seconds', ['EQUITY'], calendar({ EQUITY: [['2026-01-01T10:00:05Z', '2026-01-01T16:00:00Z']] }), '2026-01-01T10:00:00Z', '2026-01-01T10:00:05.000Z'],
  ])('when %s, then every market is open from the answer on', (_name, classes, cal, after, expected) => {
    expect(whenAllOpen(classes, at(after), cal)?.toISOString() ?? null).toBe(expected);
  });
});
