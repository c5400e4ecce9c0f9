import { Connection } from '@temporalio/client';
import { ensureSearchAttributes } from '../adapters/temporal/search-attribute-registry';
import type { RiskflowConfig } from '../config/config';
import { RISKFLOW_SEARCH_ATTRIBUTES } from '../contracts/search-attributes';
import { temporalConnectionOptions } from './temporal-connection-options';

/**
 * Registers Riskflow's search attributes on the configured namespace (idempotent). The worker and
 * the gateway both do it at start, since either may be first against a server whose database
 * predates them (the dev server applies its --search-attribute flags only to a new database).
 */
export async function registerSearchAttributes(config: RiskflowConfig): Promise<void> {
  const connection = await Connection.connect(await temporalConnectionOptions(config.temporal.address, config.temporal.security));
  try {
    await ensureSearchAttributes(connection, config.temporal.namespace, RISKFLOW_SEARCH_ATTRIBUTES);
  } finally {
    await connection.close();
  }
}
