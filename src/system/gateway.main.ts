import path from 'node:path';
import { createJsonLogger } from '../adapters/logging/json-logger';
import { loadConfig } from '../config/config';
import { systemClock } from '../ports/clock.port';
import { startGatewayProcess } from './gateway-process';
import { stopOnSignals } from './process-lifecycle';

/** `npm run gateway`: the HTTP gateway alone, against TEMPORAL_ADDRESS and DATABASE_URL (or the embedded defaults). */
async function main(): Promise<void> {
  const config = loadConfig(process.env, path.resolve(__dirname, '../..'));
  const logger = createJsonLogger(config.logLevel, { process: 'gateway' });
  const gateway = await startGatewayProcess(config, { logger, clock: systemClock });
  stopOnSignals(logger, () => gateway.stop());
}

main().catch((err: unknown) => {
  process.stderr.write(`gateway failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
