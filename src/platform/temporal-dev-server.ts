import { spawn } from 'node:child_process';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { Connection } from '@temporalio/client';
import { isPortFree } from './free-port';
import { OutputTail } from './output-tail';
import { PortInUseError, TemporalDevServerStartError } from './platform-errors';

export interface TemporalDevServerOptions {
  cliPath: string;
  /** Interface to bind, normally 127.0.0.1. */
  host: string;
  port: number;
  /** Web UI port; undefined runs headless. */
  uiPort?: number;
  /** SQLite file; undefined keeps everything in memory. */
  dbFile?: string;
  namespace: string;
  /** `--search-attribute Name=Type` flags; the server applies them only when it creates its database. */
  searchAttributes: Record<string, string>;
  /** Appends the server's stdout/stderr here. */
  logFile?: string;
  /** Default 90 s. */
  startTimeoutMs?: number;
  /** Further `--dynamic-config-value key=value` settings (the order-path bench's `BENCH_DISPATCH_RPS`). */
  dynamicConfig?: Readonly<Record<string, string | number | boolean>>;
}

export interface TemporalDevServer {
  /** host:port of the frontend gRPC service. */
  address: string;
  uiUrl?: string;
  /** The server process (fault drills kill it). */
  pid: number;
  /** SIGTERM, then SIGKILL after 10 s; resolves once the process has exited. Idempotent. */
  stop(): Promise<void>;
}

const DEFAULT_START_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 10_000;
const PROBE_INTERVAL_MS = 250;
const PROBE_TIMEOUT_MS = 2_000;

function formatAddress(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * The dev server's settings beyond its defaults (docker-compose.yml passes the same).
 * - Eager activities: an activity that a workflow task schedules comes back in that task's
 *   completion, to the worker that scheduled it, instead of waiting for the next task dispatch.
 * - One partition per task queue (the default is 4): a workflow's first task that lands on a
 *   partition where no poller waits sits there until it is forwarded, which held every client's
 *   next start for about two seconds at a time under load. One partition carries far more tasks
 *   than one machine's workers take.
 */
export const DEV_SERVER_DYNAMIC_CONFIG: Readonly<Record<string, string | number | boolean>> = Object.freeze({
  'system.enableActivityEagerExecution': true,
  'matching.numTaskqueueReadPartitions': 1,
  'matching.numTaskqueueWritePartitions': 1,
});

/**
 * Starts `temporal server start-dev` and resolves once its frontend answers and the namespace
 * exists. With `dbFile`, executions survive stop/start. Search attributes passed as flags exist only
 * on a new database: processes that need them register them (ensureSearchAttributes).
 */
export async function startTemporalDevServer(options: TemporalDevServerOptions): Promise<TemporalDevServer> {
  const { cliPath, host, port, uiPort, dbFile, namespace, searchAttributes, logFile } = options;
  const startTimeoutMs = options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  const address = formatAddress(host, port);

  for (const neededPort of uiPort === undefined ? [port] : [port, uiPort]) {
    if (!(await isPortFree(neededPort, host))) throw new PortInUseError(host, neededPort);
  }

  const args = ['server', 'start-dev', '--ip', host, '--port', String(port)];
  args.push(...(uiPort === undefined ? ['--headless'] : ['--ui-port', String(uiPort)]));
  if (dbFile !== undefined) {
    await mkdir(path.dirname(dbFile), { recursive: true });
    args.push('--db-filename', dbFile);
  }
  args.push('--namespace', namespace);
  for (const [name, type] of Object.entries(searchAttributes)) args.push('--search-attribute', `${name}=${type}`);
  args.push('--log-level', 'warn', '--color', 'never');
  for (const [key, value] of Object.entries({ ...DEV_SERVER_DYNAMIC_CONFIG, ...options.dynamicConfig })) args.push('--dynamic-config-value', `${key}=${String(value)}`);

  if (logFile !== undefined) await mkdir(path.dirname(logFile), { recursive: true });
  const logStream = logFile === undefined ? undefined : createWriteStream(logFile, { flags: 'a' });
  const tail = new OutputTail();
  const child = spawn(cliPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  const onOutput = (chunk: Buffer): void => {
    tail.append(chunk);
    logStream?.write(chunk);
  };
  child.stdout.on('data', onOutput);
  child.stderr.on('data', onOutput);

  let exitDescription: string | undefined;
  const exited = new Promise<void>((resolve) => {
    child.once('error', (error) => {
      exitDescription ??= `could not be started: ${error.message}`;
      resolve();
    });
    child.once('exit', (code, signal) => {
      exitDescription ??= `exited with ${signal ?? `code ${code ?? 'unknown'}`}`;
      resolve();
    });
  }).then(() => new Promise<void>((resolve) => (logStream ? logStream.end(resolve) : resolve())));

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (exitDescription === undefined) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          if (exitDescription === undefined) child.kill('SIGKILL');
        }, STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      await exited;
    })();
    return stopping;
  };

  try {
    const deadline = Date.now() + startTimeoutMs;
    for (;;) {
      if (exitDescription !== undefined) {
        throw new TemporalDevServerStartError(`Temporal dev server on ${address} ${exitDescription}`, tail.text());
      }
      if (await answers(address, namespace, Math.min(PROBE_TIMEOUT_MS, Math.max(deadline - Date.now(), 1)))) break;
      if (Date.now() >= deadline) {
        throw new TemporalDevServerStartError(
          `Temporal dev server on ${address} did not answer within ${startTimeoutMs} ms`,
          tail.text(),
        );
      }
      await Promise.race([delay(PROBE_INTERVAL_MS), exited]);
    }
  } catch (error) {
    await stop();
    throw error;
  }

  return { address, uiUrl: uiPort === undefined ? undefined : `http://${formatAddress(host, uiPort)}`, pid: child.pid!, stop };
}

async function answers(address: string, namespace: string | undefined, timeoutMs: number): Promise<boolean> {
  const connection = Connection.lazy({ address, connectTimeout: timeoutMs });
  try {
    await connection.ensureConnected();
    await connection.withDeadline(Date.now() + timeoutMs, async () => {
      await connection.workflowService.getSystemInfo({});
      if (namespace !== undefined) await connection.workflowService.describeNamespace({ namespace });
    });
    return true;
  } catch {
    return false;
  } finally {
    await connection.close().catch(() => undefined);
  }
}

/** True when a Temporal frontend answers GetSystemInfo at `address` within `timeoutMs` (default 3 s). */
export function isTemporalReachable(address: string, timeoutMs = 3_000): Promise<boolean> {
  return answers(address, undefined, timeoutMs);
}
