import { readFile } from 'node:fs/promises';
import { runCommand } from './run-command';

/** Facts about other OS processes: /proc on Linux, `ps` elsewhere. */

interface ProcessStat {
  state: string;
  parentPid: number;
}

async function readProcStat(pid: number): Promise<ProcessStat | undefined> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    // "pid (comm) state ppid ...": comm may contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const parentPid = Number(fields[1]);
    return fields[0] === undefined || !Number.isInteger(parentPid) ? undefined : { state: fields[0], parentPid };
  } catch {
    return undefined;
  }
}

async function psField(pid: number, field: 'command' | 'ppid' | 'stat'): Promise<string | undefined> {
  const result = await runCommand('ps', ['-o', `${field}=`, '-p', String(pid)], { env: { PATH: '/bin:/usr/bin' } });
  const value = result.output.trim();
  return result.exitCode === 0 && value !== '' ? value : undefined;
}

export type ProcessState = 'gone' | 'zombie' | 'alive';

/**
 * 'zombie': exited but not yet reaped by its parent (an orphan waits for PID 1, which may reap
 * lazily); signal 0 still succeeds for it. EPERM means it exists under another user.
 */
export async function processState(pid: number): Promise<ProcessState> {
  try {
    process.kill(pid, 0);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EPERM') return 'gone';
  }
  const state = (await readProcStat(pid))?.state ?? (process.platform === 'linux' ? undefined : await psField(pid, 'stat'));
  if (state === undefined && process.platform === 'linux') return 'gone';
  return (state ?? '').startsWith('Z') ? 'zombie' : 'alive';
}

/** True when `pid` exists and is not a zombie. */
export async function isProcessAlive(pid: number): Promise<boolean> {
  return (await processState(pid)) === 'alive';
}

/** The process's argv, or undefined when it is gone or unreadable. */
export async function processArguments(pid: number): Promise<string[] | undefined> {
  try {
    const raw = await readFile(`/proc/${pid}/cmdline`, 'utf8');
    return raw.split('\0').filter((part) => part !== '');
  } catch {
    if (process.platform === 'linux') return undefined;
    return (await psField(pid, 'command'))?.split(/\s+/);
  }
}

export async function parentProcessId(pid: number): Promise<number | undefined> {
  const fromProc = await readProcStat(pid);
  if (fromProc !== undefined) return fromProc.parentPid;
  if (process.platform === 'linux') return undefined;
  const value = Number(await psField(pid, 'ppid'));
  return Number.isInteger(value) ? value : undefined;
}

/** Polls until `pid` has exited (or, with `untilReaped`, is gone entirely); false on timeout. */
export async function waitForProcessExit(pid: number, timeoutMs: number, untilReaped = false): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const state = await processState(pid);
    if (state === 'gone' || (state === 'zombie' && !untilReaped)) return true;
    if (Date.now() >= deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Sends a signal, ignoring a process that has already gone. */
export function signalProcess(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}
