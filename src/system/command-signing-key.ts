import { randomBytes } from 'node:crypto';
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { decodeSigningKey, type RiskflowConfig } from '../config/config';

export const SIGNING_KEY_FILE = 'command-signing.key';

/**
 * The key the gateway signs commands with and the worker verifies them with. Configured in
 * production (RISKFLOW_COMMAND_SIGNING_KEY, checked by loadConfig); in development generated once
 * into the data folder, so that a gateway and a worker started separately share it.
 */
export async function resolveCommandSigningKey(config: RiskflowConfig): Promise<Buffer> {
  if (config.commandSigningKey !== undefined) return decodeSigningKey(config.commandSigningKey)!;
  const file = path.join(config.dataDir, SIGNING_KEY_FILE);
  await mkdir(config.dataDir, { recursive: true });
  try {
    await writeFile(file, randomBytes(32).toString('hex') + '\n', { flag: 'wx', mode: 0o600 });
  } catch (err) {
    if ((err as { code?: unknown }).code !== 'EEXIST') throw err; // made by the other process first: use it
  }
  const key = decodeSigningKey(await readFile(file, 'utf8'));
  if (!key) throw new Error(`${file} does not hold a command signing key (64+ hex digits); delete it to have a new one made`);
  return key;
}
