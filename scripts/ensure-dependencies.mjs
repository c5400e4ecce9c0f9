// Runs as the npm pre-hook of start/test/worker/gateway/bench, before node_modules may exist:
// Node builtins only. Installs dependencies when node_modules is missing or older than the
// manifests; prints nothing when they are current.
import { spawnSync } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const projectRoot = join(dirname(fileURLToPath(import.meta.url)), '..');

/** Modification time in ms, or undefined when the file does not exist. */
function modifiedAt(file) {
  try {
    return statSync(file).mtimeMs;
  } catch (error) {
    if (error && error.code === 'ENOENT') return undefined;
    throw error;
  }
}

const markerFile = join(projectRoot, 'node_modules', '.package-lock.json');
const installedMarker = modifiedAt(markerFile);
const manifest = modifiedAt(join(projectRoot, 'package.json'));
const lockfile = modifiedAt(join(projectRoot, 'package-lock.json'));

const upToDate =
  installedMarker !== undefined &&
  (manifest === undefined || installedMarker >= manifest) &&
  (lockfile === undefined || installedMarker >= lockfile);

if (!upToDate) {
  // `npm install` (not `npm ci`): it honours package-lock.json, and npm 11 writes lockfiles
  // without the other platforms' optional binaries (@swc/core-*), which `npm ci` then rejects.
  const command = 'install';
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, [command, '--no-audit', '--no-fund'], {
    cwd: projectRoot,
    stdio: 'inherit',
    shell: process.platform === 'win32',
  });
  if (result.error) {
    console.error(`ensure-dependencies: could not run npm ${command}: ${result.error.message}`);
    process.exit(1);
  }
  if (result.status !== 0) {
    process.exit(result.status ?? 1);
  }
  // npm may write package-lock.json after its hidden lockfile; mark the install as newest so
  // the next run is a no-op.
  if (modifiedAt(markerFile) !== undefined) {
    const now = new Date();
    utimesSync(markerFile, now, now);
  }
}
