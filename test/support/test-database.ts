import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

/** Set by global setup: admin URL (the `postgres` database) of the run's PostgreSQL server. */
const DATABASE_URL_ENV = 'RISKFLOW_TEST_DATABASE_URL';

export class TestEnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'TestEnvironmentError';
  }
}

export interface CreatedTestDatabase {
  /** postgres:// URL of the new database. */
  url: string;
  /** Terminates its connections and drops it. Idempotent. */
  drop(): Promise<void>;
}

function uniqueName(prefix: string): string {
  const safe = prefix.toLowerCase().replace(/[^a-z0-9_]+/g, '_').replace(/^([^a-z_])/, '_$1').slice(0, 36);
  return `${safe}_${Date.now().toString(36)}_${randomBytes(4).toString('hex')}`;
}

async function withAdmin<T>(adminUrl: string, run: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    return await run(client);
  } finally {
    await client.end();
  }
}

/** A fresh, uniquely named, empty database on the run's PostgreSQL server. */
export async function createTestDatabase(prefix: string, env: NodeJS.ProcessEnv = process.env): Promise<CreatedTestDatabase> {
  const adminUrl = env[DATABASE_URL_ENV];
  if (adminUrl === undefined || adminUrl === '') {
    throw new TestEnvironmentError(`${DATABASE_URL_ENV} is not set: run through jest (test/support/global-setup.ts)`);
  }
  const name = uniqueName(prefix);
  await withAdmin(adminUrl, (client) => client.query(`CREATE DATABASE ${client.escapeIdentifier(name)}`));
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;

  let dropping: Promise<void> | undefined;
  const drop = (): Promise<void> => {
    dropping ??= withAdmin(adminUrl, async (client) => {
      await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND pid <> pg_backend_pid()', [name]);
      await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(name)} WITH (FORCE)`);
    });
    return dropping;
  };
  return { url: url.toString(), drop };
}
