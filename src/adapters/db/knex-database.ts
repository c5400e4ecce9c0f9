import knexFactory, { type Knex } from 'knex';
import { migrationSource } from '../../../migrations';

export type Database = Knex;

/**
 * Every wait is bounded, so a request meets an unavailable database with an error in seconds, not
 * a hang: a connection within 5 s (from the pool or a new one), a statement within 30 s.
 */
export const DATABASE_DEADLINES = { acquireConnectionMs: 5_000, connectMs: 5_000, statementMs: 30_000 } as const;

export function createDatabase(url: string, pool: { min: number; max: number } = { min: 0, max: 10 }): Database {
  return knexFactory({
    client: 'pg',
    connection: { connectionString: url, connectionTimeoutMillis: DATABASE_DEADLINES.connectMs, statement_timeout: DATABASE_DEADLINES.statementMs },
    pool,
    acquireConnectionTimeout: DATABASE_DEADLINES.acquireConnectionMs,
  });
}

/** Runs pending migrations; safe to call at every start (knex takes a migration lock). */
export async function migrateToLatest(db: Database): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
