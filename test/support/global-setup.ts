import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startEmbeddedPostgres } from '../../src/platform/embedded-database';
import { findFreePort } from '../../src/platform/free-port';
import { resolveTemporalCli } from '../../src/platform/temporal-cli';
import { startTemporalDevServer } from '../../src/platform/temporal-dev-server';
import { saveTestPlatformHandles } from './test-platform-handles';
import { RISKFLOW_SEARCH_ATTRIBUTES } from '../../src/contracts/search-attributes';
import { searchAttributeCliFlags } from '../../src/adapters/temporal/search-attribute-registry';
import { bundleWorkflowCode } from '@temporalio/worker';
import { writeFile } from 'node:fs/promises';

/** Exported to the test workers through process.env. */
export const TEST_TEMPORAL_ADDRESS_ENV = 'RISKFLOW_TEST_TEMPORAL_ADDRESS';
export const TEST_DATABASE_URL_ENV = 'RISKFLOW_TEST_DATABASE_URL';

export const TEST_NAMESPACE = 'default';

const HOST = '127.0.0.1';
const projectRoot = path.resolve(__dirname, '..', '..');

/**
 * One Temporal dev server (in memory, headless) and one embedded PostgreSQL for the whole run;
 * tests get their own databases (test-database.ts) and task queues on them.
 */
export default async function globalSetup(): Promise<void> {
  const tempDir = await mkdtemp(path.join(os.tmpdir(), 'riskflow-test-'));
  const log = (msg: string): void => console.log(`[global-setup] ${msg}`);

  const temporal = (async () => {
    const cliPath = await resolveTemporalCli({ projectRoot, env: process.env, log });
    process.env.RISKFLOW_TEST_TEMPORAL_CLI = cliPath;
    return startTemporalDevServer({
      cliPath,
      host: HOST,
      port: await findFreePort(HOST),
      namespace: TEST_NAMESPACE,
      searchAttributes: searchAttributeCliFlags(RISKFLOW_SEARCH_ATTRIBUTES),
    });
  })();
  const postgres = (async () =>
    startEmbeddedPostgres({
      dataDir: path.join(tempDir, 'postgres'),
      port: await findFreePort(HOST),
      user: 'postgres',
      password: 'postgres',
      database: 'postgres',
    }))();

  // Bundle the workflows once for every test file (the bundler takes seconds).
  const bundle = (async () => {
    const { code } = await bundleWorkflowCode({ workflowsPath: path.join(projectRoot, 'workflows'), logger: quietBundlerLogger });
    const file = path.join(tempDir, 'workflow-bundle.js');
    await writeFile(file, code);
    return file;
  })();

  const [temporalResult, postgresResult, bundleResult] = await Promise.allSettled([temporal, postgres, bundle]);

  if (temporalResult.status === 'rejected' || postgresResult.status === 'rejected') {
    await Promise.allSettled([
      temporalResult.status === 'fulfilled' ? temporalResult.value.stop() : undefined,
      postgresResult.status === 'fulfilled' ? postgresResult.value.stop() : undefined,
    ]);
    await rm(tempDir, { recursive: true, force: true });
    throw temporalResult.status === 'rejected' ? temporalResult.reason : (postgresResult as PromiseRejectedResult).reason;
  }

  if (bundleResult.status === 'rejected') {
    await Promise.allSettled([temporalResult.value.stop(), postgresResult.value.stop()]);
    await rm(tempDir, { recursive: true, force: true });
    throw bundleResult.reason;
  }
  process.env.RISKFLOW_TEST_WORKFLOW_BUNDLE = bundleResult.value;
  process.env[TEST_TEMPORAL_ADDRESS_ENV] = temporalResult.value.address;
  process.env[TEST_DATABASE_URL_ENV] = postgresResult.value.url;
  saveTestPlatformHandles({
    stopTemporal: temporalResult.value.stop,
    stopPostgres: postgresResult.value.stop,
    tempDir,
  });
}

const quietBundlerLogger = {
  log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined,
  warn: (message: string) => console.warn(`[bundler] ${message}`),
  error: (message: string) => console.error(`[bundler] ${message}`),
};
