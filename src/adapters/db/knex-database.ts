import knexFactory, { type Knex } from 'knex';
import { migrationSource } from '../../../migrations';

export type Database = Knex;

export function createDatabase(url: string, pool: { min: number; max: number } = { min: 0, max: 10 }): Database {
  return knexFactory({ client: 'pg', connection: url, pool });
}

/** Runs pending migrations; safe to call at every start (knex takes a migration lock). */
export async function migrateToLatest(db: Database): Promise<void> {
  await db.migrate.latest({ migrationSource });
}
