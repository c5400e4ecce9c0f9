import { readdirSync, readFileSync } from 'node:fs';

/** CPU milliseconds used so far by this process and its descendants, grouped: this process, the Temporal server, PostgreSQL, other. */
export type CpuByGroup = Record<'node' | 'temporal' | 'postgres' | 'other', number>;

const TICK_MS = 10; // USER_HZ is 100 on Linux

/**
 * A `/proc/<pid>/stat` (or a thread's) line: its name, parent, own CPU (utime + stime) and its
 * reaped children's (cutime + cstime), in ms. The name may hold spaces and parentheses: the fields
 * start after the last ')'.
 */
export function parseStat(stat: string): { comm: string; ppid: number; ownCpuMs: number; childrenCpuMs: number } {
  const close = stat.lastIndexOf(')');
  // After the comm: state(0) ppid(1) … utime(11) stime(12) cutime(13) cstime(14).
  const fields = stat.slice(close + 2).split(' ');
  return {
    comm: stat.slice(stat.indexOf('(') + 1, close), ppid: Number(fields[1]),
    ownCpuMs: (Number(fields[11]) + Number(fields[12])) * TICK_MS, childrenCpuMs: (Number(fields[13]) + Number(fields[14])) * TICK_MS,
  };
}

function readStat(pid: number): { ppid: number; comm: string; cpuMs: number } | null {
  try {
    const { comm, ppid, ownCpuMs, childrenCpuMs } = parseStat(readFileSync(`/proc/${pid}/stat`, 'utf8'));
    // The reaped children's time counts too: a database backend that ends hands its CPU to the postmaster's.
    return { ppid, comm, cpuMs: ownCpuMs + (pid === process.pid ? 0 : childrenCpuMs) };
  } catch {
    return null;
  }
}

/** Reads /proc: where this process tree's CPU went (Linux only; zeros elsewhere). */
export function cpuByGroup(root = process.pid): CpuByGroup {
  const totals: CpuByGroup = { node: 0, temporal: 0, postgres: 0, other: 0 };
  let pids: number[];
  try {
    pids = readdirSync('/proc').filter((d) => /^\d+$/.test(d)).map(Number);
  } catch {
    return totals;
  }
  const stats = new Map(pids.map((pid) => [pid, readStat(pid)] as const).filter((e): e is [number, NonNullable<ReturnType<typeof readStat>>] => e[1] !== null));
  const descends = (pid: number): boolean => {
    for (let p = pid, depth = 0; p > 1 && depth < 10; depth++) {
      if (p === root) return true;
      p = stats.get(p)?.ppid ?? 0;
    }
    return false;
  };
  for (const [pid, stat] of stats) {
    if (!descends(pid)) continue;
    const group = pid === root ? 'node' : stat.comm.startsWith('temporal') ? 'temporal' : stat.comm.startsWith('postgres') ? 'postgres' : 'other';
    totals[group] += stat.cpuMs;
  }
  return totals;
}

export function cpuSince(before: CpuByGroup): CpuByGroup {
  const now = cpuByGroup();
  return { node: now.node - before.node, temporal: now.temporal - before.temporal, postgres: now.postgres - before.postgres, other: now.other - before.other };
}

/** CPU milliseconds used so far by each kind of thread of this process (by thread name: the main thread, V8 and libuv helpers, the SDK's Rust core, workflow threads). */
export function threadCpu(): Map<string, number> {
  const byName = new Map<string, number>();
  let tids: string[];
  try {
    tids = readdirSync(`/proc/${process.pid}/task`);
  } catch {
    return byName;
  }
  for (const tid of tids) {
    try {
      const { comm, ownCpuMs } = parseStat(readFileSync(`/proc/${process.pid}/task/${tid}/stat`, 'utf8'));
      const name = Number(tid) === process.pid ? 'main' : comm;
      byName.set(name, (byName.get(name) ?? 0) + ownCpuMs);
    } catch {
      // the thread ended meanwhile
    }
  }
  return byName;
}
