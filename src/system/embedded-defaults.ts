import path from 'node:path';
import type { RiskflowConfig } from '../config/config';

/** The embedded PostgreSQL that `npm start` runs when DATABASE_URL is unset (loopback only). */
export const EMBEDDED_DATABASE = { user: 'riskflow', password: 'riskflow', database: 'riskflow' } as const;

export function embeddedDatabaseUrl(config: RiskflowConfig): string {
  const { user, password, database } = EMBEDDED_DATABASE;
  return `postgres://${user}:${password}@127.0.0.1:${config.embeddedPostgresPort}/${database}`;
}

/** DATABASE_URL when set, else the embedded server's URL (started by `npm start`). */
export function databaseUrl(config: RiskflowConfig): string {
  return config.databaseUrl ?? embeddedDatabaseUrl(config);
}

export const dataPaths = (config: RiskflowConfig) => ({
  postgres: path.join(config.dataDir, 'postgres'),
  temporalDb: path.join(config.dataDir, 'temporal', 'temporal.db'),
  temporalLog: path.join(config.dataDir, 'temporal', 'server.log'),
});
