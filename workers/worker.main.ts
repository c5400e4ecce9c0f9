import path from 'node:path';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { createJsonLogger } from '../src/adapters/logging/json-logger';
import { loadConfig } from '../src/config/config';
import { systemClock } from '../src/ports/clock.port';
import { stopOnSignals } from '../src/system/process-lifecycle';
import { startWorkerProcess } from '../src/system/worker-process';

/** `npm run worker`: the worker alone, against TEMPORAL_ADDRESS and DATABASE_URL (or the embedded defaults). */
async function main(): Promise<void> {
  const config = loadConfig(process.env, path.resolve(__dirname, '..'), { servesHttp: false });
  const logger = createJsonLogger(config.logLevel, { process: 'worker' });
  Runtime.install({ shutdownSignals: [], logger: new DefaultLogger(config.logLevel === 'debug' ? 'INFO' : 'WARN') });
  const worker = await startWorkerProcess(config, { logger, clock: systemClock });
  stopOnSignals(logger, () => worker.stop());
  await worker.running;
  await worker.stop();
}

main().catch((err: unknown) => {
  process.stderr.write(`worker failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
